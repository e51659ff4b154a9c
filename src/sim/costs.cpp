#include "sim/costs.hpp"

#include "circuit/macro.hpp"

namespace synbench::sim {

circuit::CostTable cost_table(const Experiment& ex) {
    if (!ex.hardware.enabled) {
        // Software mode: no hardware is modelled, every cost is zero by definition.
        circuit::CostTable t;
        for (std::size_t l = 0; l + 1 < ex.network.layers.size(); ++l) t.layers.emplace_back();
        return t;
    }
    return circuit::evaluate_macro(ex.tech, ex.device, ex.network.layers, ex.hardware);
}

}  // namespace synbench::sim
