#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <limits>

#include "cli/checks.hpp"
#include "cli/commands.hpp"
#include "cli/experiment_options.hpp"
#include "config/config.hpp"
#include "sweep/driver.hpp"
#include "sweep/macro_sweep.hpp"
#include "sweep/mpi.hpp"
#include "util/files.hpp"

namespace synbench::cli {

namespace {
// Set by SIGINT/SIGTERM: running points stop after their current epoch, no new point starts.
std::atomic<bool> g_sweep_interrupted{false};
extern "C" void on_sweep_signal(int) { g_sweep_interrupted.store(true); }

std::uint64_t names_hash(const sweep::Sweep& sw) {
    std::string all;
    for (const auto& p : sw.points) all += p.name + "\n";
    return std::stoull(util::sha256_hex(all).substr(0, 15), nullptr, 16);
}
// An MPI launcher started several ranks (an MPI-less build must not run the sweep N times over).
bool launched_by_mpi_world_above_one() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS"})
        if (const char* s = std::getenv(v); s && std::atoi(s) > 1) return true;
    return false;
}
}  // namespace

void add_sweep_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "sweep", "Run a design-space sweep (locally, or over MPI ranks under mpirun/srun)");
    struct Opts {
        std::string file, out, data_dir;
        int jobs = 0;
        bool estimate = false, quiet = false, no_report = false, force = false;
        int stop_after_points = -1;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("sweep", o->file,
                    "Sweep file (YAML: base experiment, axes, mode, filter; see docs/sweeps.md)")
        ->required();
    cmd->add_option("--out,-o", o->out,
                    "Sweep directory (default: results/<sweep name>); re-running resumes it");
    cmd->add_option("--threads,-j", o->jobs,
                    "Worker threads: points run at once per process (default: all cores locally, "
                    "1 per MPI rank)")
        ->check(int_range(1, kMaxThreads));
    add_deprecated_alias(cmd, "--jobs", "--threads", o->jobs)->check(int_range(1, kMaxThreads));
    cmd->add_flag(
        "--estimate", o->estimate,
        "Circuit model only (no training): area, leakage, per-image read energy and latency");
    add_data_dir_option(cmd, o->data_dir);
    cmd->add_flag("--quiet,-q", o->quiet, "No per-point progress lines");
    cmd->add_flag(
        "--force", o->force,
        "Write into an existing non-empty --out that is not an earlier sweep's directory");
    cmd->add_flag("--no-report", o->no_report,
                  "Do not render each point's own report (the sweep's report is always written)");
    cmd->add_option("--stop-after-points", o->stop_after_points,
                    "Start no new point after N points ran (for testing resume)")
        ->check(int_range(0, std::numeric_limits<int>::max()))
        ->group("");
    auto max_memory = add_max_memory_option(cmd);
    cmd->callback([o, cmd, max_memory] {
        if (sweep::is_macro_sweep(o->file)) {
            // `macro:` sweeps vary one macro card's fields, estimate only (docs/sweeps.md).
            sweep::MacroSweepResult r;
            try {
                r = sweep::run_macro_sweep(o->file, o->out, o->force, o->jobs, o->quiet);
            } catch (const config::Error& e) {
                throw ExitRequest{kExitBadInput, std::string("error: ") + e.what()};
            }
            std::cout << fmt::format("sweep {}: {} points, {} complete, {} failed; {:.2f} s; {}\n",
                                     r.name, r.points, r.points - r.failed, r.failed, r.wall_s,
                                     r.csv.string());
            if (r.failed > 0)
                throw ExitRequest{kExitFailure, fmt::format("{} point(s) failed: see {}", r.failed,
                                                            r.csv.string())};
            return;
        }
        sweep::MpiSession mpi;
        if (!mpi.active() && launched_by_mpi_world_above_one())
            throw ExitRequest{
                kExitBadInput,
                "error: started by an MPI launcher with several ranks, but this synbench was built "
                "without MPI "
                "support (install libopenmpi-dev and rebuild; CMake option SYNBENCH_MPI)"};
        const bool master = mpi.rank() == 0;
        std::optional<sweep::Sweep> sw;
        std::string problem;
        try {
            sw = sweep::load_sweep(o->file);
            // Every point's configuration is resolved (and its memory checked) before any runs.
            const bool estimate = o->estimate || sw->estimate;
            sweep::check_points(*sw, [&](const sim::Experiment& ex) {
                if (!estimate) check_memory(ex, *max_memory, "a point of the sweep", 1);
                sim::require_trainable(ex, "sweep");
            });
        } catch (const config::Error& e) {
            problem = std::string("error: ") + e.what();
        } catch (const ExitRequest& e) {
            problem = e.message;
        }
        if (!mpi.all(problem.empty()))
            throw ExitRequest{kExitBadInput,
                              master ? problem.empty()
                                           ? "error: the sweep file failed to load on another rank"
                                           : problem
                                     : ""};
        if (!mpi.same(names_hash(*sw)))
            throw ExitRequest{kExitBadInput, master ? "error: the ranks see different sweeps "
                                                      "(different working directories or files?)"
                                                    : ""};

        sweep::SweepOptions so;
        so.out = o->out.empty() ? std::filesystem::path("results") / sweep::sanitize(sw->name)
                                : std::filesystem::path(o->out);
        sweep::check_output_dir(
            so.out, o->force);  // before any point runs; never replaces a user's directory
        so.jobs = o->jobs;
        so.estimate = o->estimate || sw->estimate;
        so.quiet = o->quiet;
        so.point_reports = !o->no_report;
        if (o->stop_after_points >= 0) so.stop_after_points = o->stop_after_points;
        so.interrupt = &g_sweep_interrupted;
        if (!o->data_dir.empty()) so.data_dir = o->data_dir;
        so.command = {"synbench", "sweep"};
        for (const auto& a : cmd->remaining()) so.command.push_back(a);
        so.command.push_back(o->file);
        if (!o->out.empty()) so.command.insert(so.command.end(), {"--out", o->out});
        if (so.estimate) so.command.push_back("--estimate");

        std::signal(SIGINT, on_sweep_signal);
        std::signal(SIGTERM, on_sweep_signal);
        auto out = mpi.size() > 1 ? sweep::run_mpi(*sw, so, mpi) : sweep::run_local(*sw, so);
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        if (!master) return;

        sweep::write_outputs(*sw, so, out);
        const int failed = out.count("failed");
        const int unfinished = out.count("interrupted") + out.count("not_run");
        std::cout << fmt::format(
            "sweep {}: {} points, {} complete ({} already done), {} failed, {} unfinished; {} "
            "rank(s) ran points; {:.1f} s; {}\n",
            sw->name, out.results.size(), out.count("complete"), out.skipped(), failed, unfinished,
            out.ranks_used().size(), out.wall_s, (so.out / "sweep.csv").string());
        if (failed > 0)
            throw ExitRequest{kExitFailure, fmt::format("{} point(s) failed: see {}", failed,
                                                        (so.out / "sweep.csv").string())};
        if (unfinished > 0)
            throw ExitRequest{130, "interrupted: re-run the same command to resume the sweep"};
    });
}

}  // namespace synbench::cli
