#include <fmt/format.h>

#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "config/config.hpp"
#include "sim/validate.hpp"
#include "sweep/sweep_file.hpp"

namespace synbench::cli {

namespace {

// A sweep file (recognised by `axes:`): its axes, filters and every axis value in a point's
// resolved configuration; anything else is a card (sim::validate_card).
std::string validate_file(const std::string& f) {
    auto doc = config::load_file(f);
    if (doc.root.IsMap() && doc.root["axes"]) {
        auto sw = sweep::parse_sweep(doc);
        sweep::check_points(sw, [](const sim::Experiment&) {});
        return fmt::format("sweep, {} point(s)", sw.points.size());
    }
    return sim::validate_card(f);
}

}  // namespace

void add_validate_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("validate",
                                   "Check cards (tech, device, network, experiment) and sweep "
                                   "files, and report every problem; tech, "
                                   "device and network cards given together are also checked in "
                                   "every combination, as estimate and "
                                   "train would load them");
    auto files = std::make_shared<std::vector<std::string>>();
    cmd->add_option("files", *files, "Card files")->required();
    cmd->callback([files] {
        int bad = 0;
        std::map<std::string, std::vector<std::string>> valid;  // kind → files that passed alone
        for (const auto& f : *files) {
            try {
                auto kind = validate_file(f);
                valid[kind].push_back(f);
                std::cout << fmt::format("ok      {} ({})\n", f, kind);
            } catch (const config::Error& e) {
                ++bad;
                std::cout << fmt::format("INVALID {}\n", e.what());
            } catch (const std::exception& e) {
                ++bad;
                std::cout << fmt::format("INVALID {}: {}\n", f, e.what());
            }
        }
        // Every combination of the valid tech, device and network cards: the checks that only the
        // combination allows (the circuit macro builds, IR drop leaves currents positive).
        std::size_t combos = 0, bad_combos = 0;
        for (const auto& t : valid["tech"])
            for (const auto& d : valid["device"])
                for (const auto& n : valid["network"]) {
                    ++combos;
                    try {
                        sim::validate_combination(t, d, n);
                    } catch (const std::exception& e) {
                        ++bad_combos;
                        std::cout << fmt::format(
                            "INVALID combination --tech {} --device {} --network {}: {}\n", t, d, n,
                            e.what());
                    }
                }
        if (combos > 0)
            std::cout << fmt::format(
                "{} {} of {} combination(s) of tech, device and network cards\n",
                bad_combos ? "INVALID" : "ok     ", bad_combos ? bad_combos : combos, combos);
        if (bad || bad_combos)
            throw ExitRequest{
                kExitBadInput,
                fmt::format("{} of {} card(s) invalid{}", bad, files->size(),
                            bad_combos ? fmt::format(", {} of {} combination(s) invalid",
                                                     bad_combos, combos)
                                       : std::string())};
    });
}

}  // namespace synbench::cli
