#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "config/config.hpp"
#include "sim/validate.hpp"

namespace synbench::cli {

void add_validate_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("validate", "Check cards (tech, device, network, experiment) and report every problem");
    auto files = std::make_shared<std::vector<std::string>>();
    cmd->add_option("files", *files, "Card files")->required();
    cmd->callback([files] {
        int bad = 0;
        for (const auto& f : *files) {
            try {
                auto kind = sim::validate_card(f);
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
