// A layer graph mapped onto arrays, and the activity of one inference of one image (issue 15,
// items 2–3): the one file where a layer type meets the hardware (its mathematics is in nn/).
//
// A weight layer (dense or conv2d) is its unrolled matrix — weight_rows() inputs (k·k·C_in for a
// convolution) × weight_cols() outputs — tiled over hardware.max_array by the same circuit model as
// the MLP (`tile_matrix`, the one call into the per-tile costs), optionally duplicated
// (hardware.duplication copies share the positions of a convolution). Per image it performs
// positions() matrix-vector multiplies (MVMs), each reading its input bit-serially. The other
// layers cost digital operations (pooling, residual add) or nothing (flatten, activation fused into
// the read-out, batch normalisation folded into the preceding convolution's weights).
// docs/cnn-estimates.md explains what is counted; sim/costs.hpp's MLP estimate is the dense-only
// special case and gives bit-equal numbers.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "circuit/cost.hpp"
#include "circuit/macro.hpp"
#include "circuit/options.hpp"
#include "device/card.hpp"
#include "nn/layer_graph.hpp"
#include "sim/accountant.hpp"
#include "tech/card.hpp"

namespace synbench::sim {

// The assumed read activity of one MVM of a rows × cols weight matrix: `bitplanes` bit-planes,
// a fraction `density` of the inputs driven in each, every driven data cell at Ḡ = g_mid on
// `arrays` arrays (2 for a differential pair):
//   bitplanes = b,  active_rows = b · density · rows,  g_sum = active_rows · arrays · cols · Ḡ.
ReadCounts assumed_mvm_activity(int bitplanes, double density, double rows, double cols,
                                double arrays, double g_mid);

// The one call into the circuit model's per-tile costs for a rows × cols weight matrix tiled over
// hardware.max_array (today evaluate_macro_detail of the one-layer chain {rows, cols}: the dense
// layers' tiling, subarray and neuron periphery; the macro-card tiling can replace it here).
circuit::MacroDetail tile_matrix(const tech::Card& t, const device::Card& d, int rows, int cols,
                                 const circuit::HardwareOptions& h);

struct MappedLayer {
    int index = 0;  // in graph.layers
    std::string name;
    nn::LayerKind kind = nn::LayerKind::dense;
    nn::Shape out;
    bool weights = false;
    // Weight layers:
    int rows = 0, cols = 0;    // the unrolled weight matrix
    double positions = 0;      // MVMs per image
    int duplication = 1;       // copies of the layer's tiles
    int bitplanes = 0;         // input bit-planes per MVM
    double input_density = 0;  // assumed fraction of inputs driven per bit-plane
    bool density_override = false;
    circuit::LayerCost cost;  // per-event costs of one copy (tiles_r × tiles_c tiles)
    circuit::SubarrayFacts tile;
    circuit::CostNode arrays, neurons;  // area/leakage of all copies (arrays; neuron periphery)
    ReadCounts per_mvm;                 // assumed activity of one MVM
    double macs = 0;                    // per image: positions · rows · cols
    ReadCost read;                      // per image: energy of all MVMs; latency of ceil(P/D) MVMs
    // Other layers: digital operations per image (0 when none), and what the estimate does with it.
    double digital_ops = 0;
    double digital_energy_J = 0;
    std::string treatment;  // "arrays", "digital: …", "folded …", "fused …", "free …"
};

struct GraphEstimate {
    std::vector<MappedLayer> layers;    // every layer of the graph, in order
    double area_m2 = 0, leakage_W = 0;  // arrays + their periphery + neuron periphery, all copies
    double arrays_area_m2 = 0, neurons_area_m2 = 0;
    double macs = 0;              // per image
    double array_energy_J = 0;    // basis "array dynamic": Σ read costs of weight layers
    double digital_energy_J = 0;  // pooling / add operations
    double latency_s = 0;         // per image: weight layers in sequence
    double leakage_energy_J = 0;  // leakage_W · latency_s
    std::vector<std::string> warnings;
    std::vector<std::string> not_modelled;
    double energy_with_digital_J() const { return array_energy_J + digital_energy_J; }
    double energy_total_J() const { return array_energy_J + digital_energy_J + leakage_energy_J; }
};

// Maps every layer of a shaped graph (nn::infer_shapes done) and assumes its activity. The first
// weight layer reads hardware.input_bits bit-planes, later ones hardware.activation_bits; the
// density is hardware.input_density unless hardware.per_layer overrides it (or the duplication)
// for the layer. config::Error (at the override's line) for an override naming no weight layer of
// the graph; std::invalid_argument for a matrix the circuit model cannot build.
GraphEstimate estimate_graph(const tech::Card& t, const device::Card& d, const nn::LayerGraph& g,
                             const circuit::HardwareOptions& h);

// The estimate as JSON (units in the key suffixes, each energy with its basis, the assumed
// activity labelled).
nlohmann::ordered_json graph_estimate_json(const GraphEstimate& e);

}  // namespace synbench::sim
