// The macro for a whole MLP: per weight layer one or more subarrays (tiled when the layer exceeds
// hardware.max_array) with their periphery, and the layer's neuron periphery. Evaluated once per
// configuration; the trainer multiplies its per-event costs by activity counts (see cost.hpp).
#pragma once

#include <vector>

#include "circuit/cost.hpp"
#include "circuit/macro_tiling.hpp"
#include "circuit/options.hpp"
#include "circuit/subarray.hpp"
#include "device/card.hpp"
#include "tech/card.hpp"

namespace synbench::circuit {

// layers = neurons per layer, e.g. {400, 100, 10}; weight layer l maps layers[l] inputs (rows) to
// layers[l+1] outputs (columns). Throws std::invalid_argument for an impossible configuration.
CostTable evaluate_macro(const tech::Card& t, const device::Card& d, const std::vector<int>& layers,
                         const HardwareOptions& h);

// FO4 delay of the node (RC model: 0.69·R_inv·(C_out + 4·C_in)), and the warning when a clock's
// period is shorter than design.limits.min_cycle_fo4 of them.
double fo4_delay(const tech::Card& t);
std::vector<std::string> clock_checks(const tech::Card& t, double clock);

// The same, with the per-layer tile facts (for reports and the documentation).
struct MacroDetail {
    CostTable table;
    std::vector<SubarrayFacts> tiles;  // one per weight layer
    std::vector<LayerTiles> on_macro;  // hardware.macro: each layer's tiling (else empty)
};
// The macro a network's hardware block describes for one tile of `spec` (one model: the tile is
// costed by estimate_macro_tile like a macro card; docs/circuit-model.md "Hardware block"): rows ×
// (2·cols for a pair | cols + 1 with the offset column) cells, all rows active, bit-serial inputs
// of h.input_bits, h's converter (its component model) with h.adc_bits and h.read_mux, h.clock.
MacroCard block_macro(const tech::Card& t, const device::Card& d, const SubarraySpec& spec,
                      const HardwareOptions& h);

// hardware.macro: the layers tiled onto the macro card's macros (tile_layer), which carries its own
// tech and device (the experiment's, checked when it loads). evaluate_macro_detail calls this
// when h.macro is set.
MacroDetail evaluate_macro_tiled(const std::vector<int>& layers, const HardwareOptions& h);
MacroDetail evaluate_macro_detail(const tech::Card& t, const device::Card& d,
                                  const std::vector<int>& layers, const HardwareOptions& h);

}  // namespace synbench::circuit
