#include "sim/costs.hpp"

#include "circuit/macro.hpp"
#include "circuit/macro_card.hpp"
#include "circuit/training_periphery.hpp"
#include "nn/optimizer.hpp"

namespace synbench::sim {

circuit::CostTable cost_table(const Experiment& ex) {
    if (!ex.hardware.enabled) {
        // Software mode: no hardware is modelled, every cost is zero by definition.
        circuit::CostTable t;
        for (std::size_t l = 0; l + 1 < ex.network.layers.size(); ++l) t.layers.emplace_back();
        return t;
    }
    return hardware_cost_table(ex);
}

circuit::CostTable hardware_cost_table(const Experiment& ex) {
    auto md = circuit::evaluate_macro_detail(ex.tech, ex.device, ex.network.layers, ex.hardware);
    circuit::TrainingSpec spec;
    spec.state_words = nn::state_words(ex.network.training.optimizer.name);
    spec.batch_size = ex.network.training.batch_size;
    circuit::add_training_periphery(md.table, ex.tech, ex.device, ex.network.layers, ex.hardware,
                                    md.tiles, spec);
    return md.table;
}

std::vector<ReadCounts> assumed_inference_activity(const Experiment& ex,
                                                   const circuit::CostTable& table) {
    const auto& layers = ex.network.layers;
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
    for (std::size_t l = 0; l + 1 < layers.size() && l < table.layers.size(); ++l) {
        ReadCounts r;
        r.bitplanes = l == 0 ? ex.hardware.input_bits : 1;
        r.active_rows = r.bitplanes * density * layers[l];
        r.g_sum = r.active_rows * arrays * layers[l + 1] * g_cell;
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
