#include "cli/experiment_options.hpp"

#include <cctype>
#include <limits>

#include "cli/checks.hpp"

#include "config/config.hpp"

namespace synbench::cli {

sim::ExperimentInputs ExperimentOptions::inputs() const {
    sim::ExperimentInputs in;
    if (!experiment.empty()) in.experiment = experiment;
    if (!tech.empty()) in.tech = tech;
    if (!device.empty()) in.device = device;
    if (!network.empty()) in.network = network;
    for (const auto& s : sets) in.sets.push_back(config::split_assignment(s));
    if (seed >= 0) in.seed = static_cast<std::uint64_t>(seed);
    return in;
}

std::shared_ptr<ExperimentOptions> add_experiment_options(CLI::App* cmd, bool with_seed) {
    auto o = std::make_shared<ExperimentOptions>();
    cmd->add_option("experiment", o->experiment,
                    "Experiment file naming tech/device/network (or a run's config.yaml)");
    cmd->add_option("--tech,-t", o->tech,
                    "Technology card: a file or a name (32nm) in the card search path");
    cmd->add_option("--device,-d", o->device,
                    "Device card: a file or a name (ag-asi) in the card search path");
    cmd->add_option("--network,-n", o->network,
                    "Network card: a file or a name (mlp-400-100-10) in the card search path");
    cmd->add_option("--set,-s", o->sets,
                    "Override a field: key.path=value (tech.*, device.*, seed, or a network field)")
        ->take_all();
    if (with_seed)
        cmd->add_option("--seed", o->seed, "Random seed (same seed, same results)")
            ->check(int_range(0, std::numeric_limits<long long>::max()));
    return o;
}

std::vector<std::string> ExperimentOptions::command_line(const std::string& subcommand) const {
    std::vector<std::string> a{"synbench", subcommand};
    if (!experiment.empty()) a.push_back(experiment);
    for (auto [flag, v] : {std::pair{"--tech", tech}, std::pair{"--device", device},
                           std::pair{"--network", network}})
        if (!v.empty()) a.insert(a.end(), {flag, v});
    for (const auto& s : sets) a.insert(a.end(), {"--set", s});
    if (seed >= 0) a.insert(a.end(), {"--seed", std::to_string(seed)});
    return a;
}

std::string default_run_name(const sim::Experiment& ex) {
    std::string s;
    for (char c : ex.device.name)
        s += std::isalnum(static_cast<unsigned char>(c))
                 ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                 : '-';
    return s + "-" + ex.network.name + "-s" + std::to_string(ex.seed);
}

void add_data_dir_option(CLI::App* cmd, std::string& dir) {
    cmd->add_option("--data-dir", dir,
                    "Data-set directory: MNIST, Fashion-MNIST, imported CIFAR-10 (default: "
                    "$SYNBENCH_DATA, else ~/.cache/synbench)");
}

}  // namespace synbench::cli
