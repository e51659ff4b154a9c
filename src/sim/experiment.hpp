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
#include "sim/ir_drop.hpp"
#include "tech/card.hpp"

namespace synbench::sim {

struct ExperimentInputs {
    std::optional<std::filesystem::path>
        experiment;  // a file naming tech/device/network (or a run's config.yaml)
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

// Loads, overrides and checks: every card, and their combination (the circuit macro builds with
// finite costs; IR drop leaves cell currents positive), so that what loads here never fails later
// on a card error. Errors are config::Error naming file, line and field.
Experiment load_experiment(const ExperimentInputs& in);

// The trainer's commands (train, bench, infer, sweep, reproduce): a graph card the layer-graph
// trainer cannot run (a batch_norm layer, a softmax before the last layer) is refused with a
// config::Error naming the card, the layer and its line; IR drop with a graph card names
// hardware.ir_drop.
void require_trainable(const Experiment& ex, const std::string& command);

// The kind of card a parsed file is, by its fields: "experiment" (tech:, device: or network:),
// "network" (layers:), "device" (model:, conductance:), "tech" (node:, flavours:), or "" when none.
std::string card_kind(const YAML::Node& root);

// The IR-drop geometry of each weight layer's tile (wire resistance per cell pitch, access
// resistance), from the circuit model: what the trainer reads with.
std::vector<IrGeometry> ir_geometry(const Experiment& ex);

}  // namespace synbench::sim
