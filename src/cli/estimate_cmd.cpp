// `synbench estimate`: evaluate the circuit macro once and print its cost table.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "report/budget.hpp"

#include "circuit/macro.hpp"
#include "circuit/macro_card.hpp"
#include "cli/checks.hpp"
#include "cli/commands.hpp"
#include "cli/estimate_graph.hpp"
#include "cli/experiment_options.hpp"
#include "sim/costs.hpp"
#include "sim/estimate.hpp"
#include "sim/experiment.hpp"
#include "units/units.hpp"

namespace synbench::cli {

namespace {

namespace u = synbench::units;

void print_tree(const circuit::CostNode& n, int depth, int max_depth) {
    std::cout << fmt::format("  {:<40} {:>14} {:>14}\n", std::string(2 * depth, ' ') + n.name,
                             u::format_human(n.cost.area_m2 * 1e12, u::dimensionless, 5) + " um2",
                             u::format_human(n.cost.leakage_W, u::power, 5));
    if (depth < max_depth)
        for (const auto& c : n.children) print_tree(c, depth + 1, max_depth);
}

void print_energy_tree(const circuit::CostNode& n, int depth, double total) {
    std::cout << fmt::format("  {:<40} {:>14} {:>8.1f} %\n", std::string(2 * depth, ' ') + n.name,
                             u::format_human(n.cost.energy_J, u::energy, 5),
                             total > 0 ? 100 * n.cost.energy_J / total : 0.0);
    for (const auto& c : n.children) print_energy_tree(c, depth + 1, total);
}

// `estimate --macro FILE`: one compute-in-memory macro from its macro card.
void estimate_macro_card(const std::string& file, bool json, int depth) {
    circuit::MacroCard m;
    circuit::MacroEstimate e;
    try {
        m = circuit::load_macro_card(file);
        e = circuit::estimate_macro(m);
    } catch (const std::invalid_argument& ex) {
        throw ExitRequest{kExitBadInput, fmt::format("error: {}: {}", file, ex.what())};
    }
    for (const auto& w : e.warnings) std::cerr << "warning: " << w << "\n";
    if (json) {
        nlohmann::json j;
        j["name"] = m.name;
        j["source"] = {{"paper", m.paper}, {"doi", m.doi}, {"where", m.where}};
        j["area_m2"] = e.area_m2;
        j["energy_per_mac_J"] = e.energy_per_mac_J;
        j["energy_per_mvm_J"] = e.energy_per_mvm_J;
        j["tops_per_w"] = e.tops_per_w;
        j["tops_per_mm2"] = e.tops_per_mm2;
        j["latency_per_mvm_s"] = e.latency_per_mvm_s;
        j["latency_per_access_s"] = e.latency_per_access_s;
        j["macs_per_mvm"] = e.macs_per_mvm;
        j["leakage_W"] = e.leakage_W;
        nlohmann::ordered_json energy;
        energy["name"] = e.energy.name;
        energy["energy_J"] = e.energy.cost.energy_J;
        energy["latency_s"] = e.energy.cost.latency_s;
        energy["children"] = nlohmann::ordered_json::array();
        for (const auto& c : e.energy.children)
            energy["children"].push_back({{"name", c.name}, {"energy_J", c.cost.energy_J}});
        j["breakdown"] = {{"area", sim::cost_tree_json(e.area)}, {"energy_per_mvm", energy}};
        j["warnings"] = e.warnings;
        j["notes"] = e.notes;
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << fmt::format("synbench estimate --macro: {} ({}; {})\n", m.name, m.paper, m.where);
    std::cout << fmt::format(
        "  {} {}, device {}, {}x{} cells, {} rows active, {}-bit inputs, {} {}-bit, clock {}\n\n",
        m.tech.name, m.tech.flavour, m.device.name, m.rows, m.columns, m.rows_active, m.input_bits,
        m.converter, m.converter_bits, u::format_human(m.clock, u::frequency));
    std::cout << fmt::format("  area              {:.5g} mm^2\n", e.area_m2 * 1e6);
    std::cout << fmt::format("  energy per MAC    {:.5g} fJ   ({:.5g} pJ per MVM of {:.0f} MACs)\n",
                             e.energy_per_mac_J * 1e15, e.energy_per_mvm_J * 1e12, e.macs_per_mvm);
    std::cout << fmt::format("  TOPS/W            {:.5g}\n", e.tops_per_w);
    std::cout << fmt::format("  TOPS/mm^2         {:.5g}\n", e.tops_per_mm2);
    std::cout << fmt::format("  latency per MVM   {}\n",
                             u::format_human(e.latency_per_mvm_s, u::time));
    std::cout << fmt::format("  latency per access {}  (one row group, each converter once)\n",
                             u::format_human(e.latency_per_access_s, u::time));
    std::cout << fmt::format("  leakage           {}\n\n",
                             u::format_human(e.leakage_W, u::power, 5));
    std::cout << fmt::format("  {:<40} {:>14} {:>10}\n", "energy of one MVM", "energy", "share");
    print_energy_tree(e.energy, 0, e.energy_per_mvm_J);
    std::cout << fmt::format("\n  {:<40} {:>14} {:>14}\n", "block", "area", "leakage");
    print_tree(e.area, 0, depth);
    for (const auto& n : e.notes) std::cout << "  note: " << n << "\n";
}

}  // namespace

void add_estimate_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "estimate", "Evaluate the circuit macro once: area, leakage and per-event latency/energy");
    auto eo = add_experiment_options(cmd, false);
    struct Opts {
        bool json = false, layer_table = false;
        std::string budget, macro;
        int depth = 3;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_flag("--json", o->json, "Print one JSON object");
    cmd->add_option("--budget", o->budget,
                    "Check against a chip budget: area=1mm2,leakage=100uW (exit 3 when exceeded)");
    cmd->add_option("--macro", o->macro,
                    "Estimate one compute-in-memory macro from its macro card (macros/*.yaml; "
                    "docs/macro-cards.md)");
    cmd->add_flag("--layer-table", o->layer_table,
                  "Per-layer table and chip totals of one inference (what a network given as a "
                  "graph of layers prints; docs/cnn-estimates.md)");
    cmd->add_option("--depth", o->depth, "Depth of the printed breakdown (text output)")
        ->check(int_range(0, 10));
    cmd->callback([eo, o] {
        if (!o->macro.empty()) {
            if (!eo->experiment.empty() || !eo->tech.empty() || !eo->device.empty() ||
                !eo->network.empty() || !eo->sets.empty() || !o->budget.empty())
                throw ExitRequest{kExitBadInput,
                                  "error: --macro: the macro card names its own tech and device "
                                  "and holds every setting; "
                                  "do not combine it with an experiment, --tech, --device, "
                                  "--network, --set or --budget"};
            estimate_macro_card(o->macro, o->json, o->depth);
            return;
        }
        auto ex = sim::load_experiment(eo->inputs());
        if (!ex.hardware.enabled)
            throw ExitRequest{kExitBadInput,
                              "error: hardware.enabled is false (software mode): no hardware is "
                              "modelled, so there is no area, "
                              "leakage or energy to estimate; set hardware.enabled: true"};
        // A layer graph the MLP macro cannot hold (convolutions, pools, residual adds): the
        // per-layer estimate (sim/layer_mapping.hpp); --layer-table asks for it for any card.
        if (o->layer_table || ex.network.layers.empty()) {
            if (!o->budget.empty())
                throw ExitRequest{kExitBadInput,
                                  "error: --budget: not checked against the per-layer estimate; "
                                  "run estimate without --layer-table to check area and leakage"};
            estimate_graph_command(ex, o->json);
            return;
        }
        circuit::MacroDetail md;
        try {
            md = circuit::evaluate_macro_detail(ex.tech, ex.device, ex.network.layers, ex.hardware);
        } catch (const std::invalid_argument& e) {
            throw ExitRequest{kExitBadInput, fmt::format("error: {}", e.what())};
        }
        const auto& t = md.table;
        for (const auto& w : t.warnings) std::cerr << "warning: " << w << "\n";
        const auto s = sim::summarise_estimate(t, ex);
        std::optional<report::BudgetCheck> budget;
        if (!o->budget.empty())
            budget = report::check_budget(
                report::parse_budget(o->budget),
                report::totals_from_estimate(t.total.area_m2, t.total.leakage_W));
        if (budget) {
            // A budget must check something here: the circuit estimate knows area and leakage only.
            std::string unchecked;
            bool any = false;
            for (const auto& l : budget->lines) {
                if (l.actual)
                    any = true;
                else
                    unchecked += (unchecked.empty() ? "" : ", ") + l.item;
            }
            if (!any)
                throw ExitRequest{
                    kExitBadInput,
                    fmt::format("error: --budget '{}': nothing to check: estimate knows area and "
                                "leakage, not {} "
                                "(check those with `train --budget` or `compare --budget`)",
                                o->budget, unchecked)};
        }
        auto finish_budget = [&] {
            if (budget && budget->exceeded()) throw ExitRequest{kExitBudget, "budget exceeded"};
        };
        const auto& syn = t.breakdown.children.at(0);
        const auto& neu = t.breakdown.children.at(1);
        if (o->json) {
            nlohmann::json j = sim::estimate_json(ex, md);
            if (budget) j["budget"] = report::budget_json(*budget);
            std::cout << j.dump(2) << "\n";
            finish_budget();
            return;
        }
        std::cout << fmt::format(
            "synbench estimate: {} {} at {}, device {}, layers", ex.tech.name, ex.tech.flavour,
            u::format_human(ex.tech.temperature, u::temperature), ex.device.name);
        for (int n : ex.network.layers) std::cout << " " << n;
        std::cout << "\n\n";
        // hardware.macro: the layers on the macro card's macros (docs/macro-cards.md "Networks on
        // macros"); else the subarray model's arrays and neuron periphery.
        const bool on_macro = !md.on_macro.empty();
        const char* syn_name = on_macro ? "macros" : "synaptic arrays + periphery";
        const char* neu_name = on_macro ? "tile accumulation" : "neuron periphery";
        if (on_macro)
            std::cout << fmt::format("  on macros of '{}' ({})\n", ex.hardware.macro->name,
                                     ex.hardware.macro_ref);
        std::cout << fmt::format("  total area     {:.5g} m^2  ({} {:.5g}, {} {:.5g})\n",
                                 t.total.area_m2, syn_name, syn.cost.area_m2, neu_name,
                                 neu.cost.area_m2);
        std::cout << fmt::format("  total leakage  {}  ({} {}, {} {})\n\n",
                                 u::format_human(t.total.leakage_W, u::power, 5), syn_name,
                                 u::format_human(syn.cost.leakage_W, u::power, 5), neu_name,
                                 u::format_human(neu.cost.leakage_W, u::power, 5));
        std::cout << fmt::format("  {:<40} {:>14} {:>14}\n", "block", "area", "leakage");
        print_tree(t.breakdown, 0, o->depth);
        if (on_macro) {
            const auto act = sim::assumed_inference_activity(ex, t);
            std::cout << fmt::format(
                "\n  per weight layer on the macros (per MVM: the macro card's activity, "
                "input.bits {}; per image: {} bit-plane(s) in layer 1, 1 after)\n",
                ex.hardware.macro->input_bits, ex.hardware.input_bits);
            for (std::size_t l = 0; l < md.on_macro.size(); ++l) {
                const auto& L = md.on_macro[l];
                const auto img = sim::read_cost(t.layers[l], act[l]);
                std::cout << fmt::format(
                    "  layer {}: {}x{} on {}x{} macro(s), {}x{} of each used; area {:.5g} mm^2\n"
                    "    per MVM   {} / {}  ({:.5g} fJ per MAC)\n"
                    "    per image {} / {}  (+ leakage {} over the read)\n",
                    l + 1, L.rows, L.cols, L.tiles_r, L.tiles_c, L.tile_inputs, L.tile_weights,
                    L.area_m2 * 1e6, u::format_human(L.energy_per_mvm_J, u::energy),
                    u::format_human(L.latency_per_mvm_s, u::time),
                    L.energy_per_mvm_J / L.macs_per_mvm * 1e15,
                    u::format_human(img.energy_J(), u::energy),
                    u::format_human(img.latency_s, u::time),
                    u::format_human(L.leakage_W * img.latency_s, u::energy));
            }
        }
        std::cout << "\n  per weight layer (one tile; per-event costs used by the trainer)\n";
        for (std::size_t l = 0; l < t.layers.size(); ++l) {
            const auto& c = t.layers[l];
            const auto& f = md.tiles[l];
            std::cout << fmt::format(
                "  layer {}: {}x{} in {}x{} tile(s); cell {:.3g} x {:.3g} nm; conversion {}\n",
                l + 1, c.rows, c.cols, c.tiles_r, c.tiles_c, f.cell_width * 1e9,
                f.cell_height * 1e9, u::format_human(f.conversion_time, u::time));
            std::cout << fmt::format(
                "    read per bit-plane {} / {}; per driven row {}; cells {} per S\n",
                u::format_human(c.read_latency_per_bitplane_s, u::time),
                u::format_human(c.read_energy_per_bitplane_J, u::energy),
                u::format_human(c.read_energy_per_active_row_J, u::energy),
                u::format_human(c.read_cell_energy_per_S, u::energy));
            std::cout << fmt::format(
                "    write per row {} / {}; per pulse line {} half-select {} driver {}\n",
                u::format_human(c.write_row_latency_s, u::time),
                u::format_human(c.write_row_energy_J, u::energy),
                u::format_human(c.write_line_energy_per_pulse_J, u::energy),
                u::format_human(c.write_halfselect_energy_per_pulse_J, u::energy),
                u::format_human(c.write_driver_energy_per_pulse_J, u::energy));
        }
        std::cout << fmt::format(
            "\n  one inference pass of one image: {} / {}  ({})\n",
            u::format_human(s.read_latency, u::time), u::format_human(s.read_energy, u::energy),
            on_macro
                ? fmt::format("the macro card's activity: input_density {:.3g}, "
                              "weight_sparsity {:.3g}",
                              ex.hardware.macro->input_density, ex.hardware.macro->weight_sparsity)
                : std::string(sim::kAssumedActivity));
        std::cout << fmt::format("  one LTP pulse on one cell (layer 1): {} / {}\n",
                                 u::format_human(s.pulse_latency, u::time),
                                 u::format_human(s.pulse_energy, u::energy));
        std::cout << fmt::format(
            "  full-row update (every column one LTP pulse, layer 1): {} / {}\n",
            u::format_human(s.row_latency, u::time), u::format_human(s.row_energy, u::energy));
        if (budget) std::cout << "\n" << report::format_budget(*budget);
        finish_budget();
    });
}

}  // namespace synbench::cli
