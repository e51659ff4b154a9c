// The circuit model's output: a cost table evaluated once per configuration.
//
// The trainer only counts activity (rows driven, bit-planes read, pulses per cell, rows written);
// the accountant multiplies the counts by the costs here. Everything is SI.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace synbench::circuit {

struct Cost {
    double area_m2 = 0;
    double latency_s = 0;
    double energy_J = 0;
    double leakage_W = 0;
};

// A named breakdown: a node's cost is the sum of its children's where it has children.
struct CostNode {
    std::string name;
    Cost cost;
    std::vector<CostNode> children;
};

// What one event of one weight layer costs. The layer maps `rows` inputs to `cols` outputs.
struct LayerCost {
    int rows = 0, cols = 0;
    int tiles_r = 1, tiles_c = 1;  // subarrays the layer is tiled into

    // Forward read of one bit-plane of the (bit-serial) input vector, all columns, all mux cycles:
    double read_latency_per_bitplane_s = 0;  // incl. read circuits / ADCs, shift-add, neuron
    double read_energy_per_bitplane_J =
        0;  // data-independent periphery energy (ADCs, decoders, adders)
    double read_energy_per_active_row_J = 0;  // word-line / switch-matrix energy per driven row
    double read_cell_energy_per_S = 0;  // J per siemens: × Σ G of the cells on driven rows (V² · t)
    // Added by the circuit model: latency per driven row, for arrays read row by row (digital SRAM
    // cells: each driven row is decoded and sensed in turn). 0 for analog arrays, whose rows are
    // read in parallel. The trainer adds (driven rows) × this to the bit-plane's latency.
    double read_latency_per_active_row_s = 0;

    // Write (programming), per row of the array that has at least one cell to program:
    double write_row_latency_s = 0;  // decoder + word-line driver + switch matrix, per row
    double write_row_energy_J = 0;   // periphery energy per row written
    // Per pulse on one cell (device energy V² · G · t is computed by the trainer from the card):
    double write_line_energy_per_pulse_J = 0;        // charging the selected bit/source line
    double write_halfselect_energy_per_pulse_J = 0;  // crossbar: half-selected cells at V/2
    double write_driver_energy_per_pulse_J = 0;      // write driver / level shifter per pulse
};

// A layer's per-event costs by name (the unit in the suffix), in declaration order: the one list
// that writers and checks iterate (the estimate JSON, the experiment's finite-cost check).
inline std::array<std::pair<const char*, double>, 10> named_costs(const LayerCost& c) {
    return {{{"read_latency_per_bitplane_s", c.read_latency_per_bitplane_s},
             {"read_energy_per_bitplane_J", c.read_energy_per_bitplane_J},
             {"read_energy_per_active_row_J", c.read_energy_per_active_row_J},
             {"read_cell_energy_per_S", c.read_cell_energy_per_S},
             {"read_latency_per_active_row_s", c.read_latency_per_active_row_s},
             {"write_row_latency_s", c.write_row_latency_s},
             {"write_row_energy_J", c.write_row_energy_J},
             {"write_line_energy_per_pulse_J", c.write_line_energy_per_pulse_J},
             {"write_halfselect_energy_per_pulse_J", c.write_halfselect_energy_per_pulse_J},
             {"write_driver_energy_per_pulse_J", c.write_driver_energy_per_pulse_J}}};
}

// What one event of the training periphery of one weight layer costs (training_periphery.hpp).
struct TrainingLayerCost {
    bool backward = false;  // the error is propagated through this layer (every layer but the 1st)
    // array_transpose: per error bit-plane (row conversions), per driven column, per siemens of the
    // cells on driven columns (V² · t).
    double bwd_latency_per_bitplane_s = 0, bwd_energy_per_bitplane_J = 0;
    double bwd_energy_per_driven_col_J = 0, bwd_cell_energy_per_S = 0;
    // digital: per array row read out (a one-row read of the forward path), per MAC.
    double bwd_latency_per_row_s = 0, bwd_energy_per_row_J = 0;
    double bwd_energy_per_mac_J = 0;
    // Outer-product unit: one x·δ product; one row of them (columns in parallel).
    double grad_energy_per_product_J = 0, grad_latency_per_row_s = 0;
    // Δw → pulse count: one weight; one row.
    double convert_energy_per_weight_J = 0, convert_latency_per_row_s = 0;
    // Optimizer-state SRAM: one state word read, written; one row read + written.
    double state_read_energy_per_word_J = 0, state_write_energy_per_word_J = 0;
    double state_latency_per_row_s = 0;
    // Batch buffer (batch_size > 1): one row read, written, its words added; one row access.
    double buffer_read_energy_per_row_J = 0, buffer_write_energy_per_row_J = 0;
    double buffer_add_energy_per_row_J = 0, buffer_latency_per_row_s = 0;
    // Update control: loading a written row's pulse counts; one pulse slot of the pulse
    // counters (all drivers); one clock of the pulse-width timer.
    double control_energy_per_row_J = 0, control_energy_per_slot_J = 0,
           control_energy_per_cycle_J = 0;
};

struct TrainingCost {
    bool present = false;  // false: no training periphery (software runs, inference-only tables)
    bool digital_backprop = false;
    int state_words = 0, batch_size = 1;
    double clock = 0;  // Hz, of the pulse-width timer
    std::vector<TrainingLayerCost> layers;
    Cost total;          // area and leakage of the training periphery
    CostNode breakdown;  // its area / leakage tree
};

struct CostTable {
    std::vector<LayerCost> layers;
    // The training periphery (apart from `total`, which stays the forward macro's area/leakage).
    TrainingCost training;
    Cost total;          // area and leakage of the whole macro (latency/energy unused here)
    CostNode breakdown;  // area / leakage tree: synaptic arrays + their periphery, neuron periphery
    // Physical limits the configuration exceeds (the estimate still holds as a model, but the
    // circuit would not behave so): column current, clock, IR drop beyond the first-order bound.
    std::vector<std::string> warnings;
};

}  // namespace synbench::circuit
