// Inference after training (docs/non-idealities.md "Retention and drift"): the trained
// conductances of a finished run, aged by the card's drift model for each time, classified on the
// test set, optionally with a global drift compensation.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace synbench::sim {

struct InferOptions {
    std::filesystem::path run;  // a run directory (config.yaml, checkpoint/state.bin)
    std::vector<double> times;  // s since programming
    bool compensate = false;    // also report the compensated accuracy
    std::vector<std::pair<std::string, std::string>>
        sets;                     // --set overrides on the run's configuration
    std::size_t test_images = 0;  // 0: the run's own test_images (0 = all)
    int threads = 0;              // 0: all cores
    std::optional<std::filesystem::path> data_dir;
};

struct InferPoint {
    double time_s = 0;
    double accuracy = 0;                // %
    std::optional<double> compensated;  // %, with --compensate
    std::vector<double> gain;           // per layer: the compensation factor
};

struct InferResult {
    double trained_accuracy = 0;  // the same test pass on the un-aged conductances
    std::vector<InferPoint> points;
    nlohmann::ordered_json json;  // what infer.json holds
};

// Runs the evaluation and writes RUN/infer.json and RUN/infer.csv atomically.
InferResult infer_after_training(const InferOptions& opt);

// The compensation factor of one layer: Σ G(programmed) / Σ G(aged) over its cells (both arrays
// of a pair) — a calibration read with all rows driven, at programming time and at time t.
double drift_gain(const std::vector<const std::vector<double>*>& programmed,
                  const std::vector<const std::vector<double>*>& aged);

}  // namespace synbench::sim
