// A layer-graph network (issue 15) on the arrays: the mapping of its weight layers onto arrays and
// the forward pass through them. Every weight layer (dense or conv2d) is one array layer of
// weight_rows() × weight_cols() cells, read exactly as an MLP layer (forward.hpp: bit-serial
// inputs, partial-sum ADC per bit-plane, reference column or differential pair); a conv2d layer is
// read once per output position with that position's im2col patch as the input vector, its
// activity counted per position. Pooling, flatten, activations, add and softmax run in software
// (nn/layer_math.hpp). The input of a weight layer that is not the data is digitised to
// hardware.activation_bits bit-planes (1: ≥ hidden_threshold; b > 1: min(y, 1) on 2^b − 1 levels).
// The old `layers: [widths]` MLP keeps its own path (forward.cpp), byte-identical.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "nn/layer_graph.hpp"
#include "nn/layer_math.hpp"
#include "nn/network_card.hpp"
#include "sim/forward.hpp"

namespace synbench::sim {

// True when the network is trained as a layer graph (a graph card that is not a dense chain: no
// widths), false for the MLP path.
bool uses_graph(const nn::NetworkSpec& n);
// (rows, cols) of every weight layer in order: the MLP's (n_l, n_l+1) or the graph's
// (weight_rows, weight_cols).
std::vector<std::pair<std::size_t, std::size_t>> weight_shapes(const nn::NetworkSpec& n);
// Array reads of one weight layer per image (1 for dense, positions() for conv2d).
std::vector<std::size_t> weight_positions(const nn::NetworkSpec& n);

struct GraphPlan {
    nn::LayerGraph graph;
    std::vector<int> weight_index;  // per graph layer: its weight-layer index, −1 without weights
    std::vector<nn::Act> act;       // per graph layer: the fused (or activation layer's) function
    int activation_bits = 1;
};
// std::invalid_argument naming the layer for what the trainer cannot run (batch_norm: no trained
// statistics; softmax anywhere but the last layer).
GraphPlan plan_of(const nn::LayerGraph& g, int activation_bits);

struct GraphActs {
    std::vector<double> input;                      // the data as values in [0, 1]
    std::vector<std::vector<double>> pre, out;      // per graph layer (C × H × W)
    std::vector<std::vector<std::uint8_t>> levels;  // per graph layer with weights: input levels
    std::vector<std::vector<std::size_t>> argmax;   // per max_pool layer
    std::vector<std::vector<double>> dout;          // backward: dL/d(out) per graph layer
    std::vector<double> dpre, dx;                   // backward scratch
    std::vector<std::uint8_t> patch;                // scratch: one position's input levels
    std::vector<double> hw_pre, colsum, pos_delta;  // scratch
    std::vector<std::uint8_t> patches;              // scratch: every position's input levels
    PositionsScratch positions;                     // scratch of hardware_layer_positions
    // Split a conv layer's positions over threads (training: one image at a time). Results do not
    // depend on it.
    bool parallel_positions = false;
};

// Whether graph layer l's output is clipped at 1 on the arrays: a hidden ReLU read by multi-bit
// activations (hardware, activation_bits > 1) saturates at the read's full scale, min(relu(x), 1);
// its gradient is zero where relu(x) > 1 (back-propagation sees the function the arrays computed).
bool clipped_output(const ForwardConfig& cfg, const GraphPlan& p, std::size_t l);

// The values a graph layer reads (its first input).
const std::vector<double>& input_values(const GraphActs& a, const nn::LayerSpec& L);

// One image forward. `weights[w]` is weight layer w (arrays or software weights); `counts` (one per
// weight layer) may be null; `event` keys read noise (position p of a conv layer: event + p·2⁴⁰).
void graph_forward(const ForwardConfig& cfg, const GraphPlan& p,
                   const std::vector<LayerView>& weights, const std::uint8_t* input_levels,
                   double input_max_level, GraphActs& a, ReadCounts* counts, std::uint64_t event);

int graph_predicted(const GraphActs& a);

}  // namespace synbench::sim
