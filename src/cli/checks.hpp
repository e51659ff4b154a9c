// Checks of command-line values shared by the subcommands (docs/bad-input.md): every integer
// option is range-checked with a message naming the option, the value and the allowed range;
// no option accepts an empty value; a run's estimated memory is checked against --max-memory.
#pragma once

#include <CLI/CLI.hpp>

#include <iostream>
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

// A deprecated spelling of an option, kept for one release (docs/cli.md "Options"): `old_name`
// sets the same `target` as the option `new_name`, is listed by --help in its own group (not
// hidden: CLI11 names hidden options with an empty string in its errors) and left out of the shell
// completion, and prints one line on stderr when used:
//   "warning: --jobs is deprecated; use --threads (same meaning)".
// Returns the option so that callers can add the same checks as the new spelling.
inline const std::string kDeprecatedGroup = "Deprecated spellings (removed in the next release)";
template <typename T>
CLI::Option* add_deprecated_alias(CLI::App* cmd, const std::string& old_name,
                                  const std::string& new_name, T& target) {
    auto* now = cmd->get_option_no_throw(new_name);
    auto* opt = cmd->add_option(old_name, target, "Deprecated: use " + new_name);
    opt->group(kDeprecatedGroup);
    // A check run once per value, after the whole command line is parsed (so that both spellings'
    // counts are known): both at once are refused, else the warning.
    opt->check(CLI::Validator(
        [old_name, new_name, now](std::string&) -> std::string {
            if (now && now->count() > 0)
                return "is the deprecated spelling of " + new_name + ": give only " + new_name;
            std::cerr << "warning: " << old_name << " is deprecated; use " << new_name
                      << " (same meaning)\n";
            return {};
        },
        ""));
    return opt;
}

// The limit --max-memory gives (throws ExitRequest on a bad value).
std::uint64_t max_memory_bytes(const std::string& text);

}  // namespace synbench::cli
