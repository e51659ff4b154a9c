// Obtaining the data sets beyond MNIST: Fashion-MNIST from the Debian package
// dataset-fashion-mnist (installed with apt-get when missing, pinned in data/fashion-mnist.yaml),
// CIFAR-10 imported from the user's own copy of its binary batches (data/cifar-10.yaml).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "data/mnist_fetch.hpp"

namespace synbench::data {

struct PackagePins {
    std::string name;  // "fashion-mnist": the data set, and its subdirectory of the data directory
    std::string package;               // Debian package
    std::string version;               // pinned package version
    std::filesystem::path source_dir;  // where the package installs the gzipped files
    // IDX file name → {SHA-256 of FILE.gz as installed, SHA-256 of the decompressed FILE}
    std::map<std::string, std::pair<std::string, std::string>> files;
};

PackagePins fashion_mnist_pins();  // parsed from the pins baked into the build

// True when every pinned file is in `dir` with its pinned SHA-256.
bool package_files_present(const std::filesystem::path& dir, const PackagePins& pins);

// How to obtain the package when its files are missing from pins.source_dir.
enum class Install { apt_get_if_root, never };

// Installs (apt-get, as root only; otherwise says what to run) or locates the package, checks the
// gzipped files and the decompressed files against the pins and stores the decompressed files in
// data_dir/<pins.name>/. Never overwrites a file there that differs from the pinned one; a failure
// leaves no partial file. Throws std::runtime_error with a clear message.
FetchOutcome fetch_package_dataset(const std::filesystem::path& data_dir, const PackagePins& pins,
                                   Install install,
                                   const std::function<void(const std::string&)>& log);

struct ImportedFile {
    std::string name;  // file name in the cache (the source's base name)
    std::size_t images = 0;
    std::string sha256;
    bool already_present = false;
};

// Copies the user's CIFAR-10 binary batches into data_dir/cifar-10/: each file must be named as a
// CIFAR-10 batch (data_batch_1.bin … data_batch_5.bin, test_batch.bin), be a regular file and parse
// as a batch (size a multiple of 3073 bytes, labels < 10). A file already in the cache with another
// content is refused unless `force`. Nothing is copied unless every file passes.
std::vector<ImportedFile> import_cifar10(const std::filesystem::path& data_dir,
                                         const std::vector<std::filesystem::path>& files,
                                         bool force);

}  // namespace synbench::data
