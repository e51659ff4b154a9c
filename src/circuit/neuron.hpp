// The neuron (activation) periphery of one layer, below its subarrays: the accumulator adding the
// partial sums of the column groups (and of tiles and input bit-planes), its digital multiplexer
// and decoder, the subtractor of the signed-weight scheme, and one flip-flop per output neuron
// holding the digitised activation (the threshold at 0.5 of a sigmoid is the accumulator's sign).
#pragma once

#include "circuit/block.hpp"

namespace synbench::circuit {

struct NeuronSpec {
    int outputs = 0;  // neurons of the layer (columns)
    int groups = 0;   // column groups (read circuits) feeding the accumulators
    int ways = 1;     // columns per group (read_mux)
    int bits = 8;     // accumulator width
    double side = 0;  // width of the array above (pitch matching)
    double clock = 2e9;
};

// read_latency/read_energy: one bit-plane's accumulation (ways additions per group).
Block neuron_periphery(const tech::Card& t, const NeuronSpec& s);

}  // namespace synbench::circuit
