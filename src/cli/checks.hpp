// Checks of command-line values shared by the subcommands (docs/bad-input.md): every integer
// option is range-checked with a message naming the option, the value and the allowed range;
// no option accepts an empty value; a run's estimated memory is checked against --max-memory.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "sim/experiment.hpp"

namespace synbench::cli {

// Worker threads a command accepts (--threads, -j): far above any core count this program is
// scheduled on, and low enough that thread stacks and TBB arenas stay bounded.
inline constexpr long long kMaxThreads = 256;

// A validator for an integer option: a whole number in [lo, hi], else
// "--opt: value 'x' is out of range: expected an integer from lo to hi".
CLI::Validator int_range(long long lo, long long hi);

// Adds to every value-taking option of `app` and its subcommands a check that refuses an empty
// value ("--out: empty value: ..."), so that `--out ''` is never taken as "not given".
void forbid_empty_values(CLI::App& app);

// `--max-memory SIZE` on `cmd`; the value is checked by check_memory.
std::shared_ptr<std::string> add_max_memory_option(CLI::App* cmd);

// Throws ExitRequest (exit 2) when the run `ex` needs more than the --max-memory limit (`text`,
// empty: sim::default_max_memory()), naming both numbers and the breakdown. `what` names the run
// ("the run", "point 'x'").
// `threads`: the run's worker threads (0: all cores).
void check_memory(const sim::Experiment& ex, const std::string& max_memory_text,
                  const std::string& what = "the run", int threads = 0);

// The limit --max-memory gives (throws ExitRequest on a bad value).
std::uint64_t max_memory_bytes(const std::string& text);

}  // namespace synbench::cli
