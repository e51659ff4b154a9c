// checkpoint/state.bin of a run directory: the epoch rows and the trainer state of the same epoch
// in one file, so that a kill can never leave them out of step: [8-byte length][rows JSON][trainer
// state]. Written by the run (report/run_directory.cpp), read by --resume and `synbench infer`.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/results.hpp"
#include "sim/run.hpp"

namespace synbench::sim {

// One epoch row in the checkpoint: every declared row and cost field (both the epoch's and the
// cumulative one) by its declared name, and the epoch's breakdown.
nlohmann::ordered_json row_to_checkpoint_json(const EpochRow& r);
// The inverse; nlohmann::json::exception when a declared field is missing or not a number.
EpochRow row_from_checkpoint_json(const nlohmann::ordered_json& j);

// checkpoint/state.bin: the rows and the trainer state of the same epoch in one file, so that a
// kill can never leave them out of step: [8-byte length][rows JSON][trainer state].
struct Checkpoint {
    std::vector<EpochRow> rows;
    std::string trainer_state;  // for Trainer::load
};
// The two parts of a state.bin blob, unparsed; std::runtime_error "FILE: truncated checkpoint" /
// "FILE: corrupt checkpoint" when the framing is broken.
struct CheckpointParts {
    std::string rows_json, trainer_state;
};
CheckpointParts split_checkpoint(const std::string& blob, const std::filesystem::path& file);
std::string checkpoint_blob(const std::vector<EpochRow>& rows, const std::string& state);
// Throws std::runtime_error "FILE: truncated checkpoint" / "FILE: corrupt checkpoint (why)".
Checkpoint parse_checkpoint(const std::string& blob, const std::filesystem::path& file);

// The message of a JSON library exception without its "[json.exception.…] " prefix.
std::string json_message(const std::exception& e);

}  // namespace synbench::sim
