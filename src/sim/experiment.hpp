// An experiment: a technology card, a device card and a network card (with hardware options),
// plus the seed — loaded, overridden (`--set`), validated, and resolved into one configuration
// with every default explicit (what a run writes as config.yaml and can be re-run from).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "circuit/options.hpp"
#include "device/card.hpp"
#include "nn/network_card.hpp"
#include "tech/card.hpp"

namespace synbench::sim {

struct ExperimentInputs {
    std::optional<std::filesystem::path> experiment;  // a file naming tech/device/network (or a run's config.yaml)
    std::optional<std::filesystem::path> tech, device, network;
    std::vector<std::pair<std::string, std::string>> sets;  // --set key=value, in order
    std::optional<std::uint64_t> seed;
};

struct Experiment {
    tech::Card tech;
    device::Card device;
    nn::NetworkSpec network;
    circuit::HardwareOptions hardware;
    std::uint64_t seed = 1;
    YAML::Node resolved;  // seed, tech, device, and the network's fields
    std::vector<std::pair<std::string, std::string>> input_sha256;  // input file → SHA-256
};

Experiment load_experiment(const ExperimentInputs& in);

}  // namespace synbench::sim
