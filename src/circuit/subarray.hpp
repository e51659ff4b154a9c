// A synaptic subarray (one tile of a layer) with its periphery, for the three cell families:
// pseudo-crossbar 1T1R, crossbar (cross-point) and digital SRAM. The result carries the blocks'
// area/leakage tree and the per-event costs of one tile (see LayerCost for their meaning).
#pragma once

#include "circuit/block.hpp"
#include "circuit/options.hpp"
#include "device/card.hpp"

namespace synbench::circuit {

struct SubarraySpec {
    int rows = 0, cols = 0;  // synapses (data columns) of the tile
};

// Electrical and geometric facts of the tile that the macro and the documentation report.
struct SubarrayFacts {
    double cell_width = 0, cell_height = 0;  // m
    double access_width = 0;                 // m (1T1R access transistor), 0 otherwise
    double access_resistance = 0;            // Ω
    int physical_cols = 0;                   // data columns + reference column(s)
    double c_row = 0, c_col = 0, c_wl = 0;   // F: input (row) line, column line, word line
    double r_row = 0, r_col = 0;             // Ω of the whole line
    double conversion_time = 0;              // s, one read-circuit conversion
    int read_circuits = 0;
};

struct SubarrayResult {
    Block block;  // area/leakage tree
    SubarrayFacts facts;
    LayerCost cost;  // per-event costs of this one tile (rows/cols/tiles fields left for the macro)
    std::vector<std::string> warnings;  // physical limits exceeded (see CostTable::warnings)
};

SubarrayResult evaluate_subarray(const tech::Card& t, const device::Card& d, const SubarraySpec& s,
                                 const HardwareOptions& h);

}  // namespace synbench::circuit
