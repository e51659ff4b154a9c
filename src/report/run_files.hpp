// The files of a run directory (docs/run-directory.md), formatted and parsed: epochs.csv,
// epochs.json, the checkpoint (checkpoint/state.bin), the endurance block of summary.json. The
// epoch rows go through the result declaration (sim/results.hpp) in every one of them.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/results.hpp"
#include "sim/run.hpp"

namespace synbench::report {

// The epochs.csv text of a list of rows (also used by tests and `reproduce`).
std::string epochs_csv(const std::vector<sim::EpochRow>& rows);
nlohmann::ordered_json epochs_json(const std::vector<sim::EpochRow>& rows);

// One epoch row in the checkpoint: every declared row and cost field (both the epoch's and the
// cumulative one) by its declared name, and the epoch's breakdown.
nlohmann::ordered_json row_to_checkpoint_json(const sim::EpochRow& r);
// The inverse; nlohmann::json::exception when a declared field is missing or not a number.
sim::EpochRow row_from_checkpoint_json(const nlohmann::ordered_json& j);

// checkpoint/state.bin: the rows and the trainer state of the same epoch in one file, so that a
// kill can never leave them out of step: [8-byte length][rows JSON][trainer state].
struct Checkpoint {
    std::vector<sim::EpochRow> rows;
    std::string trainer_state;  // for sim::Trainer::load
};
std::string checkpoint_blob(const std::vector<sim::EpochRow>& rows, const std::string& state);
// Throws std::runtime_error "FILE: truncated checkpoint" / "FILE: corrupt checkpoint (why)".
Checkpoint parse_checkpoint(const std::string& blob, const std::filesystem::path& file);

nlohmann::ordered_json endurance_json(const std::vector<std::vector<std::uint32_t>>& cycles,
                                      std::optional<double> limit);
// The dotted path of the first NaN/Inf number in a JSON tree, if any.
std::optional<std::string> non_finite_field(const nlohmann::ordered_json& j,
                                            const std::string& path = "");

// The message of a JSON library exception without its "[json.exception.…] " prefix.
std::string json_message(const std::exception& e);
// Writes `j` (indented) atomically; refuses a non-finite number or text that is not UTF-8 with an
// error naming the file.
void write_json(const std::filesystem::path& p, const nlohmann::ordered_json& j);

}  // namespace synbench::report
