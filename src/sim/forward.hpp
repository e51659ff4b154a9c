// The forward pass of the MLP, in software or through the simulated arrays.
//
// Hardware: weight w ∈ [−1, 1] is stored as a conductance G between Gmin and Gmax, read against
// a reference column at Gmid = (Gmin + Gmax)/2 (w = (G − Gmid)/(ΔG/2)) or as a differential pair
// (w = (G⁺ − G⁻)/ΔG). Inputs are applied bit-serially; each bit-plane's column currents are
// digitised by the read circuit with `adc_bits` of partial-sum resolution over the full scale of
// the subarray's rows (N·ΔG), the reference column digitised the same way and subtracted, then
// shifted and added. Subarrays taller than `max_rows` are read tile by tile and summed digitally.
// Hidden activations are digitised at `hidden_threshold` (1 bit) for the next layer's read; the
// analog activations are kept for back-propagation (done in floating point: gradient hardware is
// not modelled). Digital cells (SRAM, digital NVM) are read exactly (no partial-sum ADC).
#pragma once

#include <cstdint>
#include <vector>

#include "device/model.hpp"
#include "sim/ir_drop.hpp"

namespace synbench::sim {

enum class Activation { sigmoid, tanh, relu };
enum class IrMode { none, first_order, exact };

struct ForwardConfig {
    bool hardware = true;
    bool differential = false;
    bool digital = false;  // exact digital read-out
    double g_min = 0, g_max = 1;
    int adc_bits = 8;
    int max_rows = 512;
    int input_bits = 1;  // bit-planes of the first layer's input
    double hidden_threshold = 0.5;
    Activation activation = Activation::sigmoid;
    // Non-idealities (docs/non-idealities.md); the defaults change nothing and cost nothing.
    IrMode ir_mode = IrMode::none;
    std::vector<IrGeometry> ir;  // per layer, when ir_mode != none
    int max_cols = 512;          // column tile width (IR drop: each tile has its own row drivers)
    std::vector<double>
        read_gain;  // per layer: digital gain on the data columns (drift compensation); empty = 1
    // The reference column's conductance relative to the fresh Gmid: its cells drift with the array
    // (set by `infer` after ageing; 1 while training).
    double ref_scale = 1.0;
    // Per weight layer: the logical weight of a full-scale cell (hardware.weight_range; the read's
    // result is multiplied by it digitally, Δw divided by it before pulses); empty = 1.
    std::vector<double> weight_scale;
    // Fraction of a column's full-scale signal the partial-sum converter spans
    // (hardware.adc_range).
    double adc_range = 1.0;
};

// Layer l's weight scale (1 when none is set).
inline double weight_scale_of(const ForwardConfig& cfg, std::size_t l) {
    return cfg.weight_scale.empty() ? 1.0 : cfg.weight_scale[l];
}
// Multiplies the first n read results by layer l's weight scale (nothing when it is 1).
inline void apply_weight_scale(const ForwardConfig& cfg, std::size_t l, double* pre,
                               std::size_t n) {
    const double s = weight_scale_of(cfg, l);
    if (s != 1.0)
        for (std::size_t j = 0; j < n; ++j) pre[j] *= s;
}

struct LayerView {
    std::size_t n_in = 0, n_out = 0;
    const device::Array* pos = nullptr;      // hardware
    const device::Array* neg = nullptr;      // differential pair only
    const std::vector<double>* w = nullptr;  // software
    // Whether a read sees read noise (either array of a pair has it): such arrays are read one
    // input vector at a time, each with its own noise.
    bool noisy_reads() const { return pos->noisy_reads() || (neg && neg->noisy_reads()); }
};

// Read activity of one layer, accumulated over images.
struct ReadCounts {
    double bitplanes = 0;    // bit-plane reads of the whole layer
    double active_rows = 0;  // driven rows, summed over bit-planes
    double g_sum = 0;        // Σ G of the cells on driven rows (S), summed over bit-planes
};

struct Activations {
    std::vector<std::vector<double>>
        value;  // value[0] = inputs in [0, 1]; value[l] = layer l's outputs
    std::vector<std::vector<std::uint8_t>> levels;  // inputs of each weight layer as integer levels
    std::vector<double> pre;                        // scratch: pre-activations
    std::vector<double> colsum;                     // scratch
    std::vector<double> tile, tile_neg, ir_out;     // scratch (IR drop)
    std::vector<std::uint8_t> driven;               // scratch (IR drop)
    IrScratch ir;                                   // scratch (IR drop)
};

double activate(Activation a, double x);
double activate_derivative(Activation a, double y, double x);  // y = activate(x)

// Runs one image. `counts` (one per layer) may be null. `event` keys read noise.
void forward(const ForwardConfig& cfg, const std::vector<LayerView>& layers,
             const std::uint8_t* input_levels, double input_max_level, Activations& act,
             ReadCounts* counts, std::uint64_t event);

// One read of weight layer L through the arrays (no IR drop): inputs `in` (n_in levels, `bits`
// bit-planes, value = level / max_level) → pre[0 … n_out) (pre and colsum are resized as needed
// by the caller: pre.size() ≥ n_out). Counts its bit-planes, driven rows and Σ G when `counts`.
void hardware_layer(const ForwardConfig& cfg, const LayerView& L, const std::uint8_t* in, int bits,
                    double max_level, std::vector<double>& pre, std::vector<double>& colsum,
                    ReadCounts* counts, std::uint64_t event, double gain);

// The converter's reading of one row tile in one bit-plane, the step every array read shares:
// colsum[0 … n_out) holds the tile's column sums (Σ over its `active` driven rows of G, or of
// G⁺ − G⁻ for a differential pair) out of `rows` rows; the gain is applied (colsum is scaled in
// place), each column is quantised to the partial-sum ADC (reference column subtracted, or the
// pair's difference), and pre[j] += plane_weight · value. Adds active and gsum (Σ G of the driven
// cells) to counts when given.
void read_tile(const ForwardConfig& cfg, bool differential, std::size_t n_out, std::size_t rows,
               std::size_t active, double gsum, double plane_weight, double gain, double* colsum,
               double* pre, ReadCounts* counts);

// Scratch of hardware_layer_positions (kept between calls to avoid allocations).
struct PositionsScratch {
    struct Chunk {
        std::vector<double> colsum, pre;
        std::vector<std::uint32_t> rows;
    };
    std::vector<Chunk> chunk;
    std::vector<double> diff;     // G⁺ − G⁻ (differential pair)
    std::vector<ReadCounts> rec;  // per (position, bit-plane, row tile)
};
// Positions per work chunk of hardware_layer_positions (fixed: results never depend on threads).
inline constexpr std::size_t kPositionChunk = 16;

// The reads of weight layer L at `positions` inputs at once (a conv layer's output positions) for
// arrays WITHOUT read noise (std::logic_error otherwise; noisy arrays read per position with
// hardware_layer, each position's noise its own): patches[p·n_in + i] is row i's level at position
// p; pre[j·positions + p] receives column j's result at p. Results and counts are bit-identical to
// calling hardware_layer once per position in order (same sums in the same order); chunks of
// kPositionChunk positions run in parallel when `parallel`.
void hardware_layer_positions(const ForwardConfig& cfg, const LayerView& L,
                              const std::uint8_t* patches, std::size_t positions, int bits,
                              double max_level, double* pre, PositionsScratch& s,
                              ReadCounts* counts, double gain, bool parallel);

// Index of the largest output.
int predicted_class(const Activations& act);

}  // namespace synbench::sim
