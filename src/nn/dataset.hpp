// MNIST in IDX format: a checked reader and the preprocessing of the reference setup
// (crop to the central 20×20, binarise at a threshold, or keep grey levels at a chosen bit depth).
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace synbench::nn {

// A dataset file that is missing, truncated or not what it claims to be.
class DataError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

struct IdxImages {
    std::size_t count = 0;
    int rows = 0, cols = 0;
    std::vector<std::uint8_t> pixels;  // count × rows × cols, row-major
};

// Magic 0x00000803, big-endian dimensions, exact file size; DataError otherwise.
IdxImages read_idx_images(const std::filesystem::path& path);
// Magic 0x00000801, exact file size, every label < `classes`.
std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& path, int classes = 10);
// The same checks on bytes in memory (`name` is used in messages); for fuzzing and tests.
IdxImages parse_idx_images(const std::string& bytes, const std::string& name);
std::vector<std::uint8_t> parse_idx_labels(const std::string& bytes, const std::string& name, int classes = 10);

struct Preprocess {
    int crop = 20;               // side of the central square kept (0 or the image side: no crop)
    bool binarize = true;        // true: 1 bit per input, pixel/255 >= threshold
    double threshold = 0.5;      // for binarize
    int input_bits = 1;          // for grey levels: quantise pixel/255 to 2^bits − 1 levels
};

// Inputs are stored as integer levels 0 … 2^bits − 1; the input value is level / (2^bits − 1).
struct Dataset {
    std::size_t inputs = 0;
    int bits = 1;
    std::vector<std::uint8_t> levels;  // size() × inputs
    std::vector<std::uint8_t> labels;
    std::size_t size() const { return labels.size(); }
    const std::uint8_t* row(std::size_t i) const { return levels.data() + i * inputs; }
    double max_level() const { return static_cast<double>((1 << bits) - 1); }
};

Dataset preprocess(const IdxImages& images, const std::vector<std::uint8_t>& labels, const Preprocess& p,
                   const std::string& name);

struct Mnist {
    Dataset train, test;
    std::vector<std::pair<std::string, std::string>> file_sha256;  // file name → SHA-256, for manifests
};

// Loads the four IDX files from `dir` (as `synbench data fetch` stores them).
Mnist load_mnist(const std::filesystem::path& dir, const Preprocess& p);

}  // namespace synbench::nn
