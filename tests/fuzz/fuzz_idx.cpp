// libFuzzer target: the IDX reader and the preprocessing on arbitrary bytes.
//
// The input is the content of one IDX file. It is parsed as a CIFAR-10 binary batch (and, when
// valid, preprocessed with and without a crop), then both as an image file and as a label file;
// when it is a valid image file, it is preprocessed with a fixed set of settings, valid and invalid
// (crop larger than the image, negative crop, grey levels outside 1…8, label count that does not
// match). Expected outcomes are a value or an nn::DataError; anything else escapes and libFuzzer
// reports it as a crash, as it does for ASan/UBSan reports and leaks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nn/dataset.hpp"

using namespace synbench::nn;

namespace {

void check_dataset(const Dataset& d, const IdxImages& img, const Preprocess& p) {
    // Invariants: one row per image, every level within the bit depth.
    if (d.size() != img.count || d.levels.size() != d.size() * d.inputs) __builtin_trap();
    const int maxlev = (1 << d.bits) - 1;
    for (auto v : d.levels)
        if (v > maxlev) __builtin_trap();
    int side = p.crop == 0 ? img.rows * img.cols : p.crop * p.crop;
    if (d.inputs != static_cast<std::size_t>(side)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        auto b = parse_cifar_batch(bytes, "fuzz-cifar");
        if (b.labels.size() * 3073 != size || b.images.pixels.size() != b.labels.size() * 3072)
            __builtin_trap();
        for (auto l : b.labels)
            if (l > 9) __builtin_trap();
        for (int crop : {0, 20}) {
            auto d = preprocess(b.images, b.labels, {crop, true, 0.5, 1}, "fuzz-cifar");
            if (d.size() != b.labels.size() || d.inputs != (crop == 0 ? 3072u : 1200u))
                __builtin_trap();
        }
    } catch (const DataError&) {
    }
    try {
        (void)parse_idx_labels(bytes, "fuzz-labels");
    } catch (const DataError&) {
    }
    try {
        (void)parse_idx_labels(bytes, "fuzz-labels", 256);
    } catch (const DataError&) {
    }
    IdxImages img;
    try {
        img = parse_idx_images(bytes, "fuzz-images");
    } catch (const DataError&) {
        return 0;
    }
    if (img.pixels.size() !=
        img.count * static_cast<std::size_t>(img.rows) * static_cast<std::size_t>(img.cols))
        __builtin_trap();
    const int small = std::min(img.rows, img.cols);
    const Preprocess settings[] = {
        {20, true, 0.5, 1},         // the reference setup
        {0, true, 0.0, 1},          // no crop, everything bright
        {small, false, 0.5, 8},     // the largest crop, 8-bit grey
        {1, false, 0.5, 3},         // one pixel, 3-bit grey
        {small + 1, true, 0.5, 1},  // crop larger than the image
        {-1, true, 0.5, 1},         // negative crop
        {0, false, 0.5, 0},         // grey levels outside 1…8
        {0, false, 0.5, 9},
    };
    std::vector<std::uint8_t> labels(img.count, 3);
    for (const auto& p : settings) {
        try {
            auto d = preprocess(img, labels, p, "fuzz-images");
            check_dataset(d, img, p);
        } catch (const DataError&) {
        }
    }
    labels.push_back(1);  // one label too many
    try {
        (void)preprocess(img, labels, settings[1], "fuzz-images");
        __builtin_trap();  // must be rejected
    } catch (const DataError&) {
    }
    return 0;
}
