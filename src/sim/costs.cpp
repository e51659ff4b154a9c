#include "sim/costs.hpp"

#include "circuit/macro.hpp"
#include "circuit/macro_card.hpp"
#include "circuit/training_periphery.hpp"
#include "nn/optimizer.hpp"
#include "sim/graph_net.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace synbench::sim {

circuit::CostTable cost_table(const Experiment& ex) {
    if (!ex.hardware.enabled) {
        // Software mode: no hardware is modelled, every cost is zero by definition.
        circuit::CostTable t;
        for (std::size_t l = 0; l < weight_shapes(ex.network).size(); ++l) t.layers.emplace_back();
        return t;
    }
    return hardware_cost_table(ex);
}

namespace {

// The macro of a layer graph: every weight layer (rows × cols, conv2d unrolled) evaluated as the
// one-layer macro of those dimensions, the layers' tables, tile facts, area/leakage trees and
// warnings joined (the macro of independent layers is the sum of its layers: macro.cpp groups
// them without shared parts).
circuit::MacroDetail graph_macro(const Experiment& ex) {
    circuit::MacroDetail out;
    auto& t = out.table;
    circuit::CostNode arrays{"synaptic_arrays", {}, {}}, neurons{"neuron_periphery", {}, {}};
    const auto shapes = weight_shapes(ex.network);
    for (std::size_t l = 0; l < shapes.size(); ++l) {
        const std::vector<int> dims{static_cast<int>(shapes[l].first),
                                    static_cast<int>(shapes[l].second)};
        auto md = circuit::evaluate_macro_detail(ex.tech, ex.device, dims, ex.hardware);
        const auto name = fmt::format("layer{}", l + 1);
        t.layers.push_back(md.table.layers.at(0));
        out.tiles.push_back(md.tiles.at(0));
        t.total.area_m2 += md.table.total.area_m2;
        t.total.leakage_W += md.table.total.leakage_W;
        for (auto w : md.table.warnings) {
            if (w.rfind("layer1: ", 0) == 0) w = name + w.substr(6);
            if (std::find(t.warnings.begin(), t.warnings.end(), w) == t.warnings.end())
                t.warnings.push_back(w);
        }
        for (auto c : md.table.breakdown.children) {
            auto& into = c.name == "synaptic_arrays" ? arrays : neurons;
            for (auto k : c.children) {
                k.name = name;
                into.children.push_back(k);
            }
            into.cost.area_m2 += c.cost.area_m2;
            into.cost.leakage_W += c.cost.leakage_W;
        }
    }
    t.breakdown.name = "macro";
    t.breakdown.cost = t.total;
    t.breakdown.children = {arrays, neurons};
    return out;
}

}  // namespace

circuit::CostTable hardware_cost_table(const Experiment& ex) {
    const bool graph = uses_graph(ex.network);
    auto md =
        graph ? graph_macro(ex)
              : circuit::evaluate_macro_detail(ex.tech, ex.device, ex.network.layers, ex.hardware);
    circuit::TrainingSpec spec;
    spec.state_words = nn::state_words(ex.network.training.optimizer.name);
    spec.batch_size = ex.network.training.batch_size;
    // The training periphery reads each layer's dimensions from the table (the widths only count
    // the layers): a graph passes one entry per weight layer plus one.
    const std::vector<int> counted(md.table.layers.size() + 1, 1);
    circuit::add_training_periphery(md.table, ex.tech, ex.device,
                                    graph ? counted : ex.network.layers, ex.hardware, md.tiles,
                                    spec);
    return md.table;
}

std::vector<ReadCounts> assumed_inference_activity(const Experiment& ex,
                                                   const circuit::CostTable& table) {
    const auto shapes = weight_shapes(ex.network);
    const auto positions = weight_positions(ex.network);
    const double g_mid = 0.5 * (ex.device.g_min + ex.device.g_max);
    const double arrays =
        ex.hardware.signed_weights == circuit::SignedWeights::differential ? 2 : 1;
    // On a macro card's macros: its activity (input_density, and weight_sparsity cells at Gmin).
    const auto* m = ex.hardware.macro.get();
    const double density = m ? m->input_density : 0.5;
    const double g_cell =
        m && m->scheme != circuit::WeightScheme::offset_column
            ? (1 - m->weight_sparsity) * g_mid + m->weight_sparsity * ex.device.g_min
            : g_mid;
    std::vector<ReadCounts> a;
    for (std::size_t l = 0; l < shapes.size() && l < table.layers.size(); ++l) {
        ReadCounts r;
        const double P = static_cast<double>(positions[l]);
        r.bitplanes = P * (l == 0 ? ex.hardware.input_bits
                                  : (uses_graph(ex.network) ? ex.hardware.activation_bits : 1));
        r.active_rows = r.bitplanes * density * static_cast<double>(shapes[l].first);
        r.g_sum = r.active_rows * arrays * static_cast<double>(shapes[l].second) * g_cell;
        a.push_back(r);
    }
    return a;
}

InferenceCost estimate_inference(const Experiment& ex, const circuit::CostTable& table) {
    return inference_cost(table, assumed_inference_activity(ex, table));
}

nlohmann::ordered_json cost_tree_json(const circuit::CostNode& n) {
    nlohmann::ordered_json j;
    j["name"] = n.name;
    j["area_m2"] = n.cost.area_m2;
    j["leakage_W"] = n.cost.leakage_W;
    if (!n.children.empty()) {
        j["children"] = nlohmann::ordered_json::array();
        for (const auto& c : n.children) j["children"].push_back(cost_tree_json(c));
    }
    return j;
}

}  // namespace synbench::sim
