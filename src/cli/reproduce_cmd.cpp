// `synbench reproduce DIR`: re-run a run from its own config.yaml and check epochs.csv bit for bit.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "report/compare.hpp"
#include "sim/costs.hpp"
#include "sim/run.hpp"

namespace synbench::cli {

void add_reproduce_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("reproduce", "Re-run a run from its config.yaml and report whether epochs.csv is bit-identical");
    struct Opts {
        std::string dir, out, data_dir;
        int threads = 0;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("dir", o->dir, "Run directory")->required();
    cmd->add_option("--out,-o", o->out, "Where to write the new run (default: DIR/reproduced)");
    cmd->add_option("--threads,-j", o->threads, "Worker threads for the new run");
    cmd->add_option("--data-dir", o->data_dir, "MNIST directory (default: $SYNBENCH_DATA, else ~/.cache/synbench)");
    cmd->callback([o] {
        const std::filesystem::path dir = o->dir;
        if (!std::filesystem::exists(dir / "config.yaml"))
            throw ExitRequest{kExitBadInput, fmt::format("error: {}: no config.yaml, not a run directory", dir.string())};
        if (!std::filesystem::exists(dir / "epochs.csv"))
            throw ExitRequest{kExitBadInput, fmt::format("error: {}: no epochs.csv to compare with", dir.string())};
        sim::ExperimentInputs in;
        in.experiment = dir / "config.yaml";
        auto ex = sim::load_experiment(in);
        sim::RunOptions ro;
        ro.out = o->out.empty() ? dir / "reproduced" : std::filesystem::path(o->out);
        ro.threads = o->threads;
        ro.force = true;
        ro.quiet = true;
        if (!o->data_dir.empty()) ro.data_dir = o->data_dir;
        ro.command = {"synbench", "reproduce", o->dir};
        auto r = sim::run_training(ex, sim::cost_table(ex), ro);
        auto diff = report::files_identical(dir / "epochs.csv", r.dir / "epochs.csv");
        if (diff.identical) {
            std::cout << fmt::format("identical: {} reproduces {} bit for bit ({} epochs)\n", (r.dir / "epochs.csv").string(),
                                     (dir / "epochs.csv").string(), r.epochs_completed);
            return;
        }
        std::cout << fmt::format("DIFFERENT: {}\n", diff.summary);
        throw ExitRequest{kExitFailure, ""};
    });
}

}  // namespace synbench::cli
