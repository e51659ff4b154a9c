#include "sim/validate.hpp"

#include "config/config.hpp"
#include "device/card.hpp"
#include "device/model.hpp"
#include "sim/experiment.hpp"
#include "tech/card.hpp"

namespace synbench::sim {

std::string validate_card(const std::filesystem::path& p) {
    auto doc = config::load_file(p);
    const auto kind = card_kind(doc.root);
    if (kind == "experiment") {
        // Checked as estimate and train load it: every card, and their combination
        // (load_experiment builds the circuit macro and checks the IR-drop geometry).
        ExperimentInputs in;
        in.experiment = p;
        load_experiment(in);
        return kind;
    }
    if (kind == "network") {
        // A network card alone: its own fields and hardware options (combined with tech and
        // device cards when they are validated together: validate_combination).
        config::Section s(doc);
        nn::parse_network(s);
        auto h = s.section("hardware");
        circuit::parse_hardware(h);
        s.finish();
        return kind;
    }
    if (kind == "device") {
        config::Section s(doc);
        auto card = device::parse_card(s);
        device::make_model(card);
        return kind;
    }
    if (kind == "tech") {
        config::Section s(doc);
        tech::parse_card(s);
        return kind;
    }
    throw config::Error(
        p.string(), 0, 0, "",
        "not a recognised card: expected a tech card (node:), a device card (model:, "
        "conductance:), a network card "
        "(layers:), an experiment file (tech:, device:, network:) or a sweep file (axes:)");
}

void validate_combination(const std::filesystem::path& tech, const std::filesystem::path& device,
                          const std::filesystem::path& network) {
    ExperimentInputs in;
    in.tech = tech;
    in.device = device;
    in.network = network;
    load_experiment(in);
}

}  // namespace synbench::sim
