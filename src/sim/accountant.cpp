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
    e.leakage_energy_J = t.total.leakage_W * (e.read_latency_s + e.write_latency_s);
    e.energy_J = e.read_energy_J + e.write_energy_J + e.leakage_energy_J;
    // Keyed by the declared field names (sim/results.hpp), in the order of epochs.json.
    e.breakdown = {{epoch::read_energy.f.name, re},
                   {epoch::write_energy.f.name, we},
                   {epoch::read_latency.f.name, rl},
                   {epoch::write_latency.f.name, wl},
                   {epoch::test_read_energy.f.name, tre},
                   {epoch::test_read_latency.f.name, trl},
                   {epoch::leakage_energy.f.name, e.leakage_energy_J}};
    return e;
}

}  // namespace synbench::sim
