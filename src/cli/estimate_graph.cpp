#include "cli/estimate_graph.hpp"

#include <fmt/format.h>

#include <iostream>
#include <stdexcept>

#include "cli/commands.hpp"
#include "sim/layer_mapping.hpp"
#include "units/units.hpp"

namespace synbench::cli {

namespace {

namespace u = synbench::units;

std::string shape(const nn::Shape& s) {
    return fmt::format("{}x{}x{}", s.height, s.width, s.channels);
}

std::string count(double n) {
    if (n >= 1e9) return fmt::format("{:.4g} G", n * 1e-9);
    if (n >= 1e6) return fmt::format("{:.4g} M", n * 1e-6);
    if (n >= 1e3) return fmt::format("{:.4g} k", n * 1e-3);
    return fmt::format("{:.4g}", n);
}

void print(const sim::Experiment& ex, const sim::GraphEstimate& e) {
    const auto& h = ex.hardware;
    std::cout << fmt::format(
        "synbench estimate: {} on {} {} at {}, device {}\n  arrays at most {}x{}, {}-bit inputs, "
        "{}-bit activations, {} {}-bit, {} columns per converter, clock {}\n",
        ex.network.name, ex.tech.name, ex.tech.flavour,
        u::format_human(ex.tech.temperature, u::temperature), ex.device.name, h.max_rows,
        h.max_cols, h.input_bits, h.activation_bits, h.read_circuit, h.adc_bits, h.read_mux,
        u::format_human(h.clock, u::frequency));
    std::cout << fmt::format(
        "  activity ASSUMED, not measured (no trained weights): {:.3g} % of a layer's inputs "
        "driven in each bit-plane (hardware.input_density{}), cells at (Gmin+Gmax)/2\n\n",
        100 * h.input_density, h.per_layer.empty() ? "" : "; hardware.per_layer overrides");
    std::cout << fmt::format(
        "  {:<12} {:<10} {:>11} {:>11} {:>6} {:>3} {:>6} {:>9} {:>11} {:>11} "
        "{:>11}\n",
        "layer", "type", "output", "weights", "tiles", "dup", "MVMs", "MACs", "area mm^2", "energy",
        "latency");
    for (const auto& m : e.layers) {
        if (m.weights) {
            std::cout << fmt::format(
                "  {:<12} {:<10} {:>11} {:>11} {:>6} {:>3} {:>6} {:>9} {:>11.5g} {:>11} {:>11}{}\n",
                m.name, nn::kind_name(m.kind), shape(m.out), fmt::format("{}x{}", m.rows, m.cols),
                fmt::format("{}x{}", m.cost.tiles_r, m.cost.tiles_c), m.duplication,
                count(m.positions), count(m.macs),
                (m.arrays.cost.area_m2 + m.neurons.cost.area_m2) * 1e6,
                u::format_human(m.read.energy_J(), u::energy, 4),
                u::format_human(m.read.latency_s, u::time, 4),
                m.density_override ? fmt::format("  (density {:.3g})", m.input_density) : "");
        } else {
            std::cout << fmt::format("  {:<12} {:<10} {:>11}   {}{}\n", m.name,
                                     nn::kind_name(m.kind), shape(m.out), m.treatment,
                                     m.digital_energy_J > 0
                                         ? ": " + u::format_human(m.digital_energy_J, u::energy, 4)
                                         : "");
        }
    }
    const double ops = 2 * e.macs;
    const double tops = e.latency_s > 0 ? ops / e.latency_s * 1e-12 : 0;
    std::cout << "\n  chip totals (one inference of one image)\n";
    std::cout << fmt::format(
        "  area               {:.5g} mm^2  (synaptic arrays + periphery {:.5g}, neuron periphery "
        "{:.5g})\n",
        e.area_m2 * 1e6, e.arrays_area_m2 * 1e6, e.neurons_area_m2 * 1e6);
    std::cout << fmt::format("  leakage            {}\n",
                             u::format_human(e.leakage_W, u::power, 5));
    std::cout << fmt::format("  MACs per image     {}  ({} ops, 2 per MAC)\n", count(e.macs),
                             count(ops));
    std::cout << fmt::format(
        "  energy per image   {} array dynamic | {} + digital ops | {} + "
        "leakage\n",
        u::format_human(e.array_energy_J, u::energy, 5),
        u::format_human(e.energy_with_digital_J(), u::energy, 5),
        u::format_human(e.energy_total_J(), u::energy, 5));
    std::cout << fmt::format(
        "  latency per image  {}  (weight layers in sequence, each layer's "
        "MVMs serialised over its copies; digital ops overlapped)\n",
        u::format_human(e.latency_s, u::time, 5));
    const auto tw = [&](double energy) { return energy > 0 ? ops / energy * 1e-12 : 0.0; };
    std::cout << fmt::format(
        "  TOPS/W             {:.5g} array dynamic | {:.5g} + digital ops | "
        "{:.5g} + leakage\n",
        tw(e.array_energy_J), tw(e.energy_with_digital_J()), tw(e.energy_total_J()));
    std::cout << fmt::format("  TOPS               {:.5g}  (2·MACs / latency per image)\n", tops);
    std::cout << fmt::format("  TOPS/mm^2          {:.5g}\n",
                             e.area_m2 > 0 ? tops / (e.area_m2 * 1e6) : 0.0);
    std::cout << "\n  array dynamic = the weight layers' reads (cells, driven rows, converters, "
                 "shift-add, tile accumulation, neuron periphery)\n";
    for (const auto& n : e.not_modelled) std::cout << "  not modelled: " << n << "\n";
}

}  // namespace

void estimate_graph_command(const sim::Experiment& ex, bool json) {
    sim::GraphEstimate e;
    try {
        e = sim::estimate_graph(ex.tech, ex.device, ex.network.graph, ex.hardware);
    } catch (const std::invalid_argument& x) {
        throw ExitRequest{kExitBadInput, fmt::format("error: {}", x.what())};
    }
    for (const auto& w : e.warnings) std::cerr << "warning: " << w << "\n";
    if (json) {
        auto j = sim::graph_estimate_json(e);
        nlohmann::ordered_json out;
        out["network"] = ex.network.name;
        out["tech"] = {{"name", ex.tech.name},
                       {"flavour", ex.tech.flavour},
                       {"temperature_K", ex.tech.temperature}};
        out["device"] = ex.device.name;
        out["hardware"] = {{"max_array", {ex.hardware.max_rows, ex.hardware.max_cols}},
                           {"input_bits", ex.hardware.input_bits},
                           {"activation_bits", ex.hardware.activation_bits},
                           {"adc_bits", ex.hardware.adc_bits},
                           {"read_circuit", ex.hardware.read_circuit},
                           {"input_density", ex.hardware.input_density},
                           {"duplication", ex.hardware.duplication}};
        for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it.value();
        std::cout << out.dump(2) << "\n";
        return;
    }
    print(ex, e);
}

}  // namespace synbench::cli
