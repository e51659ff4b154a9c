// The files of a run directory (docs/run-directory.md), formatted: epochs.csv, epochs.json, the
// endurance block of summary.json (the checkpoint is sim/checkpoint.hpp). The epoch rows go
// through the result declaration (sim/results.hpp) in every one of them.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/checkpoint.hpp"
#include "sim/results.hpp"
#include "sim/run.hpp"

namespace synbench::report {

// The epochs.csv text of a list of rows (also used by tests and `reproduce`).
std::string epochs_csv(const std::vector<sim::EpochRow>& rows);
nlohmann::ordered_json epochs_json(const std::vector<sim::EpochRow>& rows);

nlohmann::ordered_json endurance_json(const std::vector<std::vector<std::uint32_t>>& cycles,
                                      std::optional<double> limit);
// The dotted path of the first NaN/Inf number in a JSON tree, if any.
std::optional<std::string> non_finite_field(const nlohmann::ordered_json& j,
                                            const std::string& path = "");

using sim::json_message;
// Writes `j` (indented) atomically; refuses a non-finite number or text that is not UTF-8 with an
// error naming the file.
void write_json(const std::filesystem::path& p, const nlohmann::ordered_json& j);

}  // namespace synbench::report
