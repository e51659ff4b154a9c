// `synbench validate` as a library call: checks one card file (tech, device, network or
// experiment) the way a run would read it.
#pragma once

#include <filesystem>
#include <string>

namespace synbench::sim {

// Returns the kind the file was checked as ("tech", "device", "network", "experiment");
// throws config::Error (file, line, field, value, what was expected) on the first problem.
std::string validate_card(const std::filesystem::path& p);

// Checks tech, device and network cards together as estimate and train load them (the circuit
// macro builds, IR drop leaves currents positive); throws config::Error on the first problem.
void validate_combination(const std::filesystem::path& tech, const std::filesystem::path& device,
                          const std::filesystem::path& network);

}  // namespace synbench::sim
