// One point of a sweep: an ordinary run directory DIR/points/<name>/ (or, with --estimate, the
// circuit model alone), reduced to one row of sweep.csv.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "circuit/cost.hpp"
#include "sim/experiment.hpp"
#include "sweep/sweep_file.hpp"

namespace synbench::sweep {

struct PointResult {
    std::string name;
    std::string status = "not_run";  // complete | failed | interrupted | not_run
    std::string error;               // one line; empty unless failed
    int rank = -1;                   // MPI rank that ran it (0 in a local sweep), -1 if nobody did
    bool skipped = false;            // complete from an earlier invocation: not run again
    double wall_s = 0;               // this invocation's time on the point (not in sweep.csv)
    // Training (from the point's summary.json).
    std::optional<double> final_accuracy, area_m2, energy_J, latency_s, leakage_W;
    // Estimate (circuit model only): one inference of one image, sim::estimate_inference().
    std::optional<double> read_energy_per_image_J, read_latency_per_image_s;
};

nlohmann::json to_json(const PointResult& r);
PointResult point_result_from_json(const nlohmann::json& j);

struct PointContext {
    std::filesystem::path out;  // the sweep directory
    int rank = 0;
    bool estimate = false;
    bool point_reports = true;  // render each finished point's report.md/html (report::render_run)
    std::optional<std::filesystem::path> data_dir;
    std::vector<std::string> command;
    const std::atomic<bool>* interrupt = nullptr;
};

// Runs (or skips, or resumes) one point. Never throws for a failure of the point itself: the
// error is recorded in the result. Training points run with one thread, so results are identical
// whatever the schedule.
PointResult run_point(const Sweep& sw, const Point& p, const PointContext& ctx);

// A point directory's summary.json is complete and its config.yaml is `resolved_yaml`.
bool point_is_complete(const std::filesystem::path& dir, const std::string& resolved_yaml);

}  // namespace synbench::sweep
