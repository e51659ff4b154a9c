#include "cli/commands.hpp"
#include "sim/experiment.hpp"

namespace synbench::cli {

void add_train_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("train", "Train an MLP on MNIST in the simulated hardware (not yet wired)");
    cmd->callback([] { throw ExitRequest{kExitFailure, "train: the trainer lands in the next commit"}; });
}

}  // namespace synbench::cli
