// A run directory read back from its files (docs/run-directory.md), and nothing else.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/results.hpp"

namespace synbench::report {

// A run directory that cannot be read as the contract says: the message names the file (and the
// line or key) and what was expected.
class Error : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

// The epochs.csv columns, in the contract's fixed order.
const std::vector<std::string>& epoch_columns();

struct Epochs {
    std::vector<std::string> columns;
    std::vector<std::vector<double>> rows;  // rows[i][column]
    std::size_t size() const { return rows.size(); }
    std::size_t col(const std::string& name) const;  // index; Error when absent
    bool has(const std::string& name) const;
    // The column's values; zeros for an optional column (sim/results.hpp) the run lacks.
    std::vector<double> column(const std::string& name) const;
};

struct Run {
    std::filesystem::path dir;
    YAML::Node config;           // config.yaml
    nlohmann::json manifest;     // manifest.json
    Epochs epochs;               // epochs.csv
    nlohmann::json epochs_json;  // epochs.json
    nlohmann::json summary;      // summary.json

    std::string device() const;  // summary "device"
    std::string tech() const;    // summary "tech"
    bool hardware() const;       // summary "hardware_enabled"
    std::uint64_t seed() const;
    bool complete() const;       // summary and manifest both say complete
    std::string status() const;  // manifest "status"
    // A number from summary.json by dotted path ("energy_J.total"); Error naming the key if absent.
    double number(const std::string& dotted) const;
    // A number that runs written before it existed lack (training periphery fields): `absent`
    // then.
    double number_or(const std::string& dotted, double absent) const;
    // The config as one string per leaf, "training.epochs" → "3" (for grouping and differences).
    std::map<std::string, std::string> flat_config() const;
};

// A run's training energy on a named basis (sim/results.hpp kEnergyBases), from summary.json's
// parts (a run written before the training periphery existed has none: 0).
double energy_on(const Run& r, const sim::EnergyBasis& b);

// Reads every file of the contract; Error naming the first one missing or malformed.
Run load_run(const std::filesystem::path& dir);

// Parses epochs.csv text (`name` is used in messages).
Epochs parse_epochs_csv(const std::string& text, const std::string& name);

// Looks up a dotted path in JSON; nullptr when absent.
const nlohmann::json* json_at(const nlohmann::json& j, const std::string& dotted);

}  // namespace synbench::report
