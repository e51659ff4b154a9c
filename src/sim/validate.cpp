#include "sim/validate.hpp"

#include "config/config.hpp"
#include "device/card.hpp"
#include "device/model.hpp"
#include "sim/experiment.hpp"
#include "tech/card.hpp"

namespace synbench::sim {

std::string validate_card(const std::filesystem::path& p) {
    auto doc = config::load_file(p);
    const auto& r = doc.root;
    if (r["tech"] || r["device"] || r["layers"] || r["network"]) {
        ExperimentInputs in;
        if (r["layers"] && !r["tech"]) {
            // A network card alone: check it against a neutral tech and device card is not possible;
            // parse its own fields only.
            config::Section s(doc);
            nn::parse_network(s);
            auto h = s.section("hardware");
            circuit::parse_hardware(h);
            s.finish();
            return "network";
        }
        in.experiment = p;
        load_experiment(in);
        return "experiment";
    }
    if (r["conductance"] || r["model"]) {
        config::Section s(doc);
        auto card = device::parse_card(s);
        device::make_model(card);
        return "device";
    }
    if (r["node"]) {
        config::Section s(doc);
        tech::parse_card(s);
        return "tech";
    }
    throw config::Error(p.string(), 0, 0, "", "not a recognised card: expected a tech card (node:), a device card (model:, conductance:), a network card (layers:), "
                        "an experiment (tech:, device:, network:) or a sweep file (axes:)");
}

}  // namespace synbench::sim
