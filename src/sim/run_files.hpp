// Formatting of the run directory's files (docs/run-directory.md): internal to sim/.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "circuit/cost.hpp"
#include "sim/results.hpp"
#include "sim/run.hpp"

namespace synbench::sim {

nlohmann::ordered_json epochs_json(const std::vector<EpochRow>& rows);
nlohmann::ordered_json cost_tree_json(const circuit::CostNode& n);
nlohmann::ordered_json row_to_checkpoint_json(const EpochRow& r);
EpochRow row_from_checkpoint_json(const nlohmann::ordered_json& j);
nlohmann::ordered_json endurance_json(const std::vector<std::vector<std::uint32_t>>& cycles,
                                      std::optional<double> limit);
// summary.json's training-periphery fields and energy bases (sim/summary_fields.hpp), from the
// cost table and the run's cumulative costs; with a training periphery the area_breakdown becomes
// {chip: [macro, training_periphery]}.
void put_training_periphery(nlohmann::ordered_json& s, const circuit::CostTable& table,
                            const EpochCosts& cum, bool hardware);
// The dotted path of the first NaN/Inf number in a JSON tree, if any.
std::optional<std::string> non_finite_field(const nlohmann::ordered_json& j,
                                            const std::string& path = "");

}  // namespace synbench::sim
