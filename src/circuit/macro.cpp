#include "circuit/macro.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "circuit/logic.hpp"
#include "circuit/macro_card.hpp"
#include "circuit/neuron.hpp"

namespace synbench::circuit {

namespace {
int ceil_div(int a, int b) { return (a + b - 1) / b; }
int ceil_log2(int n) { return n <= 1 ? 0 : static_cast<int>(std::ceil(std::log2(n) - 1e-12)); }
}  // namespace

double fo4_delay(const tech::Card& t) {
    const auto inv = inverter(t);
    return 0.69 * inv.r_drive * (inv.c_out + 4 * inv.c_in);
}

std::vector<std::string> clock_checks(const tech::Card& t, double clock) {
    std::vector<std::string> w;
    const double fo4 = fo4_delay(t);
    if (t.design.min_cycle_fo4 <= 0) {
        w.push_back(fmt::format(
            "tech {}: no design.limits.min_cycle_fo4, the clock ({:.4g} GHz) is not checked",
            t.name, clock * 1e-9));
    } else if (1.0 / clock < t.design.min_cycle_fo4 * fo4) {
        w.push_back(
            fmt::format("clock {:.4g} GHz is beyond what {} logic supports: a period of {:.4g} ps "
                        "is less than {:.3g} FO4 "
                        "delays ({:.4g} ps each; at most {:.4g} GHz)",
                        clock * 1e-9, t.name, 1e12 / clock, t.design.min_cycle_fo4, fo4 * 1e12,
                        1e-9 / (t.design.min_cycle_fo4 * fo4)));
    }
    return w;
}

MacroCard block_macro(const tech::Card& t, const device::Card& d, const SubarraySpec& spec,
                      const HardwareOptions& h) {
    MacroCard m;
    m.name = "hardware block";
    m.tech = t;
    m.device = d;
    const bool pair = h.signed_weights == SignedWeights::differential;
    m.rows = m.rows_active = spec.rows;
    m.columns = pair ? 2 * spec.cols : spec.cols + 1;
    m.weight_bits = m.bits_per_cell = 1;
    m.weight_levels = 2;
    m.weight_cells = pair ? 2 : 1;
    m.scheme = pair ? WeightScheme::differential_columns : WeightScheme::offset_column;
    m.input_bits = h.input_bits;
    m.encoding = InputEncoding::bit_serial;
    m.converter = h.read_circuit;
    m.converter_bits = m.output_bits = h.adc_bits;
    m.columns_per_converter = h.read_mux;
    m.clock = h.clock;
    m.network = h;
    m.network->macro = nullptr;
    return m;
}

MacroDetail evaluate_macro_detail(const tech::Card& t, const device::Card& d,
                                  const std::vector<int>& layers, const HardwareOptions& h) {
    if (layers.size() < 2)
        throw std::invalid_argument("circuit model: a network needs at least two layers");
    for (int n : layers)
        if (n <= 0)
            throw std::invalid_argument("circuit model: every layer needs at least one neuron");
    if (h.macro) return evaluate_macro_tiled(layers, h);
    MacroDetail out;
    auto& table = out.table;
    std::vector<Block> arrays, neurons;
    for (std::size_t l = 0; l + 1 < layers.size(); ++l) {
        LayerCost lc;
        lc.rows = layers[l];
        lc.cols = layers[l + 1];
        lc.tiles_r = ceil_div(lc.rows, h.max_rows);
        lc.tiles_c = ceil_div(lc.cols, h.max_cols);
        SubarraySpec spec{ceil_div(lc.rows, lc.tiles_r), ceil_div(lc.cols, lc.tiles_c)};
        // Analog cells: the tile is the macro the hardware block describes, costed by the function
        // of `estimate --macro`; digital cells: the subarray model (macro cards take analog cells).
        SubarrayResult sub;
        if (d.cell == device::CellType::pseudo_crossbar_1t1r ||
            d.cell == device::CellType::crossbar) {
            const auto tile = estimate_macro_tile(block_macro(t, d, spec, h), spec.rows, spec.cols);
            sub.block = tile.block;
            sub.facts = tile.facts;
            sub.cost = tile.events;
            const auto clock = clock_checks(t, h.clock);  // added once, below
            for (const auto& w : tile.warnings)
                if (std::find(clock.begin(), clock.end(), w) == clock.end())
                    sub.warnings.push_back(w);
        } else {
            sub = evaluate_subarray(t, d, spec, h);
        }
        const int tiles = lc.tiles_r * lc.tiles_c;
        const std::string lname = fmt::format("layer{}", l + 1);
        Block tile_block = times(sub.block, tiles, lname);
        arrays.push_back(tile_block);

        // Neuron periphery: accumulates the column groups of every tile row, the input bit-planes
        // (shift-add is in the tiles) and the tiles along the input dimension.
        NeuronSpec ns;
        ns.outputs = lc.cols;
        ns.ways = std::min(h.read_mux, sub.facts.physical_cols);
        ns.groups = sub.facts.read_circuits * lc.tiles_c;
        const int bits = d.cell == device::CellType::digital_sram
                             ? std::max(1, d.digital_bits) + ceil_log2(spec.rows)
                             : h.adc_bits;
        ns.bits = bits + 2 + (h.input_bits - 1) + ceil_log2(lc.tiles_r);
        ns.side = sub.facts.physical_cols * sub.facts.cell_width * lc.tiles_c;
        ns.clock = h.clock;
        Block nb = neuron_periphery(t, ns);
        nb.name = lname;
        neurons.push_back(nb);

        const auto& c = sub.cost;
        const double tile_acc = ceil_log2(lc.tiles_r) * adder(t, ns.bits, 1, 0).read_latency;
        lc.read_latency_per_bitplane_s = c.read_latency_per_bitplane_s + tile_acc + nb.read_latency;
        lc.read_energy_per_bitplane_J = tiles * c.read_energy_per_bitplane_J + nb.read_energy;
        lc.read_energy_per_active_row_J = lc.tiles_c * c.read_energy_per_active_row_J;
        lc.read_cell_energy_per_S = c.read_cell_energy_per_S;
        lc.read_latency_per_active_row_s = c.read_latency_per_active_row_s;
        lc.write_row_latency_s = c.write_row_latency_s;
        lc.write_row_energy_J = lc.tiles_c * c.write_row_energy_J;
        lc.write_line_energy_per_pulse_J = c.write_line_energy_per_pulse_J;
        lc.write_halfselect_energy_per_pulse_J = c.write_halfselect_energy_per_pulse_J;
        lc.write_driver_energy_per_pulse_J = c.write_driver_energy_per_pulse_J;
        table.layers.push_back(lc);
        out.tiles.push_back(sub.facts);
        for (const auto& w : sub.warnings)
            table.warnings.push_back(fmt::format("{}: {}", lname, w));
    }
    for (auto& w : clock_checks(t, h.clock)) table.warnings.push_back(std::move(w));
    Block syn = group("synaptic_arrays", arrays);
    Block neu = group("neuron_periphery", neurons);
    Block all = group("macro", {syn, neu});
    table.total.area_m2 = all.area;
    table.total.leakage_W = all.leakage;
    table.breakdown = to_cost_node(all);
    return out;
}

CostTable evaluate_macro(const tech::Card& t, const device::Card& d, const std::vector<int>& layers,
                         const HardwareOptions& h) {
    return evaluate_macro_detail(t, d, layers, h).table;
}

}  // namespace synbench::circuit
