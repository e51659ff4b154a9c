#include "sim/accountant.hpp"

#include <fmt/format.h>

namespace synbench::sim {

EpochCosts account(const EpochCounts& c, const circuit::CostTable& t) {
    EpochCosts e;
    nlohmann::ordered_json re, we, rl, wl, tre, trl;
    for (std::size_t l = 0; l < c.write.size(); ++l) {
        const auto& L = t.layers.at(l);
        const auto name = fmt::format("layer{}", l + 1);
        auto read = [&](const ReadCounts& r, double& lat, double& en, nlohmann::ordered_json& jl, nlohmann::ordered_json& je) {
            double periphery = r.bitplanes * L.read_energy_per_bitplane_J;
            double rows = r.active_rows * L.read_energy_per_active_row_J;
            double cells = r.g_sum * L.read_cell_energy_per_S;
            double latency = r.bitplanes * L.read_latency_per_bitplane_s;
            lat += latency;
            en += periphery + rows + cells;
            jl[name] = latency;
            je[name] = {{"cells", cells}, {"rows", rows}, {"periphery", periphery}};
        };
        read(c.train_read[l], e.read_latency_s, e.read_energy_J, rl, re);
        read(c.test_read[l], e.test_read_latency_s, e.test_read_energy_J, trl, tre);
        const auto& w = c.write[l];
        const double pulses = w.pulses_ltp + w.pulses_ltd;
        double latency = w.rows * L.write_row_latency_s + w.train_latency_s;
        double lines = pulses * (L.write_line_energy_per_pulse_J + L.write_halfselect_energy_per_pulse_J);
        double drivers = pulses * L.write_driver_energy_per_pulse_J;
        double periphery = w.rows * L.write_row_energy_J;
        e.write_latency_s += latency;
        e.write_energy_J += w.device_energy_J + lines + drivers + periphery;
        e.ltp_pulses += w.pulses_ltp;
        e.ltd_pulses += w.pulses_ltd;
        wl[name] = latency;
        we[name] = {{"cells", w.device_energy_J}, {"lines", lines}, {"drivers", drivers}, {"periphery", periphery}};
    }
    e.leakage_energy_J = t.total.leakage_W * (e.read_latency_s + e.write_latency_s);
    e.energy_J = e.read_energy_J + e.write_energy_J + e.leakage_energy_J;
    e.breakdown = {{"read_energy_J", re},      {"write_energy_J", we},           {"read_latency_s", rl},
                   {"write_latency_s", wl},    {"test_read_energy_J", tre},      {"test_read_latency_s", trl},
                   {"leakage_energy_J", e.leakage_energy_J}};
    return e;
}

}  // namespace synbench::sim
