// Running an external program (npm, tar) without a shell.
#pragma once

#include <string>
#include <vector>

namespace synbench::util {

struct ProcessResult {
    int exit_code = -1;  // -1 when it could not be started or was killed by a signal
    std::string output;  // stdout and stderr together
};

// Runs argv[0] (looked up on PATH) with the arguments, waits for it and captures its output.
ProcessResult run_process(const std::vector<std::string>& argv);

}  // namespace synbench::util
