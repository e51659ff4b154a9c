// Helpers for the tests that train: the reference experiment (Ag:a-Si, 32 nm, 400-100-10) made
// small with --set overrides, and scratch directories under the system's temporary directory.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/experiment.hpp"
#include "util/files.hpp"

namespace synbench::test {

using Sets = std::vector<std::pair<std::string, std::string>>;

inline std::filesystem::path repo(const char* p) {
    return std::filesystem::path(SYNBENCH_SOURCE_DIR) / p;
}

// The reference cards with `base` overrides (the size of the run), then `extra` ones.
inline sim::Experiment reference_experiment(const Sets& base, const Sets& extra = {}) {
    sim::ExperimentInputs in;
    in.tech = repo("tech/32nm.yaml");
    in.device = repo("devices/ag-asi.yaml");
    in.network = repo("networks/mlp-400-100-10.yaml");
    in.sets = base;
    in.sets.insert(in.sets.end(), extra.begin(), extra.end());
    return sim::load_experiment(in);
}

// An empty path for a test's output (removed first if a previous run left it).
inline std::filesystem::path scratch(const std::string& name) {
    auto p = std::filesystem::temp_directory_path() / ("synbench-test-" + name);
    std::filesystem::remove_all(p);
    return p;
}

// Exit code of the CLI (SYNBENCH_CLI_PATH) run with `args`, its stdout in `out` and its stderr in
// `err` when given; -1 when it did not exit normally (a signal).
inline int run_cli_split(const std::string& args, std::string* out = nullptr,
                         std::string* err = nullptr) {
    const auto base =
        std::filesystem::temp_directory_path() / ("synbench-cli-" + std::to_string(::getpid()));
    const auto o = base.string() + ".out", e = base.string() + ".err";
    const int st =
        std::system((std::string(SYNBENCH_CLI_PATH) + " " + args + " >" + o + " 2>" + e).c_str());
    if (out) *out = util::read_file(o);
    if (err) *err = util::read_file(e);
    std::filesystem::remove(o);
    std::filesystem::remove(e);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace synbench::test
