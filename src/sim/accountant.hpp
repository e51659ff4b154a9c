// The accountant: activity counts of an epoch × the circuit cost table = the epoch's hardware bill.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "circuit/cost.hpp"
#include "device/card.hpp"
#include "sim/forward.hpp"

namespace synbench::sim {

// Write activity of one layer, accumulated over images.
struct WriteCounts {
    double rows = 0;  // array rows written (rows with ≥ 1 programmed cell), per image summed
    double train_latency_s =
        0;  // Σ over written column batches of (longest LTP train + longest LTD train)
    double device_energy_J = 0;  // Σ over programmed cells of V²·Ḡ·t over their pulses
    double pulses_ltp = 0, pulses_ltd = 0;  // all pulses, corrective ones included
    // Write-verify: row reads, Σ G of the cells on the rows read, corrective pulses (also in
    // pulses_*).
    double verify_reads = 0, verify_g_sum = 0, verify_pulses = 0;
    double halfselect_pulses = 0;  // half-selected cell-pulses (crossbar disturb), for the report
    // Training periphery: rows whose gradient went through the optimizer (stepped; a row skipped
    // because its input is 0 under SGD with batch 1 is not), rows accumulated into the batch
    // buffer (batch_size > 1: rows with a nonzero input, per image).
    double stepped_rows = 0, accumulated_rows = 0;
    double pulse_slots = 0;  // Σ over written column batches of (longest LTP + longest LTD train)
    // Adds another chunk's counts, field by field (callers add chunks in a fixed order).
    WriteCounts& operator+=(const WriteCounts& o) {
        rows += o.rows;
        train_latency_s += o.train_latency_s;
        device_energy_J += o.device_energy_J;
        pulses_ltp += o.pulses_ltp;
        pulses_ltd += o.pulses_ltd;
        verify_reads += o.verify_reads;
        verify_g_sum += o.verify_g_sum;
        verify_pulses += o.verify_pulses;
        halfselect_pulses += o.halfselect_pulses;
        stepped_rows += o.stepped_rows;
        accumulated_rows += o.accumulated_rows;
        pulse_slots += o.pulse_slots;
        return *this;
    }
};

// Backward-pass activity of one weight layer (the error propagated through it), summed over
// images. Both ways of propagating are counted; the cost table's hardware.backprop picks one.
struct BackwardCounts {
    double passes = 0;  // images whose error went through the layer
    // array_transpose: error bit-planes applied, columns driven (Σ over bit-planes), Σ G of the
    // cells on the driven columns (both arrays of a differential pair).
    double bitplanes = 0, driven_cols = 0, g_sum_driven = 0;
    // digital: array rows read out, Σ G of every cell read, multiply-accumulates.
    double rows_read = 0, g_sum_all = 0, macs = 0;
};

struct EpochCounts {
    std::vector<ReadCounts> train_read, test_read;
    std::vector<WriteCounts> write;
    std::vector<BackwardCounts> backward;
    double train_images = 0, test_images = 0;
    explicit EpochCounts(std::size_t layers = 0)
        : train_read(layers), test_read(layers), write(layers), backward(layers) {}
};

struct EpochCosts {
    double read_latency_s = 0, write_latency_s = 0, read_energy_J = 0, write_energy_J = 0,
           leakage_energy_J = 0;
    double energy_J = 0, ltp_pulses = 0, ltd_pulses = 0, test_read_latency_s = 0,
           test_read_energy_J = 0;
    // The training periphery (docs/training.md, "Training periphery"): its parts and their sum.
    double backward_energy_J = 0, gradient_energy_J = 0, optimizer_state_energy_J = 0,
           batch_buffer_energy_J = 0, update_control_energy_J = 0;
    double training_periphery_energy_J = 0, training_periphery_latency_s = 0;
    nlohmann::ordered_json breakdown;  // per-layer split (see docs/run-directory.md)
};

EpochCosts account(const EpochCounts& counts, const circuit::CostTable& table);

// The cost of reading one weight layer (matrix-vector multiplies) with the given activity — the one
// formula behind the trainer's accountant, `synbench estimate`, `sweep --estimate` and the reports:
//   T = bit-planes · T_bitplane + driven rows · T_row
//   E = bit-planes · E_bitplane + driven rows · E_row + Σ G(driven cells) · E_cell/S
// (docs/training.md, "Accounting"). Σ G counts the data cells of both arrays of a differential
// pair; the reference column's cell is in E_row (circuit model).
struct ReadCost {
    double latency_s = 0;
    double periphery_J = 0, rows_J = 0, cells_J = 0;
    double energy_J() const { return periphery_J + rows_J + cells_J; }
};
ReadCost read_cost(const circuit::LayerCost& layer, const ReadCounts& activity);

// The cost of one pass through all weight layers, given each layer's read activity.
struct InferenceCost {
    double latency_s = 0, energy_J = 0;
};
InferenceCost inference_cost(const circuit::CostTable& table,
                             const std::vector<ReadCounts>& activity);

}  // namespace synbench::sim
