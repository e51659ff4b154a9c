// The technology card (tech/*.yaml): transistor and wire parameters of one node, with sources.
// (Interim: the circuit issue extends this card to the full PTM/IRDS tables.)
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace synbench::tech {

struct Card {
    std::string name;         // "32nm"
    double node = 0;          // m (feature size F of the periphery)
    double vdd = 0;           // V
    double temperature = 300; // K
    YAML::Node resolved;
};

Card parse_card(config::Section& s);
Card load_card(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, std::string>>& overrides = {});

}  // namespace synbench::tech
