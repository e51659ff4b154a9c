// Finding cards by name: `--device ag-asi` as well as `--device devices/ag-asi.yaml`.
//
// A reference is looked up in this order, the first existing file wins:
//   1. the reference as a path (relative to the working directory), then next to `base_dir`
//      (the file that names it, e.g. an experiment card);
//   2. each search root: the directories of $SYNBENCH_CARDS (colon-separated), then the
//      installation's share/synbench (found from the executable: <exe dir>/../share/synbench),
//      then, for development builds only, the source tree named by the file
//      `synbench-source-tree` that the build writes next to its executables (never installed).
//      In a root, `ref` is tried as `<root>/<ref>`, and a bare name also as
//      `<root>/<kind>/<name>.yaml` and `<root>/<name>.yaml`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace synbench::util {

// The card folders of a search root: tech, devices, networks, sweeps, macros.
enum class CardKind { tech, device, network, sweep, macro };
const char* card_folder(CardKind kind);

// The search roots in order (only existing directories).
std::vector<std::filesystem::path> card_search_roots();

struct CardLookup {
    std::optional<std::filesystem::path> found;
    std::vector<std::filesystem::path>
        tried;  // every place looked at, in order (for the error message)
};

CardLookup find_card(CardKind kind, const std::string& ref,
                     const std::optional<std::filesystem::path>& base_dir = std::nullopt);

// "looked for a, b, c; more card folders: $SYNBENCH_CARDS=DIR:DIR" — the tail of the message for
// a failed lookup.
std::string looked_for(const CardLookup& lookup);

}  // namespace synbench::util
