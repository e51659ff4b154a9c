// The data sets (MNIST and Fashion-MNIST in IDX format, CIFAR-10 binary batches): checked readers,
// the checks of the training and test sets against each other, and the preprocessing of the
// reference setup (crop to the central 20×20, binarise at a threshold, or keep grey levels at a
// chosen bit depth). Shapes and class counts come from data/*.yaml (baked into the build).
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
    int channels = 1;
    std::vector<std::uint8_t> pixels;  // count × channels × rows × cols, row-major (channel planes)
};

// What a data set is, from its data file: name (as in a network card's `dataset.name`), the title
// used in messages, the class count and the image shape.
struct DatasetInfo {
    std::string name, title;
    int classes = 0;
    int rows = 0, cols = 0, channels = 1;
    std::string fetch_hint;          // how to obtain it, for messages
    std::vector<std::string> files;  // its files, as named in the data directory
};
// The known data sets, in a fixed order (mnist first).
const std::vector<DatasetInfo>& dataset_infos();
// DataError naming the known ones when `name` is not one of them.
const DatasetInfo& dataset_info(const std::string& name);
// Where data set `name` lives under the data directory: MNIST in the directory itself (as
// `synbench data fetch` has always stored it), the others in a subdirectory of their name.
std::filesystem::path dataset_dir(const std::string& name, const std::filesystem::path& data_dir);

// A CIFAR-10 binary batch: records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32×32).
// DataError unless the size is a non-zero multiple of 3073 and every label < `classes`.
struct CifarBatch {
    IdxImages images;
    std::vector<std::uint8_t> labels;
};
CifarBatch parse_cifar_batch(const std::string& bytes, const std::string& name, int classes = 10);

// Magic 0x00000803, big-endian dimensions, exact file size; DataError otherwise.
IdxImages read_idx_images(const std::filesystem::path& path);
// Magic 0x00000801, exact file size, every label < `classes`.
std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& path, int classes = 10);
// The same checks on bytes in memory (`name` is used in messages); for fuzzing and tests.
IdxImages parse_idx_images(const std::string& bytes, const std::string& name);
std::vector<std::uint8_t> parse_idx_labels(const std::string& bytes, const std::string& name,
                                           int classes = 10);

struct Preprocess {
    int crop = 20;           // side of the central square kept (0 or the image side: no crop)
    bool binarize = true;    // true: 1 bit per input, pixel/255 >= threshold
    double threshold = 0.5;  // for binarize
    int input_bits = 1;      // for grey levels: quantise pixel/255 to 2^bits − 1 levels
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

Dataset preprocess(const IdxImages& images, const std::vector<std::uint8_t>& labels,
                   const Preprocess& p, const std::string& name);

struct Splits {
    std::string name;  // the data set
    Dataset train, test;
    std::vector<std::pair<std::string, std::string>>
        file_sha256;  // file name → SHA-256, for manifests
};
using Mnist = Splits;

// Reads a data file: regular files only (a FIFO, device or directory is refused by name, never
// opened) of at most kMaxDataFileBytes; DataError naming the path and `hint` otherwise.
inline constexpr std::uintmax_t kMaxDataFileBytes =
    std::uintmax_t{1} << 30;  // 1 GiB: CIFAR-10's largest file is 30 MB
std::string read_data_file(const std::filesystem::path& path, const std::string& hint);

// Loads data set `name` from under `data_dir` (see dataset_dir) and checks it (issue 17, rule 7):
// training and test sets non-empty, of the data set's image shape (so of the same shape), labels
// below its class count, and the test files not byte-identical to the training files.
Splits load_dataset(const std::string& name, const std::filesystem::path& data_dir,
                    const Preprocess& p);
// The four MNIST IDX files in `dir` (as `synbench data fetch` stores them).
Splits load_mnist(const std::filesystem::path& dir, const Preprocess& p);

}  // namespace synbench::nn
