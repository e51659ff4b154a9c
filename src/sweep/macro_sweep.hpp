// A sweep over one macro card's fields (`macro:` in the sweep file): every point is the card with
// the axis values set, estimated by circuit::estimate_macro (estimate only, no training).
// docs/sweeps.md "Macro sweeps".
//   name: macro-10k
//   macro: ../macros/tsmc-22nm-2mb.yaml   # relative to the sweep file's folder, else the cwd
//   mode: product                         # product (default) | zip
//   axes: {array.rows: [64, 128], converter.bits: [3, 4], clock: [500 MHz, 1 GHz]}
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace synbench::sweep {

// True when the sweep file's top level holds `macro:` (it is then a macro sweep).
bool is_macro_sweep(const std::filesystem::path& file);

struct MacroSweepResult {
    std::string name;
    std::size_t points = 0, failed = 0;
    double wall_s = 0;
    std::filesystem::path csv;
};

// Expands, runs on `jobs` threads (0: all cores) and writes <out>/sweep.csv and manifest.json
// (out: default results/<name>; refused like every sweep directory unless `force`). Bad sweep
// files are config::Error; a point whose card is refused is a failed row naming why.
MacroSweepResult run_macro_sweep(const std::filesystem::path& file, std::filesystem::path out,
                                 bool force, int jobs, bool quiet);

}  // namespace synbench::sweep
