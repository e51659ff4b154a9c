#include "sim/estimate.hpp"

#include "circuit/macro_card.hpp"
#include "sim/costs.hpp"

namespace synbench::sim {

EstimateSummary summarise_estimate(const circuit::CostTable& t, const Experiment& ex) {
    EstimateSummary s;
    const auto& d = ex.device;
    const auto& h = ex.hardware;
    const double g_mean = (d.g_min + d.g_max) / 2;
    const auto read = estimate_inference(ex, t);  // the one per-image formula (sim/costs.hpp)
    s.read_latency = read.latency_s;
    s.read_energy = read.energy_J;
    const auto& c = t.layers.front();
    const double v = d.ltp.voltage, tw = d.ltp.pulse_width;
    const double cell = v * v * g_mean * tw;
    const double per_pulse = c.write_line_energy_per_pulse_J +
                             c.write_halfselect_energy_per_pulse_J +
                             c.write_driver_energy_per_pulse_J;
    s.pulse_latency = tw;
    s.pulse_energy = cell + per_pulse;
    const int batches = (c.cols + h.write_mux - 1) / h.write_mux;
    s.row_latency = c.write_row_latency_s + batches * tw;
    s.row_energy = c.write_row_energy_J + c.cols * (cell + per_pulse);
    return s;
}

nlohmann::json estimate_json(const Experiment& ex, const circuit::MacroDetail& md) {
    const auto& t = md.table;
    const auto s = summarise_estimate(t, ex);
    nlohmann::json j;
    j["tech"] = {{"name", ex.tech.name},
                 {"flavour", ex.tech.flavour},
                 {"temperature_K", ex.tech.temperature}};
    j["device"] = ex.device.name;
    j["layers"] = ex.network.layers;
    j["total"] = {{"area_m2", t.total.area_m2}, {"leakage_W", t.total.leakage_W}};
    j["breakdown"] = cost_tree_json(t.breakdown);
    j["per_layer"] = nlohmann::json::array();
    for (std::size_t l = 0; l < t.layers.size(); ++l) {
        const auto& c = t.layers[l];
        const auto& f = md.tiles[l];
        j["per_layer"].push_back({{"rows", c.rows},
                                  {"cols", c.cols},
                                  {"tiles_r", c.tiles_r},
                                  {"tiles_c", c.tiles_c},
                                  {"cell_width_m", f.cell_width},
                                  {"cell_height_m", f.cell_height},
                                  {"access_width_m", f.access_width},
                                  {"access_resistance_Ohm", f.access_resistance},
                                  {"conversion_time_s", f.conversion_time}});
        for (const auto& [name, v] : circuit::named_costs(c)) j["per_layer"].back()[name] = v;
        if (l < md.on_macro.size()) {
            // hardware.macro: the layer's macros (docs/macro-cards.md "Networks on macros").
            const auto& L = md.on_macro[l];
            j["per_layer"].back()["on_macro"] = {{"tile_inputs", L.tile_inputs},
                                                 {"tile_weights", L.tile_weights},
                                                 {"area_m2", L.area_m2},
                                                 {"leakage_W", L.leakage_W},
                                                 {"energy_per_mvm_J", L.energy_per_mvm_J},
                                                 {"latency_per_mvm_s", L.latency_per_mvm_s},
                                                 {"macs_per_mvm", L.macs_per_mvm}};
        }
    }
    if (ex.hardware.macro)
        j["macro"] = {{"name", ex.hardware.macro->name}, {"card", ex.hardware.macro_ref}};
    j["per_image_read"] = {
        {"latency_s", s.read_latency},
        {"energy_J", s.read_energy},
        {"assumption", ex.hardware.macro ? "the macro card's activity" : kAssumedActivity}};
    j["write_pulse"] = {{"latency_s", s.pulse_latency}, {"energy_J", s.pulse_energy}};
    j["row_update"] = {{"latency_s", s.row_latency}, {"energy_J", s.row_energy}};
    j["warnings"] = t.warnings;
    return j;
}

}  // namespace synbench::sim
