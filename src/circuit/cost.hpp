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

struct CostTable {
    std::vector<LayerCost> layers;
    Cost total;          // area and leakage of the whole macro (latency/energy unused here)
    CostNode breakdown;  // area / leakage tree: synaptic arrays + their periphery, neuron periphery
    // Physical limits the configuration exceeds (the estimate still holds as a model, but the
    // circuit would not behave so): column current, clock, IR drop beyond the first-order bound.
    std::vector<std::string> warnings;
};

}  // namespace synbench::circuit
