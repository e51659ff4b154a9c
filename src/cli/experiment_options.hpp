// Options shared by the commands that take an experiment: cards, --set, --seed.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "sim/experiment.hpp"

namespace synbench::cli {

struct ExperimentOptions {
    std::string experiment, tech, device, network;
    std::vector<std::string> sets;
    long long seed = -1;
    sim::ExperimentInputs inputs() const;
    // The command as parsed (rebuilt from the options, for manifests).
    std::vector<std::string> command_line(const std::string& subcommand) const;
};

// Declares the experiment options on `cmd`; `with_seed` false for commands the seed cannot affect
// (the circuit estimate).
std::shared_ptr<ExperimentOptions> add_experiment_options(CLI::App* cmd, bool with_seed = true);

// --data-dir: where the data sets are (the commands that read them).
void add_data_dir_option(CLI::App* cmd, std::string& dir);

// "ag-asi-mlp-400-100-10-s1" style directory name.
std::string default_run_name(const sim::Experiment& ex);

}  // namespace synbench::cli
