// The circuit cost table of an experiment, evaluated once per configuration, and the typical cost
// of one inference read from it (what `synbench estimate` and `synbench sweep --estimate` print).
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "circuit/cost.hpp"
#include "sim/accountant.hpp"
#include "sim/experiment.hpp"

namespace synbench::sim {

// The macro and its training periphery (zero costs in software mode).
circuit::CostTable cost_table(const Experiment& ex);
// The same, built even when hardware.enabled is false (load-time checks of the combination).
circuit::CostTable hardware_cost_table(const Experiment& ex);

// A cost breakdown tree as JSON: {name, area_m2, leakage_W, children} (summary.json, estimate).
nlohmann::ordered_json cost_tree_json(const circuit::CostNode& n);

// The read activity of one inference of one image that the estimate assumes, per weight layer l
// with R_l inputs and C_l outputs: b_l bit-planes (b_1 = hardware.input_bits; b_l = 1 later, the
// hidden activations being binarised), half the inputs driven in every bit-plane (each input bit
// equally likely 0 or 1) and every driven cell at Ḡ = (Gmin + Gmax)/2:
//   bitplanes = b_l,  active_rows = b_l · R_l / 2,  g_sum = active_rows · C'_l · Ḡ
// with C'_l = 2·C_l for differential pairs (both arrays conduct), C_l with a reference column
// (whose cell the circuit model charges per driven row). The trainer counts the same three numbers
// from the real inputs and conductances (docs/circuit-model.md, "Per-image estimate").
std::vector<ReadCounts> assumed_inference_activity(const Experiment& ex,
                                                   const circuit::CostTable& table);
inline constexpr const char* kAssumedActivity = "half the inputs driven, cells at (Gmin+Gmax)/2";

// inference_cost(table, assumed_inference_activity(ex, table)): the one per-image estimate.
InferenceCost estimate_inference(const Experiment& ex, const circuit::CostTable& table);

}  // namespace synbench::sim
