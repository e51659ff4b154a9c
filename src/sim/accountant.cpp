#include "sim/accountant.hpp"

#include "sim/results.hpp"

#include <fmt/format.h>

namespace synbench::sim {

ReadCost read_cost(const circuit::LayerCost& L, const ReadCounts& r) {
    ReadCost c;
    c.periphery_J = r.bitplanes * L.read_energy_per_bitplane_J;
    c.rows_J = r.active_rows * L.read_energy_per_active_row_J;
    c.cells_J = r.g_sum * L.read_cell_energy_per_S;
    c.latency_s = r.bitplanes * L.read_latency_per_bitplane_s +
                  r.active_rows * L.read_latency_per_active_row_s;
    return c;
}

InferenceCost inference_cost(const circuit::CostTable& t, const std::vector<ReadCounts>& activity) {
    InferenceCost e;
    for (std::size_t l = 0; l < activity.size(); ++l) {
        const auto c = read_cost(t.layers.at(l), activity[l]);
        e.latency_s += c.latency_s;
        e.energy_J += c.energy_J();
    }
    return e;
}

namespace {
// The training periphery's bill of one epoch: adds its parts, sum and latency to `e` and returns
// the per-layer split (docs/training.md, "Training periphery").
nlohmann::ordered_json account_training(const EpochCounts& c, const circuit::CostTable& t,
                                        EpochCosts& e) {
    const auto& tr = t.training;
    nlohmann::ordered_json out;
    for (std::size_t l = 0; l < c.write.size() && l < tr.layers.size(); ++l) {
        const auto& P = tr.layers[l];
        const auto& w = c.write[l];
        const auto& b = l < c.backward.size() ? c.backward[l] : BackwardCounts{};
        const double cols = t.layers.at(l).cols;
        double bwd_J = 0, bwd_s = 0;
        if (P.backward) {
            if (tr.digital_backprop) {
                bwd_J = b.rows_read * P.bwd_energy_per_row_J +
                        b.g_sum_all * P.bwd_cell_energy_per_S + b.macs * P.bwd_energy_per_mac_J;
                bwd_s = b.rows_read * P.bwd_latency_per_row_s;
            } else {
                bwd_J = b.bitplanes * P.bwd_energy_per_bitplane_J +
                        b.driven_cols * P.bwd_energy_per_driven_col_J +
                        b.g_sum_driven * P.bwd_cell_energy_per_S;
                bwd_s = b.bitplanes * P.bwd_latency_per_bitplane_s;
            }
        }
        // Products: per accumulated row with a batch buffer, per stepped row without.
        const double product_rows = tr.batch_size > 1 ? w.accumulated_rows : w.stepped_rows;
        const double grad_J = product_rows * cols * P.grad_energy_per_product_J +
                              w.stepped_rows * cols * P.convert_energy_per_weight_J;
        const double grad_s =
            product_rows * P.grad_latency_per_row_s + w.stepped_rows * P.convert_latency_per_row_s;
        // Each stepped weight reads and writes its state words once.
        const double words = w.stepped_rows * cols * tr.state_words;
        const double state_J =
            words * (P.state_read_energy_per_word_J + P.state_write_energy_per_word_J);
        const double state_s = tr.state_words > 0 ? w.stepped_rows * P.state_latency_per_row_s : 0;
        // Batch buffer: read-add-write per accumulated row; read and cleared per stepped row.
        double buf_J = 0, buf_s = 0;
        if (tr.batch_size > 1) {
            buf_J =
                w.accumulated_rows *
                    (P.buffer_read_energy_per_row_J + P.buffer_add_energy_per_row_J +
                     P.buffer_write_energy_per_row_J) +
                w.stepped_rows * (P.buffer_read_energy_per_row_J + P.buffer_write_energy_per_row_J);
            buf_s = (w.accumulated_rows + w.stepped_rows) * P.buffer_latency_per_row_s;
        }
        // Update control: a written row's pulse counts loaded; pulse counters stepped per pulse
        // slot; the pulse-width timer clocked through the trains (its time is the write latency's).
        const double ctl_J = w.rows * P.control_energy_per_row_J +
                             w.pulse_slots * P.control_energy_per_slot_J +
                             w.train_latency_s * tr.clock * P.control_energy_per_cycle_J;
        e.backward_energy_J += bwd_J;
        e.gradient_energy_J += grad_J;
        e.optimizer_state_energy_J += state_J;
        e.batch_buffer_energy_J += buf_J;
        e.update_control_energy_J += ctl_J;
        e.training_periphery_energy_J += bwd_J + grad_J + state_J + buf_J + ctl_J;
        e.training_periphery_latency_s += bwd_s + grad_s + state_s + buf_s;
        out[fmt::format("layer{}", l + 1)] = {
            {"backward", bwd_J},          {"gradient", grad_J},
            {"optimizer_state", state_J}, {"batch_buffer", buf_J},
            {"update_control", ctl_J},    {"latency_s", bwd_s + grad_s + state_s + buf_s}};
    }
    return out;
}
}  // namespace

EpochCosts account(const EpochCounts& c, const circuit::CostTable& t) {
    EpochCosts e;
    nlohmann::ordered_json re, we, rl, wl, tre, trl;
    for (std::size_t l = 0; l < c.write.size(); ++l) {
        const auto& L = t.layers.at(l);
        const auto name = fmt::format("layer{}", l + 1);
        auto read = [&](const ReadCounts& r, double& lat, double& en, nlohmann::ordered_json& jl,
                        nlohmann::ordered_json& je) {
            const auto rc = read_cost(L, r);
            lat += rc.latency_s;
            en += rc.energy_J();
            jl[name] = rc.latency_s;
            je[name] = {{"cells", rc.cells_J}, {"rows", rc.rows_J}, {"periphery", rc.periphery_J}};
        };
        read(c.train_read[l], e.read_latency_s, e.read_energy_J, rl, re);
        read(c.test_read[l], e.test_read_latency_s, e.test_read_energy_J, trl, tre);
        const auto& w = c.write[l];
        const double pulses = w.pulses_ltp + w.pulses_ltd;
        double latency = w.rows * L.write_row_latency_s + w.train_latency_s;
        double lines =
            pulses * (L.write_line_energy_per_pulse_J + L.write_halfselect_energy_per_pulse_J);
        double drivers = pulses * L.write_driver_energy_per_pulse_J;
        double periphery = w.rows * L.write_row_energy_J;
        // Write-verify: each verify round reads the written row once, as a one-row bit-plane read
        // (all columns converted; the cells of that row conduct).
        double verify_latency = 0, verify_energy = 0;
        if (w.verify_reads > 0) {
            verify_latency =
                w.verify_reads * (L.read_latency_per_bitplane_s + L.read_latency_per_active_row_s);
            verify_energy =
                w.verify_reads * (L.read_energy_per_bitplane_J + L.read_energy_per_active_row_J) +
                w.verify_g_sum * L.read_cell_energy_per_S;
            latency += verify_latency;
        }
        e.write_latency_s += latency;
        e.write_energy_J += w.device_energy_J + lines + drivers + periphery;
        if (w.verify_reads > 0) e.write_energy_J += verify_energy;
        e.ltp_pulses += w.pulses_ltp;
        e.ltd_pulses += w.pulses_ltd;
        wl[name] = latency;
        we[name] = {{"cells", w.device_energy_J},
                    {"lines", lines},
                    {"drivers", drivers},
                    {"periphery", periphery}};
        if (w.verify_reads > 0)
            we[name]["verify"] = {{"reads", w.verify_reads},
                                  {"corrective_pulses", w.verify_pulses},
                                  {"latency_s", verify_latency},
                                  {"energy_J", verify_energy}};
        if (w.halfselect_pulses > 0) we[name]["halfselect_pulses"] = w.halfselect_pulses;
    }
    nlohmann::ordered_json tp;
    if (t.training.present) tp = account_training(c, t, e);
    e.leakage_energy_J = (t.total.leakage_W + t.training.total.leakage_W) *
                         (e.read_latency_s + e.write_latency_s + e.training_periphery_latency_s);
    e.energy_J =
        e.read_energy_J + e.write_energy_J + e.training_periphery_energy_J + e.leakage_energy_J;
    // Keyed by the declared field names (sim/results.hpp), in the order of epochs.json.
    e.breakdown = {{epoch::read_energy.f.name, re},
                   {epoch::write_energy.f.name, we},
                   {epoch::read_latency.f.name, rl},
                   {epoch::write_latency.f.name, wl},
                   {epoch::test_read_energy.f.name, tre},
                   {epoch::test_read_latency.f.name, trl},
                   {epoch::leakage_energy.f.name, e.leakage_energy_J}};
    if (t.training.present) e.breakdown[epoch::training_periphery_energy.f.name] = tp;
    return e;
}

}  // namespace synbench::sim
