// Running a sweep: locally (several points at once on the local cores) or over MPI ranks
// (sweep/mpi.hpp), then writing DIR/sweep.csv, DIR/manifest.json, DIR/report.md and report.html.
//
// Every point's training runs with one thread and its own seed, so a point's results do not
// depend on which worker, rank or order ran it: sweep.csv is identical for any -j and any number
// of ranks, apart from its `rank` column.
#pragma once

#include "util/time.hpp"

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sweep/point.hpp"
#include "sweep/sweep_file.hpp"

namespace synbench::sweep {

using util::iso_now;

struct SweepOptions {
    std::filesystem::path out;
    int jobs = 0;  // points at once per process; 0: all cores (local), 1 (MPI)
    bool estimate = false;
    bool quiet = false;
    bool point_reports = true;  // each finished point's report.md/report.html, as `train` writes
    std::optional<int> stop_after_points;  // testing: hand out no new point after N points ran
    const std::atomic<bool>* interrupt = nullptr;
    std::optional<std::filesystem::path> data_dir;
    std::vector<std::string> command;
};

// The sweep directory may be new, empty, or an earlier sweep's directory (its manifest.json names a
// sweep): re-running resumes it. Any other existing path is refused (util::Refused) unless `force`,
// since the sweep writes sweep.csv, manifest.json, report.* and figures/ into it. A file is
// refused even with `force`.
void check_output_dir(const std::filesystem::path& out, bool force);

struct SweepOutcome {
    std::vector<PointResult> results;  // one per point, in the sweep's (name) order
    std::string mode = "local";        // local | mpi
    int ranks = 1;                     // MPI world size (1 locally)
    int jobs = 1;                      // points at once per working process
    std::string started_at, finished_at;
    double wall_s = 0;
    int count(const std::string& status) const;
    int skipped() const;
    std::vector<int> ranks_used() const;  // ranks that ran at least one point in this invocation
};

// Runs the points on a pool of `jobs` threads pulling the next point index from a shared counter.
// (Plain threads rather than a TBB parallel loop: each run sets a process-wide TBB concurrency
// limit for its one thread, which would starve a TBB loop around it.)
SweepOutcome run_local(const Sweep& sw, const SweepOptions& opt);

// The sweep.csv text: header `point,<axis keys>,<results>,status,rank,error`, one row per point in
// name order. Results: final_accuracy,area_m2,energy_J,latency_s,leakage_W (training) or
// area_m2,leakage_W,read_energy_per_image_J,read_latency_per_image_s (estimate). Numbers %.17g.
std::string sweep_csv(const Sweep& sw, const SweepOutcome& out, bool estimate);

// Writes sweep.csv, manifest.json, report.md and report.html into opt.out (atomically).
void write_outputs(const Sweep& sw, const SweepOptions& opt, const SweepOutcome& out);

}  // namespace synbench::sweep
