#include "sim/costs.hpp"

namespace synbench::sim {

// Interim until the circuit model lands: no costs.
circuit::CostTable cost_table(const Experiment& ex) {
    circuit::CostTable t;
    for (std::size_t l = 0; l + 1 < ex.network.layers.size(); ++l) t.layers.emplace_back();
    return t;
}

}  // namespace synbench::sim
