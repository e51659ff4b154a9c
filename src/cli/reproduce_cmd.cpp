// `synbench reproduce DIR`: re-run a run from its own config.yaml and check epochs.csv bit for bit.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/experiment_options.hpp"
#include "report/compare.hpp"
#include "sim/costs.hpp"
#include "report/run_directory.hpp"
#include "sim/run.hpp"
#include "util/files.hpp"

namespace synbench::cli {

namespace {

namespace fs = std::filesystem;

// True when `dir` holds a run written by an earlier `synbench reproduce` (which this one may
// replace without --force): its manifest records that command.
bool earlier_reproduction(const fs::path& dir) {
    try {
        auto m = nlohmann::json::parse(util::read_file(dir / "manifest.json"));
        const auto& c = m.at("command");
        return c.is_array() && c.size() >= 2 && c[1] == "reproduce";
    } catch (const std::exception&) {
        return false;
    }
}

// Where the new run may go: never the run itself, a directory holding it, or one of its own
// subdirectories that an earlier reproduction did not write; another non-empty directory only
// with --force.
void check_output(const fs::path& run, const fs::path& out, bool force) {
    if (util::path_within(run, out))
        throw util::Refused(
            fmt::format("{}: {} the run being reproduced ({}); its files would be replaced and "
                        "compared with themselves — "
                        "choose another --out (the default is {})",
                        out.string(), util::path_within(out, run) ? "is" : "contains", run.string(),
                        (run / "reproduced").string()));
    std::error_code ec;
    if (!fs::exists(out, ec) || util::empty_but_lock(out) || earlier_reproduction(out)) return;
    if (!fs::is_directory(out, ec)) return;  // the run refuses it by name, leaving it alone
    if (util::path_within(out, run))
        throw util::Refused(
            fmt::format("{}: is part of the run being reproduced ({}), not an earlier "
                        "reproduction; refusing to replace it "
                        "(even with --force) — choose another --out",
                        out.string(), run.string()));
    if (!force)
        throw util::Refused(
            fmt::format("{}: exists, is not empty and is not an earlier reproduction; refusing to "
                        "replace it (use --force "
                        "to replace it, or another --out)",
                        out.string()));
}

}  // namespace

void add_reproduce_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "reproduce",
        "Re-run a run from its config.yaml and report whether epochs.csv is bit-identical");
    struct Opts {
        std::string dir, out, data_dir;
        int threads = 0;
        bool force = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("dir", o->dir, "Run directory")->required();
    cmd->add_option("--out,-o", o->out, "Where to write the new run (default: DIR/reproduced)");
    cmd->add_option("--threads,-j", o->threads, "Worker threads for the new run");
    add_data_dir_option(cmd, o->data_dir);
    cmd->add_flag("--force", o->force,
                  "Replace a non-empty --out that is not an earlier reproduction (never the run or "
                  "a directory holding it)");
    cmd->callback([o] {
        const fs::path dir = o->dir;
        if (!fs::exists(dir / "config.yaml"))
            throw ExitRequest{
                kExitBadInput,
                fmt::format("error: {}: no config.yaml, not a run directory", dir.string())};
        if (!fs::exists(dir / "epochs.csv"))
            throw ExitRequest{kExitBadInput, fmt::format("error: {}: no epochs.csv to compare with",
                                                         dir.string())};
        const fs::path out = o->out.empty() ? dir / "reproduced" : fs::path(o->out);
        check_output(dir, out, o->force);
        sim::ExperimentInputs in;
        in.experiment = dir / "config.yaml";
        auto ex = sim::load_experiment(in);
        sim::require_trainable(ex, "reproduce");
        sim::RunOptions ro;
        ro.out = out;
        ro.threads = o->threads;
        ro.force = true;  // checked above
        ro.quiet = true;
        if (!o->data_dir.empty()) ro.data_dir = o->data_dir;
        ro.command = {"synbench", "reproduce", o->dir};
        auto r = report::run_training(ex, sim::cost_table(ex), ro);
        std::error_code ec;
        if (fs::equivalent(dir / "epochs.csv", r.dir / "epochs.csv",
                           ec))  // never "identical" to itself
            throw util::Refused(
                fmt::format("{}: is the original epochs.csv itself; nothing to compare",
                            (r.dir / "epochs.csv").string()));
        auto diff = report::files_identical(dir / "epochs.csv", r.dir / "epochs.csv");
        if (diff.identical) {
            std::cout << fmt::format("identical: {} reproduces {} bit for bit ({} epochs)\n",
                                     (r.dir / "epochs.csv").string(), (dir / "epochs.csv").string(),
                                     r.epochs_completed);
            return;
        }
        std::cout << fmt::format("DIFFERENT: {}\n", diff.summary);
        throw ExitRequest{kExitFailure, ""};
    });
}

}  // namespace synbench::cli
