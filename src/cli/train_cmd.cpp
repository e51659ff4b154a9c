#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "cli/checks.hpp"
#include "cli/commands.hpp"
#include "cli/experiment_options.hpp"
#include "report/budget.hpp"
#include "report/cpu_baseline.hpp"
#include "report/report.hpp"
#include "sim/costs.hpp"
#include "util/files.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include "report/run_directory.hpp"
#include "sim/run.hpp"

namespace synbench::cli {

namespace {
// The one piece of process-wide state: a signal handler can only reach a static. It is written by
// the SIGINT/SIGTERM handler and read by the training loop between epochs.
std::atomic<bool> g_interrupted{false};
extern "C" void on_signal(int) { g_interrupted.store(true); }
}  // namespace

void add_train_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "train",
        "Train a network (MLP or CNN) in the simulated hardware and write a run directory");
    auto eo = add_experiment_options(cmd);
    struct Opts {
        std::string out, resume, data_dir;
        int threads = 0;
        bool quiet = false, force = false;
        int stop_after = -1;
        std::string budget;
        bool no_report = false;
        std::string energy_counters = "/sys/class/powercap";
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--out,-o", o->out,
                    "Run directory to write (default: results/<device>-<network>-s<seed>)");
    cmd->add_option("--resume", o->resume,
                    "Continue the interrupted run in DIR from its last checkpoint");
    cmd->add_option("--threads,-j", o->threads,
                    "Worker threads (default: all cores); results do not depend on it")
        ->check(int_range(1, kMaxThreads));
    add_data_dir_option(cmd, o->data_dir);
    cmd->add_flag("--quiet,-q", o->quiet, "No progress line");
    cmd->add_flag("--force", o->force, "Replace an existing output directory");
    cmd->add_option("--budget", o->budget,
                    "Check the run against a chip budget: "
                    "area=1mm2,energy=10mJ,latency=1h,leakage=100uW (exit 3 when exceeded)");
    cmd->add_flag("--no-report", o->no_report,
                  "Do not render report.md/report.html/tables.tex at the end");
    cmd->add_option("--stop-after", o->stop_after,
                    "Stop after N epochs as if interrupted (for testing resume)")
        ->check(int_range(0, 100000))
        ->group("");
    cmd->add_option("--energy-counters", o->energy_counters,
                    "powercap directory whose intel-rapl:N energy counters are read around the "
                    "run into energy_counters.json when present (default /sys/class/powercap)");
    auto max_memory = add_max_memory_option(cmd);
    cmd->callback([cmd, eo, o, max_memory] {
        sim::ExperimentInputs in;
        std::filesystem::path out;
        if (!o->resume.empty()) {
            // --resume continues the same experiment: options that would change it are refused
            // rather than ignored (only --threads and the output/progress options may be given).
            std::vector<std::string> given;
            for (const char* name : {"experiment", "--tech", "--device", "--network", "--set",
                                     "--seed", "--out", "--force"})
                if (cmd->count(name) > 0)
                    given.emplace_back(std::string(name) == "experiment" ? "an experiment file"
                                                                         : name);
            if (!given.empty()) {
                std::string list;
                for (const auto& g : given) list += (list.empty() ? "" : ", ") + g;
                throw ExitRequest{
                    kExitBadInput,
                    fmt::format(
                        "error: --resume {}: {} cannot be given with --resume; a resumed run "
                        "continues the experiment in "
                        "its config.yaml (only training.epochs there, and --threads, may change)",
                        o->resume, list)};
            }
            out = o->resume;
            in.experiment = out / "config.yaml";
            if (!std::filesystem::exists(*in.experiment))
                throw ExitRequest{
                    kExitBadInput,
                    fmt::format("error: {}: no config.yaml, not a run directory", o->resume)};
        } else {
            in = eo->inputs();
        }
        auto ex = sim::load_experiment(in);
        check_memory(ex, *max_memory, "the run",
                     o->threads);  // before anything of the run is allocated
        sim::require_trainable(ex, "train");
        std::optional<report::Budget> budget;
        if (!o->budget.empty())
            budget = report::parse_budget(o->budget);  // checked before hours of training
        if (out.empty())
            out = o->out.empty() ? std::filesystem::path("results") / default_run_name(ex)
                                 : std::filesystem::path(o->out);
        auto table = sim::cost_table(ex);
        sim::RunOptions ro;
        ro.out = out;
        ro.threads = o->threads;
        ro.quiet = o->quiet;
        ro.resume = !o->resume.empty();
        ro.force = o->force;
        if (!o->data_dir.empty()) ro.data_dir = o->data_dir;
        if (o->stop_after >= 0) ro.stop_after_epoch = o->stop_after;
        ro.interrupt = &g_interrupted;
        if (ro.resume) {
            ro.command = {"synbench", "train", "--resume", out.string()};
        } else {
            ro.command = eo->command_line("train");
            ro.command.insert(ro.command.end(), {"--out", out.string()});
        }
        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        const auto counters_before = report::read_energy_counters(o->energy_counters);
        auto r = report::run_training(ex, table, ro);
        if (!r.already_complete)
            report::record_energy_counters(r.dir, o->energy_counters, counters_before,
                                           report::read_energy_counters(o->energy_counters),
                                           ro.resume);
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        if (r.already_complete) {
            std::cout << fmt::format(
                "{}: already complete ({} of {} epochs); nothing to resume, nothing changed\n",
                r.dir.string(), r.epochs_completed, ex.network.training.epochs);
            return;
        }
        std::cout << fmt::format("{}: {} epoch(s), final accuracy {:.2f} %, run directory {}\n",
                                 r.status, r.epochs_completed, r.final_accuracy, r.dir.string());
        if (r.status != "complete")
            throw ExitRequest{
                130, "interrupted: resume with 'synbench train --resume " + r.dir.string() + "'"};
        if (!o->no_report) {
            auto rendered = report::render_run(r.dir);
            if (auto pdf = report::write_pdfs(rendered.figures); !pdf.note.empty())
                std::cerr << "note: " << pdf.note << "\n";
            std::cout << fmt::format("report: {}\n", rendered.html.string());
        }
        if (budget) {
            auto summary = nlohmann::json::parse(util::read_file(r.dir / "summary.json"));
            auto check = report::check_budget(*budget, report::totals_from_summary(summary));
            std::cout << report::format_budget(check);
            if (check.exceeded()) throw ExitRequest{kExitBudget, "budget exceeded"};
        }
    });
}

}  // namespace synbench::cli
