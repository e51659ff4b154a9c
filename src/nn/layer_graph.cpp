#include "nn/layer_graph.hpp"

#include <fmt/format.h>

#include <unordered_map>

namespace synbench::nn {

const char* kind_name(LayerKind k) {
    switch (k) {
        case LayerKind::dense:
            return "dense";
        case LayerKind::conv2d:
            return "conv2d";
        case LayerKind::max_pool:
            return "max_pool";
        case LayerKind::avg_pool:
            return "avg_pool";
        case LayerKind::flatten:
            return "flatten";
        case LayerKind::activation:
            return "activation";
        case LayerKind::add:
            return "add";
        case LayerKind::batch_norm:
            return "batch_norm";
    }
    return "?";
}

std::size_t LayerSpec::weight_rows() const {
    if (kind == LayerKind::dense) return in.size();
    if (kind == LayerKind::conv2d)
        return static_cast<std::size_t>(kernel) * static_cast<std::size_t>(kernel) *
               static_cast<std::size_t>(in.channels);
    return 0;
}

std::size_t LayerSpec::weight_cols() const {
    if (kind == LayerKind::dense) return static_cast<std::size_t>(units);
    if (kind == LayerKind::conv2d) return static_cast<std::size_t>(channels);
    return 0;
}

std::size_t LayerSpec::positions() const {
    if (kind == LayerKind::conv2d)
        return static_cast<std::size_t>(out.height) * static_cast<std::size_t>(out.width);
    return has_weights() ? 1 : 0;
}

namespace {

std::string describe(const Shape& s) {
    return fmt::format("{}×{}×{}", s.height, s.width, s.channels);
}

// Output side of a window `k` with `stride` over `side` (+ 2·padding); 0 when it does not fit.
int window_out(int side, int k, int stride, int padding) {
    const int span = side + 2 * padding;
    return span < k ? 0 : (span - k) / stride + 1;
}

Shape shape_of(const LayerSpec& L, const std::vector<Shape>& ins, int index) {
    const Shape in = ins.front();
    const auto fail = [&](const std::string& why) {
        return ShapeError(index,
                          fmt::format("layer '{}' ({}): {}", L.name, kind_name(L.kind), why));
    };
    if (L.kind != LayerKind::add && ins.size() != 1)
        throw fail(fmt::format("reads one input, the card names {}", ins.size()));
    switch (L.kind) {
        case LayerKind::dense:
            if (L.units < 1) throw fail(fmt::format("units must be ≥ 1, got {}", L.units));
            return {1, 1, L.units};
        case LayerKind::conv2d: {
            if (L.channels < 1) throw fail(fmt::format("channels must be ≥ 1, got {}", L.channels));
            if (L.kernel < 1) throw fail(fmt::format("kernel must be ≥ 1, got {}", L.kernel));
            if (L.stride < 1) throw fail(fmt::format("stride must be ≥ 1, got {}", L.stride));
            if (L.padding < 0) throw fail(fmt::format("padding must be ≥ 0, got {}", L.padding));
            const int h = window_out(in.height, L.kernel, L.stride, L.padding);
            const int w = window_out(in.width, L.kernel, L.stride, L.padding);
            if (h < 1 || w < 1)
                throw fail(fmt::format("a {}×{} kernel does not fit its {} input with padding {}",
                                       L.kernel, L.kernel, describe(in), L.padding));
            return {h, w, L.channels};
        }
        case LayerKind::max_pool:
        case LayerKind::avg_pool: {
            if (L.kernel < 1) throw fail(fmt::format("kernel must be ≥ 1, got {}", L.kernel));
            if (L.stride < 1) throw fail(fmt::format("stride must be ≥ 1, got {}", L.stride));
            const int h = window_out(in.height, L.kernel, L.stride, 0);
            const int w = window_out(in.width, L.kernel, L.stride, 0);
            if (h < 1 || w < 1)
                throw fail(fmt::format("a {}×{} window does not fit its {} input", L.kernel,
                                       L.kernel, describe(in)));
            return {h, w, in.channels};
        }
        case LayerKind::flatten:
            return {1, 1, static_cast<int>(in.size())};
        case LayerKind::activation:
        case LayerKind::batch_norm:
            return in;
        case LayerKind::add:
            if (ins.size() != 2)
                throw fail(fmt::format("adds exactly two inputs, the card names {}", ins.size()));
            if (!(ins[0] == ins[1]))
                throw fail(fmt::format("adds outputs of different shapes: {} and {}",
                                       describe(ins[0]), describe(ins[1])));
            return in;
    }
    throw fail("unknown layer kind");
}

}  // namespace

void infer_shapes(LayerGraph& g) {
    if (g.input.size() == 0)
        throw ShapeError(-1, fmt::format("the input shape {} is empty", describe(g.input)));
    if (g.layers.empty()) throw ShapeError(-1, "the network has no layers");
    std::unordered_map<std::string, int> index{{"input", -1}};
    for (std::size_t i = 0; i < g.layers.size(); ++i) {
        auto& L = g.layers[i];
        const int at = static_cast<int>(i);
        if (L.name.empty() || index.count(L.name))
            throw ShapeError(at, fmt::format("layer {}: the name '{}' is {}", i + 1, L.name,
                                             L.name.empty() ? "empty" : "used twice"));
        L.input_ids.clear();
        if (L.inputs.empty()) {
            L.input_ids.push_back(at - 1);
        } else {
            for (const auto& n : L.inputs) {
                auto it = index.find(n);
                if (it == index.end())
                    throw ShapeError(at, fmt::format("layer '{}' reads '{}', which is not 'input' "
                                                     "or an earlier layer",
                                                     L.name, n));
                L.input_ids.push_back(it->second);
            }
        }
        std::vector<Shape> ins;
        for (int id : L.input_ids) ins.push_back(id < 0 ? g.input : g.layers[id].out);
        L.in = ins.front();
        L.out = shape_of(L, ins, at);
        index.emplace(L.name, at);
    }
    const auto& last = g.layers.back();
    if (g.classes > 0 && last.out.size() != static_cast<std::size_t>(g.classes))
        throw ShapeError(static_cast<int>(g.layers.size()) - 1,
                         fmt::format("the last layer '{}' gives {} outputs ({}), the data set has "
                                     "{} classes",
                                     last.name, last.out.size(), describe(last.out), g.classes));
}

LayerGraph graph_of_widths(const std::vector<int>& widths, const std::string& activation) {
    LayerGraph g;
    g.from_widths = true;
    if (widths.empty()) return g;
    g.input = {1, 1, widths.front()};
    g.classes = widths.back();
    for (std::size_t l = 1; l < widths.size(); ++l) {
        LayerSpec L;
        L.kind = LayerKind::dense;
        L.name = fmt::format("dense{}", l);
        L.units = widths[l];
        L.activation = activation;
        g.layers.push_back(L);
    }
    infer_shapes(g);
    return g;
}

}  // namespace synbench::nn
