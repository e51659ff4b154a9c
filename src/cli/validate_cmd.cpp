#include <fmt/format.h>

#include <iostream>

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
    auto* cmd = app.add_subcommand("validate", "Check cards (tech, device, network, experiment) and sweep files, and report every problem");
    auto files = std::make_shared<std::vector<std::string>>();
    cmd->add_option("files", *files, "Card files")->required();
    cmd->callback([files] {
        int bad = 0;
        for (const auto& f : *files) {
            try {
                auto kind = validate_file(f);
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
