// `synbench estimate` of a network given as a graph of layers (issue 15): the per-layer table and
// the chip totals of one inference of one image, text or JSON (sim/layer_mapping.hpp).
#pragma once

#include "sim/experiment.hpp"

namespace synbench::cli {

// Prints the estimate of ex.network.graph; an ExitRequest (bad input) when it cannot be mapped.
void estimate_graph_command(const sim::Experiment& ex, bool json);

}  // namespace synbench::cli
