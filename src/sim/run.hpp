// A training run: the experiment, the data, the epochs, the files (docs/run-directory.md).
//
// The run is a two-stage TBB flow graph: the main thread trains epoch e+1 while a serial node
// classifies the test set on a snapshot of epoch e's conductances, accounts for its activity and
// writes the epoch's row and checkpoint. Results are identical whatever the thread count.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "circuit/cost.hpp"
#include "sim/accountant.hpp"
#include "sim/experiment.hpp"

namespace synbench::sim {

// One finished epoch, as the progress line shows it: the epoch's own test accuracy, never the
// previous epoch's.
struct EpochProgress {
    int epoch = 0;            // 1-based, the epoch whose row was just written
    int epochs = 0;           // of the run
    double accuracy = 0;      // test accuracy after this epoch, %
    double images_per_s = 0;  // training speed of this epoch
    double eta_s = 0;
};

struct RunOptions {
    std::filesystem::path out;
    int threads = 0;      // 0: all cores
    bool quiet = false;   // no progress line
    bool resume = false;  // continue the run in `out` from its last checkpoint
    bool force = false;   // replace an existing `out`
    std::optional<std::filesystem::path> data_dir;
    std::vector<std::string> command;     // for the manifest
    std::optional<int> stop_after_epoch;  // stop (as if interrupted) after this many epochs
    const std::atomic<bool>* interrupt =
        nullptr;  // set by a signal handler: stop after the current epoch
    // Called after each epoch's row is written (on the writer thread, one call at a time); when
    // empty, the run prints a progress line on a terminal unless `quiet`.
    std::function<void(const EpochProgress&)> on_epoch;
};

struct EpochRow {
    int epoch = 0;
    double accuracy = 0;
    double train_images = 0;
    EpochCosts cost, cum;
};

struct RunOutcome {
    std::string status;  // complete | interrupted
    int epochs_completed = 0;
    double final_accuracy = 0;
    std::filesystem::path dir;
    bool already_complete = false;  // --resume of a finished run: nothing was run or written
};

// Runs (or resumes) training and writes the run directory, holding its lock (util::DirLock) all
// along. Throws on bad input or I/O failure; a failure leaves the files of completed epochs intact
// and the manifest marked "failed". util::Refused when the directory is in use by another run,
// when --force would delete an input, or when a resume would change the experiment (anything but
// training.epochs in config.yaml, or the dataset). Resuming a finished run writes nothing.
RunOutcome run_training(const Experiment& ex, const circuit::CostTable& table,
                        const RunOptions& opt);

// The epochs.csv text of a list of rows (also used by tests and `reproduce`).
std::string epochs_csv(const std::vector<EpochRow>& rows);

}  // namespace synbench::sim
