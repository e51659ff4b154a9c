// The training periphery: the hardware that learning on chip needs besides the synaptic arrays and
// their forward read path (docs/training.md, "Training periphery"):
//   - backward pass: the error of layer l+1 propagated through weight layer l (l ≥ 2), either by
//     reading the array along its columns (`hardware.backprop: array_transpose`: error bit-planes
//     drive the columns, read circuits on the rows) or by reading the weights out row by row and
//     multiplying digitally (`digital`);
//   - the weight-gradient (outer-product) unit, x_i · δ_j, one multiplier per column;
//   - the Δw → pulse-count conversion (round(Δw/2 · Pmax)), one per column;
//   - the optimizer-state memory: 6T SRAM (tech card design.sram) holding
//     nn::state_words(optimizer) words of hardware.state_word_bits per weight, laid out like the
//     weights (one memory row per array row); read and written once per stepped row;
//   - the batch-accumulation buffer (batch_size > 1): one word per weight, read-add-write per
//     accumulated row, read and cleared per stepped row;
//   - update control: the pulse-count register of a written row and one pulse counter per write
//     driver, clocked through the pulse trains (row selection is the arrays' write periphery).
// Every block is built from the technology card's primitives (logic.hpp, periphery.hpp,
// read_circuit.hpp); no constant lives here. Pure function of its inputs.
#pragma once

#include <vector>

#include "circuit/block.hpp"
#include "circuit/cost.hpp"
#include "circuit/options.hpp"
#include "circuit/subarray.hpp"
#include "device/card.hpp"
#include "tech/card.hpp"

namespace synbench::circuit {

struct TrainingSpec {
    int state_words = 0;  // optimizer state words per weight (nn::state_words)
    int batch_size = 1;
};

// One 6T SRAM of `rows` × `words_per_row` words of `word_bits` bits, tiled into banks of at most
// max_rows × max_cols cells; every bank of a row is accessed together.
// read_energy / write_energy / read_latency: one row access (all words of the row).
Block sram(const tech::Card& t, int rows, int words_per_row, int word_bits, int max_rows,
           int max_cols, double clock, std::string name);

// Creates the training periphery of a macro (`layers` as evaluate_macro; `tiles` and `forward`:
// the macro's per-layer tile facts and costs, from evaluate_macro_detail) and stores it in
// `table.training` (costs per layer, area/leakage tree).
void add_training_periphery(CostTable& table, const tech::Card& t, const device::Card& d,
                            const std::vector<int>& layers, const HardwareOptions& h,
                            const std::vector<SubarrayFacts>& tiles, const TrainingSpec& spec);

}  // namespace synbench::circuit
