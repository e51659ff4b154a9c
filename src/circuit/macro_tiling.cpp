#include "circuit/macro_tiling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "circuit/logic.hpp"
#include "circuit/macro.hpp"
#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

namespace {
int ceil_div(int a, int b) { return (a + b - 1) / b; }
int ceil_log2(int n) { return n <= 1 ? 0 : static_cast<int>(std::ceil(std::log2(n) - 1e-12)); }
}  // namespace

LayerTiles tile_layer(int rows, int cols, const MacroCard& m, int bitplanes) {
    if (rows < 1 || cols < 1 || bitplanes < 1)
        throw std::invalid_argument(
            fmt::format("tile_layer: {} x {} with {} bit-plane(s)", rows, cols, bitplanes));
    const auto sh = macro_shape(m);
    LayerTiles L;
    L.rows = rows;
    L.cols = cols;
    L.tiles_r = ceil_div(rows, sh.inputs);
    L.tiles_c = ceil_div(cols, sh.weights);
    L.tile_inputs = ceil_div(rows, L.tiles_r);
    L.tile_weights = ceil_div(cols, L.tiles_c);
    L.tile = estimate_macro_tile(m, L.tile_inputs, L.tile_weights);
    const int tiles = L.tiles_r * L.tiles_c;
    const Block macros = times(L.tile.block, tiles, "macros");
    // The tiles along the inputs give partial sums of every output: an adder tree of
    // ceil(log2 tiles_r) levels, tiles_r − 1 additions per output, output.bits + log2 tiles_r wide.
    std::vector<Block> kids{macros};
    double acc_latency = 0;
    if (L.tiles_r > 1) {
        const int bits = m.output_bits + ceil_log2(L.tiles_r);
        L.accumulation = adder(m.tech, bits, cols * (L.tiles_r - 1), 0);
        L.accumulation.name = "tile_accumulation";
        acc_latency = ceil_log2(L.tiles_r) * L.accumulation.read_latency;
        kids.push_back(L.accumulation);
    }
    L.block = group("layer", kids);
    L.area_m2 = L.block.area;
    L.leakage_W = L.block.leakage;
    L.latency_per_mvm_s = L.tile.latency_per_mvm_s + acc_latency;
    // The tile's MVM energy includes its leakage over its MVM; the adders' leakage is charged
    // over the layer's.
    L.energy_per_mvm_J = tiles * L.tile.energy_per_mvm_J + L.accumulation.read_energy +
                         L.accumulation.leakage * L.latency_per_mvm_s;
    L.macs_per_mvm = static_cast<double>(rows) * cols;

    auto& c = L.cost;
    const auto& ev = L.tile.events;
    c = ev;
    c.rows = rows;
    c.cols = cols;
    c.tiles_r = L.tiles_r;
    c.tiles_c = L.tiles_c;
    c.read_latency_per_bitplane_s = ev.read_latency_per_bitplane_s + acc_latency / bitplanes;
    c.read_energy_per_bitplane_J =
        tiles * ev.read_energy_per_bitplane_J + L.accumulation.read_energy / bitplanes;
    // A driven input drives its row(s) in each macro along the outputs.
    c.read_energy_per_active_row_J = L.tiles_c * ev.read_energy_per_active_row_J;
    c.write_row_energy_J = L.tiles_c * ev.write_row_energy_J;
    return L;
}

HardwareOptions macro_hardware_options(HardwareOptions h, std::shared_ptr<const MacroCard> m) {
    const auto sh = macro_shape(*m);
    h.adc_bits = m->converter_bits;
    h.read_circuit = converter_variant(m->converter).survey_family.empty() ? m->converter : "sar";
    h.read_mux = m->columns_per_converter;
    h.clock = m->clock;
    h.signed_weights = m->scheme == WeightScheme::offset_column ? SignedWeights::reference_column
                                                                : SignedWeights::differential;
    h.max_rows = sh.inputs;
    h.max_cols = sh.weights;
    h.macro = std::move(m);
    return h;
}

MacroDetail evaluate_macro_tiled(const std::vector<int>& layers, const HardwareOptions& h) {
    if (!h.macro) throw std::logic_error("evaluate_macro_tiled: no hardware.macro");
    const auto& m = *h.macro;
    MacroDetail out;
    auto& table = out.table;
    std::vector<Block> macros, accumulation;
    std::vector<std::string> seen;
    for (std::size_t l = 0; l + 1 < layers.size(); ++l) {
        const int bitplanes = l == 0 ? h.input_bits : 1;  // hidden activations are binarised
        auto lt = tile_layer(layers[l], layers[l + 1], m, bitplanes);
        const std::string lname = fmt::format("layer{}", l + 1);
        Block mb = lt.block.children.front();
        mb.name = lname;
        macros.push_back(mb);
        if (lt.tiles_r > 1) {
            Block ab = lt.accumulation;
            ab.name = lname;
            accumulation.push_back(ab);
        }
        table.layers.push_back(lt.cost);
        out.tiles.push_back(lt.tile.facts);
        // The macro's own warnings (clock, column current) once, not once per layer.
        for (const auto& w : lt.tile.warnings)
            if (std::find(seen.begin(), seen.end(), w) == seen.end()) {
                seen.push_back(w);
                table.warnings.push_back(fmt::format("macro {}: {}", m.name, w));
            }
        out.on_macro.push_back(std::move(lt));
    }
    Block all = group("macro", {group("macros", macros), group("tile_accumulation", accumulation)});
    table.total.area_m2 = all.area;
    table.total.leakage_W = all.leakage;
    table.breakdown = to_cost_node(all);
    return out;
}

}  // namespace synbench::circuit
