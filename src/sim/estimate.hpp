// `synbench estimate` as a library call: the circuit macro of an experiment evaluated once, with
// typical per-event costs, as one JSON object (the CLI's `--json` and the Python module's
// `synbench.estimate` print/return the same object).
#pragma once

#include <nlohmann/json.hpp>

#include "circuit/macro.hpp"
#include "sim/experiment.hpp"

namespace synbench::sim {

// Costs of typical events, for people (the trainer uses the per-event table itself).
struct EstimateSummary {
    double read_latency = 0, read_energy = 0;    // one inference pass of one image
    double pulse_latency = 0, pulse_energy = 0;  // one LTP pulse on one cell (layer 1)
    double row_latency = 0,
           row_energy = 0;  // one full-row update (every column one LTP pulse), layer 1
};

EstimateSummary summarise_estimate(const circuit::CostTable& t, const Experiment& ex);

// The estimate object: tech, device, layers, total, breakdown, per_layer, per_image_read,
// write_pulse, row_update (units in the key suffixes).
nlohmann::json estimate_json(const Experiment& ex, const circuit::MacroDetail& md);

}  // namespace synbench::sim
