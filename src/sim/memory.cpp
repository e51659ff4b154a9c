#include "sim/memory.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "device/exponential.hpp"
#include "nn/dataset.hpp"
#include "nn/optimizer.hpp"

namespace synbench::sim {

namespace {

// The largest per-cell parameter record of the device models: the exponential model's cell holds
// its range and one curve per direction (device/exponential.cpp: Gmin, Gmax, 2 ExpCurve).
constexpr std::uint64_t kCellParamBytes = 2 * sizeof(double) + 2 * sizeof(device::ExpCurve);
static_assert(sizeof(device::ExpCurve) == 5 * sizeof(double),
              "update kCellParamBytes with the exponential model's cell");

// MNIST (LeCun et al., the files data/mnist_fetch.cpp verifies): 60 000 training and 10 000 test
// images of 28 × 28 one-byte pixels, one label byte each. The most images of the known data sets
// (Fashion-MNIST has as many, CIFAR-10 50 000 + 10 000: data/*.yaml); a data set's pixels per
// image come from its data/<name>.yaml.
constexpr std::uint64_t kMaxImages = 60000 + 10000;
constexpr std::uint64_t kMnistPixels = 28 * 28;

// The process without any run: code, libraries, the TBB pool, yaml-cpp nodes of the cards.
// Measured: the reference run's peak RSS (101 MiB, `synbench train -j 2`) minus its data
// structures above (85 MiB) is 16 MiB; doubled for headroom (docs/bad-input.md, "Memory").
constexpr std::uint64_t kBaseBytes = 32ull << 20;

constexpr std::uint64_t D = sizeof(double);

}  // namespace

MemoryEstimate estimate_memory(const Experiment& ex, unsigned workers) {
    MemoryEstimate m;
    const auto& layers = ex.network.layers;
    const auto& tr = ex.network.training;
    const auto& dv = ex.device;
    const bool hw = ex.hardware.enabled;
    const std::uint64_t arrays =
        !hw                                                                  ? 0
        : ex.hardware.signed_weights == circuit::SignedWeights::differential ? 2
                                                                             : 1;
    const auto& opt = tr.optimizer.name;
    const auto opt_vectors = static_cast<std::uint64_t>(nn::state_words(opt));
    const bool varies =
        dv.variation.d2d_gmin > 0 || dv.variation.d2d_gmax > 0 || dv.variation.d2d_nl > 0;
    const bool stuck = dv.variation.stuck_at_gmin > 0 || dv.variation.stuck_at_gmax > 0;
    const bool disturb = dv.half_select_disturb > 0;
    // Cells per weight layer and neurons of every layer: the MLP's widths, or the layer graph's
    // weight layers (weight_rows × weight_cols, a convolution's kernel unrolled) and every
    // layer's output plus, for a convolution, its unrolled input patches (positions × rows).
    std::vector<std::uint64_t> cells;
    std::uint64_t neurons = 0;
    std::uint64_t inputs = layers.empty() ? 0 : static_cast<std::uint64_t>(layers.front());
    if (!layers.empty() || ex.network.graph.layers.empty()) {
        for (int v : layers) neurons += static_cast<std::uint64_t>(std::max(v, 0));
        for (std::size_t l = 0; l + 1 < layers.size(); ++l)
            cells.push_back(static_cast<std::uint64_t>(layers[l]) *
                            static_cast<std::uint64_t>(layers[l + 1]));
    } else {
        const auto& g = ex.network.graph;
        inputs = g.input.size();
        neurons = inputs;
        for (const auto& L : g.layers) {
            neurons += L.out.size();
            if (L.kind == nn::LayerKind::conv2d) neurons += L.positions() * L.weight_rows();
            if (L.has_weights()) cells.push_back(L.weight_rows() * L.weight_cols());
        }
    }
    for (const std::uint64_t n : cells) {
        m.weights += n * (3 * D + sizeof(std::uint32_t) + (tr.batch_size > 1 ? D : 0));
        m.conductances += 2 * arrays * n * D;
        m.device_state += arrays * n *
                          ((varies ? 2 * kCellParamBytes : 0) + (stuck ? 2 : 0) +
                           (disturb ? 2 * sizeof(int) : 0));
        m.optimizer += opt_vectors * n * D;
        m.checkpoint += n * (arrays * D + D + sizeof(std::uint32_t) + opt_vectors * D);
    }
    m.activations = 4 * neurons * D * (std::max(1u, workers) + 1);
    const auto& info = nn::dataset_info(ex.network.dataset);
    const auto pixels = static_cast<std::uint64_t>(info.rows) *
                        static_cast<std::uint64_t>(info.cols) *
                        static_cast<std::uint64_t>(info.channels);
    m.dataset = kMaxImages * (std::max(kMnistPixels, pixels) + 1) + kMaxImages * (inputs + 1);
    m.base = kBaseBytes;
    return m;
}

std::string format_bytes(std::uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024 && u < 6) v /= 1024, ++u;
    if (u == 0) return fmt::format("{} B", bytes);
    return fmt::format("{:.3g} {}", v, units[u]);
}

std::string MemoryEstimate::breakdown() const {
    return fmt::format(
        "weights {}, conductances {}, device state {}, optimizer {}, checkpoint {}, activations "
        "{}, dataset {}, program {}",
        format_bytes(weights), format_bytes(conductances), format_bytes(device_state),
        format_bytes(optimizer), format_bytes(checkpoint), format_bytes(activations),
        format_bytes(dataset), format_bytes(base));
}

std::uint64_t parse_bytes(const std::string& text) {
    const char* expected =
        "expected a size such as 8GiB, 500MB or 1e9 (units B, kB/MB/GB/TB, KiB/MiB/GiB/TiB, "
        "K/M/G/T)";
    std::size_t pos = 0;
    double v = 0;
    try {
        v = std::stod(text, &pos);
    } catch (const std::exception&) {
        throw std::invalid_argument(fmt::format("'{}' is not a size: {}", text, expected));
    }
    std::string unit = text.substr(pos);
    while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
    double mult = 0;
    const std::pair<const char*, double> table[] = {
        {"", 1},       {"B", 1},        {"kB", 1e3},     {"MB", 1e6},      {"GB", 1e9},
        {"TB", 1e12},  {"K", 1024.0},   {"KiB", 1024.0}, {"M", 1048576.0}, {"MiB", 1048576.0},
        {"G", 0x1p30}, {"GiB", 0x1p30}, {"T", 0x1p40},   {"TiB", 0x1p40}};
    for (const auto& [name, m] : table)
        if (unit == name) mult = m;
    if (mult == 0)
        throw std::invalid_argument(
            fmt::format("'{}': unknown unit '{}': {}", text, unit, expected));
    const double bytes = v * mult;
    if (!std::isfinite(bytes) || bytes < 1 || bytes > 0x1p62)
        throw std::invalid_argument(
            fmt::format("'{}' is out of range: expected 1 B to 4 EiB", text));
    return static_cast<std::uint64_t>(bytes);
}

std::uint64_t default_max_memory() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) return 4ull << 30;
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) / 2;
}

}  // namespace synbench::sim
