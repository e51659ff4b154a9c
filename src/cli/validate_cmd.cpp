#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "config/config.hpp"
#include "device/card.hpp"
#include "device/model.hpp"
#include "sim/experiment.hpp"
#include "tech/card.hpp"

namespace synbench::cli {

namespace {

// Checks one card file; returns the kind it was checked as. Throws config::Error on problems.
std::string validate_one(const std::filesystem::path& p) {
    auto doc = config::load_file(p);
    const auto& r = doc.root;
    if (r["tech"] || r["device"] || r["layers"] || r["network"]) {
        sim::ExperimentInputs in;
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
        sim::load_experiment(in);
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
    throw config::Error(p.string(), 0, 0, "", "not a recognised card: expected a tech card (node:), a device card (model:, conductance:) or a network card (layers:)");
}

}  // namespace

void add_validate_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("validate", "Check cards (tech, device, network, experiment) and report every problem");
    auto files = std::make_shared<std::vector<std::string>>();
    cmd->add_option("files", *files, "Card files")->required();
    cmd->callback([files] {
        int bad = 0;
        for (const auto& f : *files) {
            try {
                auto kind = validate_one(f);
                std::cout << fmt::format("ok      {} ({})\n", f, kind);
            } catch (const config::Error& e) {
                ++bad;
                std::cout << fmt::format("INVALID {}\n", e.what());
            } catch (const std::exception& e) {
                ++bad;
                std::cout << fmt::format("INVALID {}: {}\n", f, e.what());
            }
        }
        if (bad) throw ExitRequest{kExitBadInput, fmt::format("{} of {} card(s) invalid", bad, files->size())};
    });
}

}  // namespace synbench::cli
