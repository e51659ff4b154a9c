#include "cli/commands.hpp"

namespace synbench::cli {
void add_compare_command(CLI::App& app) { (void)app; }
}  // namespace synbench::cli
