#include "nn/dataset.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

#include "data/pins.hpp"
#include "util/files.hpp"

namespace synbench::nn {
namespace {

std::uint32_t be32(const std::string& b, std::size_t off) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[off])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 3]));
}

DatasetInfo info_from_yaml(const char* text, std::string hint) {
    auto y = YAML::Load(text);
    DatasetInfo d;
    d.title = y["title"].as<std::string>();
    d.name = y["name"] ? y["name"].as<std::string>() : std::string("mnist");
    d.classes = y["classes"].as<int>();
    d.rows = y["image"][0].as<int>();
    d.cols = y["image"][1].as<int>();
    d.channels = y["image"][2].as<int>();
    d.fetch_hint = std::move(hint);
    if (y["files"])
        for (auto it : y["files"]) d.files.push_back(it.first.as<std::string>());
    else {
        for (const auto& f : y["train_files"]) d.files.push_back(f.as<std::string>());
        d.files.push_back(y["test_file"].as<std::string>());
    }
    return d;
}

std::string shape_text(int rows, int cols, int channels) {
    return channels == 1 ? fmt::format("{}×{}", rows, cols)
                         : fmt::format("{}×{}×{}", rows, cols, channels);
}

// Training and test sets agree with each other and with the data set (issue 17, rule 7).
void check_set(const DatasetInfo& info, const IdxImages& img, const std::string& file,
               const char* which) {
    if (img.count == 0)
        throw DataError(fmt::format("{}: holds no images: the {} set of {} must not be empty", file,
                                    which, info.title));
    if (img.rows != info.rows || img.cols != info.cols || img.channels != info.channels)
        throw DataError(fmt::format("{}: {} images are {}, {} images are {}", file, which,
                                    shape_text(img.rows, img.cols, img.channels), info.title,
                                    shape_text(info.rows, info.cols, info.channels)));
}

void check_test_shape(const IdxImages& train, const IdxImages& test, const std::string& file) {
    if (train.rows != test.rows || train.cols != test.cols || train.channels != test.channels)
        throw DataError(
            fmt::format("{}: test images are {} but the training images are {}: both sets must "
                        "have the same shape",
                        file, shape_text(test.rows, test.cols, test.channels),
                        shape_text(train.rows, train.cols, train.channels)));
}

void check_not_training(const std::string& test_file, const std::string& test_sha,
                        const std::string& train_file, const std::string& train_sha) {
    if (test_sha == train_sha)
        throw DataError(
            fmt::format("{}: byte-identical to the training file {} (SHA-256 {}): the test set "
                        "must not be the training set",
                        test_file, train_file, test_sha.substr(0, 16)));
}

Splits load_idx(const DatasetInfo& info, const std::filesystem::path& dir, const Preprocess& p) {
    Splits m;
    m.name = info.name;
    IdxImages train_images;
    std::string train_sha;
    auto load = [&](const char* img, const char* lab, Dataset& out, bool is_test) {
        const auto ipath = (dir / img).string(), lpath = (dir / lab).string();
        auto ib = read_data_file(dir / img, info.fetch_hint);
        auto lb = read_data_file(dir / lab, info.fetch_hint);
        const auto isha = util::sha256_hex(ib);
        m.file_sha256.emplace_back(img, isha);
        m.file_sha256.emplace_back(lab, util::sha256_hex(lb));
        auto images = parse_idx_images(ib, ipath);
        auto labels = parse_idx_labels(lb, lpath, info.classes);
        // The file's bytes are not needed once parsed: free them before the preprocessed copy is
        // made (the training set's raw file is 47 MB; this keeps a run's peak memory lower).
        std::string().swap(ib);
        if (is_test) check_test_shape(train_images, images, ipath);
        check_set(info, images, ipath, is_test ? "test" : "training");
        if (is_test)
            check_not_training(ipath, isha, (dir / "train-images-idx3-ubyte").string(), train_sha);
        out = preprocess(images, labels, p, ipath);
        if (!is_test) {
            train_images.rows = images.rows;
            train_images.cols = images.cols;
            train_images.channels = images.channels;
            train_sha = isha;
        }
    };
    load("train-images-idx3-ubyte", "train-labels-idx1-ubyte", m.train, false);
    load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", m.test, true);
    return m;
}

Splits load_cifar(const DatasetInfo& info, const std::filesystem::path& dir, const Preprocess& p) {
    const auto y = YAML::Load(data::kCifar10Yaml);
    Splits m;
    m.name = info.name;
    std::vector<std::pair<std::string, std::string>> train_files;  // path, sha
    CifarBatch train;
    train.images.rows = info.rows;
    train.images.cols = info.cols;
    train.images.channels = info.channels;
    std::vector<std::string> names;
    for (const auto& f : y["train_files"]) names.push_back(f.as<std::string>());
    for (const auto& n : names) {
        std::error_code ec;
        if (!std::filesystem::exists(dir / n, ec)) continue;
        auto b = read_data_file(dir / n, info.fetch_hint);
        const auto sha = util::sha256_hex(b);
        m.file_sha256.emplace_back(n, sha);
        auto batch = parse_cifar_batch(b, (dir / n).string(), info.classes);
        train_files.emplace_back((dir / n).string(), sha);
        train.images.count += batch.images.count;
        train.images.pixels.insert(train.images.pixels.end(), batch.images.pixels.begin(),
                                   batch.images.pixels.end());
        train.labels.insert(train.labels.end(), batch.labels.begin(), batch.labels.end());
    }
    if (train_files.empty())
        throw DataError(fmt::format("{}: no CIFAR-10 training batch ({} … {}) ({})", dir.string(),
                                    names.front(), names.back(), info.fetch_hint));
    const auto test_name = y["test_file"].as<std::string>();
    const auto tpath = (dir / test_name).string();
    auto tb = read_data_file(dir / test_name, info.fetch_hint);
    const auto tsha = util::sha256_hex(tb);
    m.file_sha256.emplace_back(test_name, tsha);
    auto test = parse_cifar_batch(tb, tpath, info.classes);
    std::string().swap(tb);
    for (const auto& [f, sha] : train_files) check_not_training(tpath, tsha, f, sha);
    m.train = preprocess(train.images, train.labels, p, train_files.front().first);
    m.test = preprocess(test.images, test.labels, p, tpath);
    return m;
}

}  // namespace

const std::vector<DatasetInfo>& dataset_infos() {
    static const std::vector<DatasetInfo> infos = {
        info_from_yaml(data::kMnistPinsYaml, "run 'synbench data fetch' to download MNIST"),
        info_from_yaml(data::kFashionMnistPinsYaml,
                       "run 'synbench data fetch fashion-mnist' to install Fashion-MNIST"),
        info_from_yaml(data::kCifar10Yaml,
                       "run 'synbench data import cifar-10 FILE…' with your copy of the CIFAR-10 "
                       "binary batches"),
    };
    return infos;
}

const DatasetInfo& dataset_info(const std::string& name) {
    std::string known;
    for (const auto& d : dataset_infos()) {
        if (d.name == name) return d;
        known += (known.empty() ? "" : ", ") + d.name;
    }
    throw DataError(fmt::format("unknown data set '{}': expected one of {}", name, known));
}

std::filesystem::path dataset_dir(const std::string& name, const std::filesystem::path& data_dir) {
    return name == "mnist" ? data_dir : data_dir / name;
}

std::string read_data_file(const std::filesystem::path& path, const std::string& hint) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(st))
        throw DataError(
            fmt::format("{}: cannot be read (missing or not readable) ({})", path.string(), hint));
    const char* kind =
        std::filesystem::is_directory(st) ? "a directory"
        : std::filesystem::is_fifo(st)    ? "a FIFO"
        : std::filesystem::is_socket(st)  ? "a socket"
        : std::filesystem::is_block_file(st) || std::filesystem::is_character_file(st) ? "a device"
        : std::filesystem::is_regular_file(st)                                         ? nullptr
                                               : "not a regular file";
    if (kind)
        throw DataError(
            fmt::format("{}: is {}: a data file must be a regular file", path.string(), kind));
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw DataError(fmt::format("{}: cannot be read: {}", path.string(), ec.message()));
    if (size > kMaxDataFileBytes)
        throw DataError(fmt::format("{}: {} bytes, more than the {} bytes a data file may have",
                                    path.string(), size, kMaxDataFileBytes));
    try {
        return util::read_file(path);
    } catch (const util::IoError& e) {
        throw DataError(std::string(e.what()) + " (" + hint + ")");
    }
}

CifarBatch parse_cifar_batch(const std::string& b, const std::string& name, int classes) {
    constexpr std::size_t side = 32, plane = side * side, record = 1 + 3 * plane;
    if (b.empty() || b.size() % record != 0)
        throw DataError(fmt::format(
            "{}: {} bytes is not a CIFAR-10 binary batch: expected a non-zero multiple of {} (1 "
            "label + 3072 "
            "pixel bytes per image){}",
            name, b.size(), record,
            b.size() % record != 0 ? fmt::format(", {} bytes left over", b.size() % record)
                                   : std::string()));
    CifarBatch out;
    const std::size_t n = b.size() / record;
    out.images.count = n;
    out.images.rows = out.images.cols = static_cast<int>(side);
    out.images.channels = 3;
    out.images.pixels.resize(n * 3 * plane);
    out.labels.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto lab = static_cast<unsigned char>(b[i * record]);
        if (lab >= classes)
            throw DataError(
                fmt::format("{}: label {} of record {} (byte offset {}) is not a class 0…{}", name,
                            lab, i, i * record, classes - 1));
        out.labels[i] = lab;
        std::copy(b.begin() + static_cast<std::ptrdiff_t>(i * record + 1),
                  b.begin() + static_cast<std::ptrdiff_t>((i + 1) * record),
                  out.images.pixels.begin() + static_cast<std::ptrdiff_t>(i * 3 * plane));
    }
    return out;
}

IdxImages parse_idx_images(const std::string& b, const std::string& name) {
    if (b.size() < 16)
        throw DataError(fmt::format(
            "{}: truncated: {} bytes, an IDX image file has a 16-byte header", name, b.size()));
    auto magic = be32(b, 0);
    if (magic != 0x00000803)
        throw DataError(fmt::format(
            "{}: bad magic number 0x{:08x}, expected 0x00000803 (IDX unsigned-byte images)", name,
            magic));
    auto n = be32(b, 4), r = be32(b, 8), c = be32(b, 12);
    if (r == 0 || c == 0 || r > 4096 || c > 4096)
        throw DataError(fmt::format("{}: implausible image size {}×{}", name, r, c));
    if (n > 100'000'000) throw DataError(fmt::format("{}: implausible image count {}", name, n));
    std::uint64_t expect = 16 + std::uint64_t{n} * r * c;
    if (b.size() != expect)
        throw DataError(fmt::format("{}: {} images of {}×{} need {} bytes, the file has {} ({})",
                                    name, n, r, c, expect, b.size(),
                                    b.size() < expect ? "truncated" : "trailing bytes"));
    IdxImages img;
    img.count = n;
    img.rows = static_cast<int>(r);
    img.cols = static_cast<int>(c);
    img.pixels.assign(b.begin() + 16, b.end());
    return img;
}

std::vector<std::uint8_t> parse_idx_labels(const std::string& b, const std::string& name,
                                           int classes) {
    if (b.size() < 8)
        throw DataError(fmt::format(
            "{}: truncated: {} bytes, an IDX label file has an 8-byte header", name, b.size()));
    auto magic = be32(b, 0);
    if (magic != 0x00000801)
        throw DataError(fmt::format(
            "{}: bad magic number 0x{:08x}, expected 0x00000801 (IDX unsigned-byte labels)", name,
            magic));
    auto n = be32(b, 4);
    if (b.size() != 8 + std::uint64_t{n})
        throw DataError(fmt::format(
            "{}: {} labels need {} bytes, the file has {} ({})", name, n, 8 + std::uint64_t{n},
            b.size(), b.size() < 8 + std::uint64_t{n} ? "truncated" : "trailing bytes"));
    std::vector<std::uint8_t> labels(b.begin() + 8, b.end());
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= classes)
            throw DataError(fmt::format("{}: label {} of item {} is not a class 0…{}", name,
                                        labels[i], i, classes - 1));
    return labels;
}

IdxImages read_idx_images(const std::filesystem::path& path) {
    return parse_idx_images(read_data_file(path, dataset_info("mnist").fetch_hint), path.string());
}

std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& path, int classes) {
    return parse_idx_labels(read_data_file(path, dataset_info("mnist").fetch_hint), path.string(),
                            classes);
}

Dataset preprocess(const IdxImages& images, const std::vector<std::uint8_t>& labels,
                   const Preprocess& p, const std::string& name) {
    if (images.count != labels.size())
        throw DataError(
            fmt::format("{}: {} images but {} labels", name, images.count, labels.size()));
    int side_r = images.rows, side_c = images.cols;
    int crop = p.crop;
    if (crop < 0 || crop > std::min(side_r, side_c))
        throw DataError(
            fmt::format("{}: crop {} does not fit {}×{} images", name, crop, side_r, side_c));
    int out_r = crop == 0 ? side_r : crop, out_c = crop == 0 ? side_c : crop;
    int r0 = (side_r - out_r) / 2, c0 = (side_c - out_c) / 2;
    if (!p.binarize && (p.input_bits < 1 || p.input_bits > 8))
        throw DataError(fmt::format("{}: input_bits {} outside 1…8", name, p.input_bits));
    const int ch = images.channels;
    Dataset d;
    d.inputs = static_cast<std::size_t>(out_r) * out_c * ch;
    d.bits = p.binarize ? 1 : p.input_bits;
    d.labels = labels;
    d.levels.resize(images.count * d.inputs);
    const double maxlev = (1 << d.bits) - 1;
    // Each channel plane is cropped alike; the inputs are the cropped planes one after another.
    for (std::size_t i = 0; i < images.count; ++i)
        for (int k = 0; k < ch; ++k) {
            const auto* src = images.pixels.data() + (i * ch + static_cast<std::size_t>(k)) *
                                                         static_cast<std::size_t>(side_r) * side_c;
            auto* dst =
                d.levels.data() + i * d.inputs + static_cast<std::size_t>(k) * out_r * out_c;
            for (int r = 0; r < out_r; ++r)
                for (int c = 0; c < out_c; ++c) {
                    double v = src[(r + r0) * side_c + (c + c0)] / 255.0;
                    std::uint8_t lev = p.binarize
                                           ? (v >= p.threshold ? 1 : 0)
                                           : static_cast<std::uint8_t>(std::lround(v * maxlev));
                    dst[r * out_c + c] = lev;
                }
        }
    return d;
}

Splits load_dataset(const std::string& name, const std::filesystem::path& data_dir,
                    const Preprocess& p) {
    const auto& info = dataset_info(name);
    const auto dir = dataset_dir(name, data_dir);
    return name == "cifar-10" ? load_cifar(info, dir, p) : load_idx(info, dir, p);
}

Splits load_mnist(const std::filesystem::path& dir, const Preprocess& p) {
    return load_dataset("mnist", dir, p);
}

}  // namespace synbench::nn
