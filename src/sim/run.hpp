// A training run's engine: the epoch loop and its rows. The run directory around it (set-up,
// resume, files, manifest) is report::run_training (report/run_directory.hpp).
//
// The run is a two-stage TBB flow graph: the main thread trains epoch e+1 while a serial node
// classifies the test set on a snapshot of epoch e's conductances, accounts for its activity and
// writes the epoch's row and checkpoint. Results are identical whatever the thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "circuit/cost.hpp"
#include "sim/accountant.hpp"
#include "sim/experiment.hpp"
#include "sim/trainer.hpp"

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

// What the epoch loop hands to the run directory's writer after each epoch, in epoch order.
struct FinishedEpoch {
    const std::vector<EpochRow>& rows;                      // every row so far, this epoch's last
    const std::string& trainer_state;                       // Trainer::save after this epoch
    const std::vector<std::vector<std::uint32_t>>& cycles;  // pulses per cell after this epoch
    double images_per_s = 0;                                // training speed of this epoch
};

// Which epochs to train and when to stop early.
struct EpochLoop {
    int start_epoch = 0;  // 0-based index of the first epoch to train
    int epochs = 0;       // train up to (not including) this index
    int threads = 1;
    std::optional<int> stop_after_epoch;           // RunOptions::stop_after_epoch
    const std::atomic<bool>* interrupt = nullptr;  // RunOptions::interrupt
};

// The epoch loop (a two-stage TBB flow graph, see above): trains epochs [start_epoch, epochs) and,
// on a serial writer stage, classifies the test set on each epoch's snapshot, accounts for its
// activity (against `table` when hardware is enabled), appends the epoch's row to `rows` and calls
// `write`. Stops early (rows short of `epochs`) on `interrupt` or `stop_after_epoch`; an exception
// from training, accounting or `write` stops the loop and is rethrown.
void train_epochs(const Experiment& ex, const circuit::CostTable& table, Trainer& trainer,
                  const nn::Dataset& test, const EpochLoop& loop, std::vector<EpochRow>& rows,
                  const std::function<void(const FinishedEpoch&)>& write);

}  // namespace synbench::sim
