#include "sim/graph_net.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace synbench::sim {

bool uses_graph(const nn::NetworkSpec& n) {
    // The old widths form, and a graph card the parser turned into widths (a chain of dense layers
    // with one activation), keep the MLP path.
    return n.layers.empty() && !n.graph.layers.empty();
}

std::vector<std::pair<std::size_t, std::size_t>> weight_shapes(const nn::NetworkSpec& n) {
    std::vector<std::pair<std::size_t, std::size_t>> s;
    if (uses_graph(n)) {
        for (const auto& L : n.graph.layers)
            if (L.has_weights()) s.emplace_back(L.weight_rows(), L.weight_cols());
    } else {
        for (std::size_t l = 0; l + 1 < n.layers.size(); ++l)
            s.emplace_back(static_cast<std::size_t>(n.layers[l]),
                           static_cast<std::size_t>(n.layers[l + 1]));
    }
    return s;
}

std::vector<std::size_t> weight_positions(const nn::NetworkSpec& n) {
    std::vector<std::size_t> p;
    if (uses_graph(n)) {
        for (const auto& L : n.graph.layers)
            if (L.has_weights()) p.push_back(L.positions());
    } else {
        p.assign(n.layers.size() > 1 ? n.layers.size() - 1 : 0, 1);
    }
    return p;
}

GraphPlan plan_of(const nn::LayerGraph& g, int activation_bits) {
    GraphPlan p;
    p.graph = g;
    p.activation_bits = activation_bits;
    int w = 0;
    for (std::size_t l = 0; l < g.layers.size(); ++l) {
        const auto& L = g.layers[l];
        auto fail = [&](const std::string& what) {
            return std::invalid_argument(
                fmt::format("layer {} ('{}', {}): {}", l + 1, L.name, nn::kind_name(L.kind), what));
        };
        if (L.kind == nn::LayerKind::batch_norm)
            throw fail(
                "batch_norm cannot be trained on the arrays (it has no trained statistics here; it "
                "is folded into the weights for inference estimates only)");
        if (L.input_ids.empty() && L.kind != nn::LayerKind::add)
            throw fail("the graph's shapes were not inferred (no input)");
        const nn::Act a = nn::act_of(L.activation);
        if (a == nn::Act::softmax && l + 1 != g.layers.size())
            throw fail("softmax is only allowed on the last layer (with the cross-entropy loss)");
        p.act.push_back(a);
        p.weight_index.push_back(L.has_weights() ? w++ : -1);
    }
    return p;
}

bool clipped_output(const ForwardConfig& cfg, const GraphPlan& p, std::size_t l) {
    return cfg.hardware && p.activation_bits > 1 && p.act[l] == nn::Act::relu &&
           l + 1 < p.graph.layers.size();
}

const std::vector<double>& input_values(const GraphActs& a, const nn::LayerSpec& L) {
    const int id = L.input_ids.empty() ? -1 : L.input_ids[0];
    return id < 0 ? a.input : a.out[static_cast<std::size_t>(id)];
}

namespace {

// The levels the arrays read for a weight layer's input, and their bit-planes and full scale.
void input_levels(const ForwardConfig& cfg, const GraphPlan& p, const GraphActs& a,
                  const nn::LayerSpec& L, const std::uint8_t* data, std::size_t data_n,
                  double data_max, std::vector<std::uint8_t>& lv, int& bits, double& max_level) {
    const int id = L.input_ids[0];
    if (id < 0) {
        lv.assign(data, data + data_n);
        bits = cfg.input_bits;
        max_level = data_max;
        return;
    }
    const auto& x = a.out[static_cast<std::size_t>(id)];
    lv.resize(x.size());
    bits = p.activation_bits;
    if (bits == 1) {
        max_level = 1;
        for (std::size_t i = 0; i < x.size(); ++i) lv[i] = x[i] >= cfg.hidden_threshold ? 1 : 0;
        return;
    }
    max_level = std::ldexp(1.0, bits) - 1;
    for (std::size_t i = 0; i < x.size(); ++i)
        lv[i] = static_cast<std::uint8_t>(std::lround(std::clamp(x[i], 0.0, 1.0) * max_level));
}

}  // namespace

void graph_forward(const ForwardConfig& cfg, const GraphPlan& p,
                   const std::vector<LayerView>& weights, const std::uint8_t* input_levels_data,
                   double input_max_level, GraphActs& a, ReadCounts* counts, std::uint64_t event) {
    const auto& g = p.graph;
    const std::size_t n0 = g.input.size();
    a.input.resize(n0);
    for (std::size_t i = 0; i < n0; ++i) a.input[i] = input_levels_data[i] / input_max_level;
    const std::size_t nl = g.layers.size();
    a.pre.resize(nl);
    a.out.resize(nl);
    a.levels.resize(nl);
    a.argmax.resize(nl);
    for (std::size_t l = 0; l < nl; ++l) {
        const auto& L = g.layers[l];
        auto& out = a.out[l];
        const std::size_t n = L.out.size();
        out.resize(n);
        switch (L.kind) {
            case nn::LayerKind::dense:
            case nn::LayerKind::conv2d: {
                const std::size_t w = static_cast<std::size_t>(p.weight_index[l]);
                const LayerView& V = weights[w];
                auto& pre = a.pre[l];
                pre.resize(n);
                if (!cfg.hardware) {
                    nn::weight_forward(L, input_values(a, L).data(), V.w->data(), pre.data());
                } else {
                    int bits = 1;
                    double maxlev = 1;
                    auto& lv = a.levels[l];
                    input_levels(cfg, p, a, L, input_levels_data, n0, input_max_level, lv, bits,
                                 maxlev);
                    const double gain = cfg.read_gain.empty() ? 1.0 : cfg.read_gain[w];
                    ReadCounts* rc = counts ? &counts[w] : nullptr;
                    a.hw_pre.resize(std::max(a.hw_pre.size(), V.n_out));
                    if (L.kind == nn::LayerKind::dense) {
                        hardware_layer(cfg, V, lv.data(), bits, maxlev, a.hw_pre, a.colsum, rc,
                                       event, gain);
                        std::copy(a.hw_pre.begin(),
                                  a.hw_pre.begin() + static_cast<std::ptrdiff_t>(n), pre.begin());
                    } else if (!V.noisy_reads()) {
                        // Without read noise all positions are read at once (the same results).
                        const std::size_t P = L.positions();
                        a.patches.resize(P * V.n_in);
                        for (int oy = 0; oy < L.out.height; ++oy)
                            for (int ox = 0; ox < L.out.width; ++ox)
                                nn::conv_patch(
                                    L, lv.data(), oy, ox,
                                    a.patches.data() +
                                        (static_cast<std::size_t>(oy) * L.out.width + ox) * V.n_in);
                        hardware_layer_positions(cfg, V, a.patches.data(), P, bits, maxlev,
                                                 pre.data(), a.positions, rc, gain,
                                                 a.parallel_positions);
                    } else {
                        const std::size_t P = L.positions(), cols = V.n_out;
                        a.patch.resize(V.n_in);
                        for (int oy = 0; oy < L.out.height; ++oy)
                            for (int ox = 0; ox < L.out.width; ++ox) {
                                const std::size_t pos =
                                    static_cast<std::size_t>(oy) * L.out.width + ox;
                                nn::conv_patch(L, lv.data(), oy, ox, a.patch.data());
                                hardware_layer(cfg, V, a.patch.data(), bits, maxlev, a.hw_pre,
                                               a.colsum, rc, event + (std::uint64_t{pos} << 40),
                                               gain);
                                for (std::size_t j = 0; j < cols; ++j)
                                    pre[j * P + pos] = a.hw_pre[j];
                            }
                    }
                    apply_weight_scale(cfg, w, pre.data(), n);
                }
                nn::activate(p.act[l], pre.data(), out.data(), n);
                if (clipped_output(cfg, p, l))
                    for (auto& v : out) v = std::min(v, 1.0);
                break;
            }
            case nn::LayerKind::max_pool:
            case nn::LayerKind::avg_pool: {
                auto& am = a.argmax[l];
                if (L.kind == nn::LayerKind::max_pool) am.resize(n);
                nn::pool_forward(L, input_values(a, L).data(), out.data(),
                                 L.kind == nn::LayerKind::max_pool ? am.data() : nullptr);
                break;
            }
            case nn::LayerKind::flatten: {
                const auto& x = input_values(a, L);
                std::copy(x.begin(), x.end(), out.begin());
                break;
            }
            case nn::LayerKind::activation: {
                auto& pre = a.pre[l];
                pre = input_values(a, L);
                nn::activate(p.act[l], pre.data(), out.data(), n);
                if (clipped_output(cfg, p, l))
                    for (auto& v : out) v = std::min(v, 1.0);
                break;
            }
            case nn::LayerKind::add: {
                const auto& x0 = input_values(a, L);
                const int id1 = L.input_ids.at(1);
                const auto& x1 = id1 < 0 ? a.input : a.out[static_cast<std::size_t>(id1)];
                nn::add_forward(x0.data(), x1.data(), out.data(), n);
                break;
            }
            case nn::LayerKind::batch_norm:
                throw std::logic_error("batch_norm in a trained graph (refused by plan_of)");
        }
    }
}

int graph_predicted(const GraphActs& a) {
    const auto& out = a.out.back();
    return static_cast<int>(std::max_element(out.begin(), out.end()) - out.begin());
}

}  // namespace synbench::sim
