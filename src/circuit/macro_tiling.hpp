// A network's weight layers tiled onto macros of a macro card (docs/macro-cards.md "Networks on
// macros"): one layer of `rows` inputs × `cols` outputs on ceil(rows / inputs) × ceil(cols /
// weights) instances of the macro, each costed by estimate_macro_tile — the function behind
// `estimate --macro` — so a network and a macro are one model.
#pragma once

#include "circuit/block.hpp"
#include "circuit/cost.hpp"
#include "circuit/macro_card.hpp"
#include "circuit/options.hpp"

namespace synbench::circuit {

struct LayerTiles {
    int rows = 0, cols = 0;                 // the layer: inputs × outputs
    int tiles_r = 0, tiles_c = 0;           // macros along the inputs and along the outputs
    int tile_inputs = 0, tile_weights = 0;  // used in each macro (the layer split evenly)
    MacroEstimate tile;                     // one macro with tile_inputs × tile_weights used
    // One matrix-vector multiply of the whole layer at the macro card's own activity (input.bits,
    // activity.input_density, activity.weight_sparsity): every tile in parallel, then the partial
    // sums of the tiles along the inputs added (tile_accumulation).
    double energy_per_mvm_J = 0, latency_per_mvm_s = 0, macs_per_mvm = 0;
    double area_m2 = 0, leakage_W = 0;  // tiles × the macro + tile_accumulation
    Block block;                        // {macros, tile_accumulation (tiles_r > 1)}
    Block accumulation;                 // adders of the partial sums (empty when tiles_r = 1)
    // Per-event costs for the trainer's accountant, the layer's reads with `bitplanes` input
    // bit-planes per MVM (the accumulation of one MVM spread over its bit-planes).
    LayerCost cost;
};

// Throws std::invalid_argument for rows or cols < 1 or a configuration the components refuse.
LayerTiles tile_layer(int rows, int cols, const MacroCard& m, int bitplanes);

// A network's hardware options on macro card `m`: h.macro set, and the read fields set from the
// card — converter bits and columns per converter, the converter kind where it has a component
// model (else the SAR component, as estimate_macro's subarray uses), clock, the weight signing
// (offset_column: a reference column; a pair otherwise), the tile size (macro_shape). The input
// bits (the dataset's) and the training periphery's fields stay h's.
HardwareOptions macro_hardware_options(HardwareOptions h, std::shared_ptr<const MacroCard> m);

}  // namespace synbench::circuit
