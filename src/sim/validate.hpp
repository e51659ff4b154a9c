// `synbench validate` as a library call: checks one card file (tech, device, network or
// experiment) the way a run would read it.
#pragma once

#include <filesystem>
#include <string>

namespace synbench::sim {

// Returns the kind the file was checked as ("tech", "device", "network", "experiment");
// throws config::Error (file, line, field, value, what was expected) on the first problem.
std::string validate_card(const std::filesystem::path& p);

}  // namespace synbench::sim
