// A training run's directory (docs/run-directory.md): set-up or resume, the files of every epoch,
// summary.json and manifest.json around the epoch loop of sim::train_epochs.
#pragma once

#include "circuit/cost.hpp"
#include "report/run_files.hpp"
#include "sim/experiment.hpp"
#include "sim/run.hpp"

namespace synbench::report {

// Runs (or resumes) training and writes the run directory, holding its lock (util::DirLock) all
// along. Throws on bad input or I/O failure; a failure leaves the files of completed epochs intact
// and the manifest marked "failed". util::Refused when the directory is in use by another run,
// when --force would delete an input, or when a resume would change the experiment (anything but
// training.epochs in config.yaml, or the dataset). Resuming a finished run writes nothing.
sim::RunOutcome run_training(const sim::Experiment& ex, const circuit::CostTable& table,
                             const sim::RunOptions& opt);

}  // namespace synbench::report
