// The `synbench` subcommands. Each add_* function declares one subcommand on the app and binds its
// action; main() lists them once. The commands are thin: they parse options and call the library.
#pragma once

#include <CLI/CLI.hpp>

namespace synbench::cli {

// Exit codes: 0 success, 1 the run failed, 2 bad input or usage, 3 a budget was exceeded.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitBudget = 3;

// Thrown by a command to end with a given exit code after printing `what()` (if not empty).
struct ExitRequest {
    int code;
    std::string message;
};

void add_data_command(CLI::App& app);
void add_validate_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_device_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_reproduce_command(CLI::App& app);
void add_estimate_command(CLI::App& app);
void add_infer_command(CLI::App& app);
void add_cards_command(CLI::App& app);  // cards schema|reference|list|show, config show
// Hidden `completion bash|zsh`: its scripts list what the app holds when the command runs.
void add_completion_command(CLI::App& app);
std::string completion_script(CLI::App& app, const std::string& shell);

}  // namespace synbench::cli
