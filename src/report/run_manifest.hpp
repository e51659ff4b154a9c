// manifest.json of a run directory (docs/run-directory.md): what ran, on what, for how long — one
// "session" per invocation, a resumed run appending to the sessions of the earlier ones.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "nn/dataset.hpp"
#include "sim/experiment.hpp"
#include "sim/run.hpp"

namespace synbench::report {

// Wall and CPU time of this session, and of the earlier sessions of a resumed run.
class RunClock {
   public:
    RunClock();
    double wall() const;  // this session, s
    double cpu() const;   // this session, s
    double wall_before = 0, cpu_before = 0;

   private:
    std::chrono::steady_clock::time_point t0_;
    double cpu0_;
};

// This invocation's provenance, status "running" (manifest.json's "sessions" entry).
nlohmann::ordered_json new_session(const sim::Experiment& ex, const sim::RunOptions& opt,
                                   int threads);
// The manifest of a new run, with `session` as its first session.
nlohmann::ordered_json new_manifest(const sim::Experiment& ex, const sim::RunOptions& opt,
                                    const nn::Splits& data, int threads,
                                    const nlohmann::ordered_json& session);
// file → SHA-256 of the data set's files, as the manifest keeps them.
nlohmann::ordered_json dataset_files_json(const nn::Splits& data);

// A manifest.json read back for --resume; util::Refused naming the file and what is wrong.
nlohmann::ordered_json read_manifest(const std::filesystem::path& p);
// util::Refused unless the run in `dir` started with the same configuration (but for
// training.epochs) and the same data set.
void check_same_experiment(const std::filesystem::path& dir, const sim::Experiment& ex,
                           const nlohmann::ordered_json& manifest, const nn::Splits& data,
                           const std::filesystem::path& data_dir);
// Appends `session` (resuming after `start_epoch` epochs) to the manifest, marks the run running
// again and adds the earlier sessions' times to `clock`.
void resume_manifest(nlohmann::ordered_json& manifest, nlohmann::ordered_json session,
                     int start_epoch, int epochs_planned, RunClock& clock);
// The times and epoch count of this session and of the run so far.
void stamp_manifest(nlohmann::ordered_json& manifest, const RunClock& clock, int epochs_completed);

}  // namespace synbench::report
