#include "nn/dataset.hpp"

#include <fmt/format.h>

#include <cmath>

#include "util/files.hpp"

namespace synbench::nn {
namespace {

std::uint32_t be32(const std::string& b, std::size_t off) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[off])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 3]));
}

std::string read_bytes(const std::filesystem::path& path) {
    try {
        return util::read_file(path);
    } catch (const util::IoError& e) {
        throw DataError(std::string(e.what()) + " (run 'synbench data fetch' to download MNIST)");
    }
}

}  // namespace

IdxImages parse_idx_images(const std::string& b, const std::string& name) {
    if (b.size() < 16) throw DataError(fmt::format("{}: truncated: {} bytes, an IDX image file has a 16-byte header", name, b.size()));
    auto magic = be32(b, 0);
    if (magic != 0x00000803)
        throw DataError(fmt::format("{}: bad magic number 0x{:08x}, expected 0x00000803 (IDX unsigned-byte images)", name, magic));
    auto n = be32(b, 4), r = be32(b, 8), c = be32(b, 12);
    if (r == 0 || c == 0 || r > 4096 || c > 4096)
        throw DataError(fmt::format("{}: implausible image size {}×{}", name, r, c));
    if (n > 100'000'000) throw DataError(fmt::format("{}: implausible image count {}", name, n));
    std::uint64_t expect = 16 + std::uint64_t{n} * r * c;
    if (b.size() != expect)
        throw DataError(fmt::format("{}: {} images of {}×{} need {} bytes, the file has {} ({})", name, n, r, c, expect,
                                    b.size(), b.size() < expect ? "truncated" : "trailing bytes"));
    IdxImages img;
    img.count = n;
    img.rows = static_cast<int>(r);
    img.cols = static_cast<int>(c);
    img.pixels.assign(b.begin() + 16, b.end());
    return img;
}

std::vector<std::uint8_t> parse_idx_labels(const std::string& b, const std::string& name, int classes) {
    if (b.size() < 8) throw DataError(fmt::format("{}: truncated: {} bytes, an IDX label file has an 8-byte header", name, b.size()));
    auto magic = be32(b, 0);
    if (magic != 0x00000801)
        throw DataError(fmt::format("{}: bad magic number 0x{:08x}, expected 0x00000801 (IDX unsigned-byte labels)", name, magic));
    auto n = be32(b, 4);
    if (b.size() != 8 + std::uint64_t{n})
        throw DataError(fmt::format("{}: {} labels need {} bytes, the file has {} ({})", name, n, 8 + std::uint64_t{n}, b.size(),
                                    b.size() < 8 + std::uint64_t{n} ? "truncated" : "trailing bytes"));
    std::vector<std::uint8_t> labels(b.begin() + 8, b.end());
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= classes)
            throw DataError(fmt::format("{}: label {} of item {} is not a class 0…{}", name, labels[i], i, classes - 1));
    return labels;
}

IdxImages read_idx_images(const std::filesystem::path& path) { return parse_idx_images(read_bytes(path), path.string()); }

std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& path, int classes) {
    return parse_idx_labels(read_bytes(path), path.string(), classes);
}

Dataset preprocess(const IdxImages& images, const std::vector<std::uint8_t>& labels, const Preprocess& p,
                   const std::string& name) {
    if (images.count != labels.size())
        throw DataError(fmt::format("{}: {} images but {} labels", name, images.count, labels.size()));
    int side_r = images.rows, side_c = images.cols;
    int crop = p.crop;
    if (crop < 0 || crop > std::min(side_r, side_c))
        throw DataError(fmt::format("{}: crop {} does not fit {}×{} images", name, crop, side_r, side_c));
    int out_r = crop == 0 ? side_r : crop, out_c = crop == 0 ? side_c : crop;
    int r0 = (side_r - out_r) / 2, c0 = (side_c - out_c) / 2;
    if (!p.binarize && (p.input_bits < 1 || p.input_bits > 8))
        throw DataError(fmt::format("{}: input_bits {} outside 1…8", name, p.input_bits));
    Dataset d;
    d.inputs = static_cast<std::size_t>(out_r) * out_c;
    d.bits = p.binarize ? 1 : p.input_bits;
    d.labels = labels;
    d.levels.resize(images.count * d.inputs);
    const double maxlev = (1 << d.bits) - 1;
    for (std::size_t i = 0; i < images.count; ++i) {
        const auto* src = images.pixels.data() + i * static_cast<std::size_t>(side_r) * side_c;
        auto* dst = d.levels.data() + i * d.inputs;
        for (int r = 0; r < out_r; ++r)
            for (int c = 0; c < out_c; ++c) {
                double v = src[(r + r0) * side_c + (c + c0)] / 255.0;
                std::uint8_t lev = p.binarize ? (v >= p.threshold ? 1 : 0)
                                              : static_cast<std::uint8_t>(std::lround(v * maxlev));
                dst[r * out_c + c] = lev;
            }
    }
    return d;
}

Mnist load_mnist(const std::filesystem::path& dir, const Preprocess& p) {
    Mnist m;
    auto load = [&](const char* img, const char* lab, Dataset& out) {
        auto ib = read_bytes(dir / img);
        auto lb = read_bytes(dir / lab);
        m.file_sha256.emplace_back(img, util::sha256_hex(ib));
        m.file_sha256.emplace_back(lab, util::sha256_hex(lb));
        auto images = parse_idx_images(ib, (dir / img).string());
        auto labels = parse_idx_labels(lb, (dir / lab).string());
        // The file's bytes are not needed once parsed: free them before the preprocessed copy is
        // made (the training set's raw file is 47 MB; this keeps a run's peak memory lower).
        std::string().swap(ib);
        out = preprocess(images, labels, p, (dir / img).string());
    };
    load("train-images-idx3-ubyte", "train-labels-idx1-ubyte", m.train);
    load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", m.test);
    return m;
}

}  // namespace synbench::nn
