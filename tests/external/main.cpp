// An external program using the installed synbench library: loads a device card (a path, or a
// name found through $SYNBENCH_CARDS / the installed cards) and prints its conductance range.
// Not part of the synbench build; tools/ci-install builds it with find_package and pkg-config.
#include <cstdio>
#include <exception>
#include <string>

#include "config/config.hpp"
#include "device/card.hpp"
#include "util/build_info.hpp"
#include "util/card_search.hpp"

int main(int argc, char** argv) {
    const std::string ref = argc > 1 ? argv[1] : "ag-asi";
    try {
        auto lookup = synbench::util::find_card(synbench::util::CardKind::device, ref);
        if (!lookup.found) {
            std::fprintf(stderr, "%s: %s\n", ref.c_str(),
                         synbench::util::looked_for(lookup).c_str());
            return 2;
        }
        auto doc = synbench::config::load_file(*lookup.found);
        synbench::config::Section s(doc);
        const auto card = synbench::device::parse_card(s);
        std::printf("synbench %s: device %s (%s): G_min %.4g S, G_max %.4g S, on/off %.3g\n",
                    synbench::build::kVersion, card.name.c_str(), lookup.found->string().c_str(),
                    card.g_min, card.g_max, card.g_max / card.g_min);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
