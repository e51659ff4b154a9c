#include "sim/layer_mapping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <stdexcept>

#include "circuit/logic.hpp"
#include "config/config.hpp"

namespace synbench::sim {

namespace {

int ceil_log2(double n) { return n <= 1 ? 0 : static_cast<int>(std::ceil(std::log2(n) - 1e-12)); }

// A copy count applied to an area/leakage tree (the duplicated tiles of a layer).
circuit::CostNode scaled(circuit::CostNode n, double k) {
    n.cost.area_m2 *= k;
    n.cost.leakage_W *= k;
    for (auto& c : n.children) c = scaled(std::move(c), k);
    return n;
}

int matrix_side(std::size_t n, const nn::LayerSpec& L, const char* what) {
    if (n > static_cast<std::size_t>(INT_MAX))
        throw std::invalid_argument(
            fmt::format("layer '{}': its weight matrix has {} {}, more than the circuit model maps",
                        L.name, n, what));
    return static_cast<int>(n);
}

// Whether a weight layer reads the data (through layers without weights only): it is then driven
// with the data's bit-planes, later layers with the hidden activations'.
bool reads_data(const nn::LayerGraph& g, const nn::LayerSpec& L) {
    int id = L.input_ids.empty() ? -1 : L.input_ids.front();
    while (id >= 0) {
        const auto& P = g.layers[static_cast<std::size_t>(id)];
        if (P.has_weights()) return false;
        id = P.input_ids.empty() ? -1 : P.input_ids.front();
    }
    return true;
}

}  // namespace

ReadCounts assumed_mvm_activity(int bitplanes, double density, double rows, double cols,
                                double arrays, double g_mid) {
    ReadCounts r;
    r.bitplanes = bitplanes;
    r.active_rows = r.bitplanes * density * rows;
    r.g_sum = r.active_rows * arrays * cols * g_mid;
    return r;
}

circuit::MacroDetail tile_matrix(const tech::Card& t, const device::Card& d, int rows, int cols,
                                 const circuit::HardwareOptions& h) {
    return circuit::evaluate_macro_detail(t, d, {rows, cols}, h);
}

GraphEstimate estimate_graph(const tech::Card& t, const device::Card& d, const nn::LayerGraph& g,
                             const circuit::HardwareOptions& h) {
    for (const auto& o : h.per_layer) {
        const auto it = std::find_if(g.layers.begin(), g.layers.end(),
                                     [&](const nn::LayerSpec& L) { return L.name == o.layer; });
        if (it == g.layers.end() || !it->has_weights()) {
            std::string names;
            for (const auto& L : g.layers)
                if (L.has_weights()) names += (names.empty() ? "" : ", ") + L.name;
            throw config::Error(
                o.file, o.line, 0, "hardware.per_layer.layer",
                fmt::format("'{}' is {} of the network; expected a weight layer (dense or "
                            "conv2d): {}",
                            o.layer, it == g.layers.end() ? "no layer" : "not a weight layer",
                            names));
        }
    }
    const double g_mid = 0.5 * (d.g_min + d.g_max);
    const double arrays = h.signed_weights == circuit::SignedWeights::differential ? 2 : 1;
    GraphEstimate e;
    for (const auto& w : circuit::clock_checks(t, h.clock)) e.warnings.push_back(w);
    const std::size_t clock_warnings = e.warnings.size();
    double arrays_leakage = 0, neurons_leakage = 0;
    for (std::size_t i = 0; i < g.layers.size(); ++i) {
        const auto& L = g.layers[i];
        MappedLayer m;
        m.index = static_cast<int>(i);
        m.name = L.name;
        m.kind = L.kind;
        m.out = L.out;
        const auto input_name = [&](std::size_t k) {
            const int id = L.input_ids.at(k);
            return id < 0 ? std::string("input") : g.layers[static_cast<std::size_t>(id)].name;
        };
        if (L.has_weights()) {
            m.weights = true;
            m.treatment = "arrays";
            m.rows = matrix_side(L.weight_rows(), L, "rows");
            m.cols = matrix_side(L.weight_cols(), L, "columns");
            m.positions = static_cast<double>(L.positions());
            m.duplication = h.duplication;
            m.input_density = h.input_density;
            for (const auto& o : h.per_layer)
                if (o.layer == L.name) {
                    if (o.input_density) {
                        m.input_density = *o.input_density;
                        m.density_override = true;
                    }
                    if (o.duplication) m.duplication = *o.duplication;
                }
            // The old `layers: [widths]` MLP reads its hidden activations as 1 bit
            // (hidden_threshold).
            m.bitplanes = reads_data(g, L) ? h.input_bits : g.from_widths ? 1 : h.activation_bits;
            circuit::MacroDetail md;
            try {
                md = tile_matrix(t, d, m.rows, m.cols, h);
            } catch (const std::invalid_argument& ex) {
                throw std::invalid_argument(fmt::format("layer '{}': {}", L.name, ex.what()));
            }
            m.cost = md.table.layers.at(0);
            m.tile = md.tiles.at(0);
            const auto& tree = md.table.breakdown.children;
            m.arrays = tree.at(0).children.at(0);
            m.neurons = tree.at(1).children.at(0);
            m.arrays.name = m.neurons.name = L.name;
            if (m.duplication > 1) {
                m.arrays = scaled(m.arrays, m.duplication);
                m.neurons = scaled(m.neurons, m.duplication);
            }
            // The macro's warnings: its layer ones renamed; the clock's are the chip's (once).
            const auto& mw = md.table.warnings;
            for (std::size_t k = 0; k + clock_warnings < mw.size(); ++k) {
                auto w = mw[k];
                if (w.rfind("layer1: ", 0) == 0) w = L.name + ": " + w.substr(8);
                e.warnings.push_back(w);
            }
            m.per_mvm =
                assumed_mvm_activity(m.bitplanes, m.input_density, m.rows, m.cols, arrays, g_mid);
            ReadCounts image;
            image.bitplanes = m.positions * m.per_mvm.bitplanes;
            image.active_rows = m.positions * m.per_mvm.active_rows;
            image.g_sum = m.positions * m.per_mvm.g_sum;
            m.read = read_cost(m.cost, image);
            // The copies share the positions; each MVM reads all tiles of a copy in parallel.
            const double serial = std::ceil(m.positions / m.duplication);
            m.read.latency_s = serial * read_cost(m.cost, m.per_mvm).latency_s;
            m.macs = m.positions * m.rows * m.cols;
            e.arrays_area_m2 += m.arrays.cost.area_m2;
            e.neurons_area_m2 += m.neurons.cost.area_m2;
            arrays_leakage += m.arrays.cost.leakage_W;
            neurons_leakage += m.neurons.cost.leakage_W;
            e.macs += m.macs;
            e.array_energy_J += m.read.energy_J();
            e.latency_s += m.read.latency_s;
        } else {
            // Digital operations on hidden activations of activation_bits bits (an adder or a
            // comparator of that width per operation, circuit/logic.hpp).
            const int bits = g.from_widths ? 1 : h.activation_bits;
            const double outputs = static_cast<double>(L.out.size());
            switch (L.kind) {
                case nn::LayerKind::max_pool:
                case nn::LayerKind::avg_pool: {
                    const double window = static_cast<double>(L.kernel) * L.kernel;
                    m.digital_ops = outputs * (window - 1);
                    const bool avg = L.kind == nn::LayerKind::avg_pool;
                    // max: a comparison (subtraction) per pair; average: a sum widened by log2 of
                    // the window, its division by k² a shift (free).
                    const double op =
                        avg ? circuit::adder(t, bits + ceil_log2(window), 1, 0).read_energy
                            : circuit::subtractor(t, bits, 1, 0).read_energy;
                    m.digital_energy_J = m.digital_ops * op;
                    m.treatment = fmt::format("digital: {} {}-bit {} per image", m.digital_ops,
                                              avg ? bits + ceil_log2(window) : bits,
                                              avg ? "additions" : "comparisons");
                    break;
                }
                case nn::LayerKind::add:
                    m.digital_ops = outputs;
                    m.digital_energy_J = outputs * circuit::adder(t, bits + 1, 1, 0).read_energy;
                    m.treatment =
                        fmt::format("digital: {} {}-bit additions per image", outputs, bits + 1);
                    break;
                case nn::LayerKind::batch_norm:
                    m.treatment =
                        fmt::format("folded into the weights of {} (inference)", input_name(0));
                    break;
                case nn::LayerKind::activation:
                    m.treatment = "not modelled (a function of each activation)";
                    break;
                case nn::LayerKind::flatten:
                    m.treatment = "free (a reordering)";
                    break;
                default:
                    break;
            }
            e.digital_energy_J += m.digital_energy_J;
        }
        e.layers.push_back(std::move(m));
    }
    // Summed as the MLP macro sums its groups (synaptic arrays, then neuron periphery).
    e.area_m2 = 0.0 + e.arrays_area_m2 + e.neurons_area_m2;
    e.leakage_W = 0.0 + arrays_leakage + neurons_leakage;
    e.leakage_energy_J = e.leakage_W * e.latency_s;
    e.not_modelled = {
        "buffers and interconnect between layers (activations are not stored or moved)",
        "off-chip memory (weights are in the arrays, inputs arrive at the first layer)",
        "area, leakage and latency of the pooling / add units (their energy is counted)",
        "stand-alone activation layers (a function of each activation, e.g. ReLU on the sign "
        "bit)"};
    return e;
}

nlohmann::ordered_json graph_estimate_json(const GraphEstimate& e) {
    using J = nlohmann::ordered_json;
    J j;
    J layers = J::array();
    for (const auto& m : e.layers) {
        J l;
        l["name"] = m.name;
        l["type"] = nn::kind_name(m.kind);
        l["output_shape"] = {m.out.height, m.out.width, m.out.channels};
        l["treatment"] = m.treatment;
        if (m.weights) {
            l["weight_matrix"] = {m.rows, m.cols};
            l["tiles"] = {m.cost.tiles_r, m.cost.tiles_c};
            l["duplication"] = m.duplication;
            l["positions"] = m.positions;
            l["bitplanes"] = m.bitplanes;
            l["input_density"] = m.input_density;
            l["input_density_source"] = m.density_override ? "assumed: hardware.per_layer"
                                                           : "assumed: hardware.input_density";
            l["macs"] = m.macs;
            l["area_m2"] = m.arrays.cost.area_m2 + m.neurons.cost.area_m2;
            l["leakage_W"] = m.arrays.cost.leakage_W + m.neurons.cost.leakage_W;
            l["energy_J"] = {{"cells", m.read.cells_J},
                             {"rows", m.read.rows_J},
                             {"periphery", m.read.periphery_J},
                             {"array_dynamic", m.read.energy_J()}};
            l["latency_s"] = m.read.latency_s;
        } else {
            l["digital_ops"] = m.digital_ops;
            l["digital_energy_J"] = m.digital_energy_J;
        }
        layers.push_back(l);
    }
    j["layers"] = layers;
    const double ops = 2 * e.macs;
    const auto tops_w = [&](double energy) { return energy > 0 ? ops / energy * 1e-12 : 0.0; };
    const double tops = e.latency_s > 0 ? ops / e.latency_s * 1e-12 : 0.0;
    j["total"] = {{"area_m2", e.area_m2},
                  {"arrays_area_m2", e.arrays_area_m2},
                  {"neuron_periphery_area_m2", e.neurons_area_m2},
                  {"leakage_W", e.leakage_W},
                  {"macs_per_image", e.macs},
                  {"ops_per_image", ops},
                  {"energy_per_image_J",
                   {{"array_dynamic", e.array_energy_J},
                    {"with_digital", e.energy_with_digital_J()},
                    {"with_leakage", e.energy_total_J()}}},
                  {"latency_per_image_s", e.latency_s},
                  {"tops", tops},
                  {"tops_per_w",
                   {{"array_dynamic", tops_w(e.array_energy_J)},
                    {"with_digital", tops_w(e.energy_with_digital_J())},
                    {"with_leakage", tops_w(e.energy_total_J())}}},
                  {"tops_per_mm2", e.area_m2 > 0 ? tops / (e.area_m2 * 1e6) : 0.0}};
    j["bases"] = {
        {"array_dynamic",
         "the weight layers' reads: cells, driven rows, read periphery (converters, shift-add, "
         "accumulation across tiles, neuron periphery)"},
        {"with_digital", "array dynamic + pooling and residual-add operations"},
        {"with_leakage", "with_digital + leakage power × latency per image"},
        {"latency",
         "weight layers in sequence, a layer's MVMs serialised over its copies; "
         "digital operations overlapped (not counted)"},
        {"ops", "2 per multiply-accumulate"}};
    j["activity"] =
        "assumed, not measured (no trained weights): each MVM drives input_density of "
        "its rows in each bit-plane, cells at (Gmin+Gmax)/2";
    j["not_modelled"] = e.not_modelled;
    j["warnings"] = e.warnings;
    return j;
}

}  // namespace synbench::sim
