// The circuit cost table of an experiment, evaluated once per configuration.
#pragma once

#include "circuit/cost.hpp"
#include "sim/experiment.hpp"

namespace synbench::sim {

circuit::CostTable cost_table(const Experiment& ex);

}  // namespace synbench::sim
