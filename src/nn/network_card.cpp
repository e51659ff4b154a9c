#include "nn/network_card.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "nn/network_fields.hpp"

namespace synbench::nn {

using config::field;
using config::Limits;

namespace {

// The optimizers' parameters (fields of training:): the chosen optimizer's own are read; another
// optimizer's parameter is refused unless it holds its default (a run's config.yaml written before
// the optimizers declared their own parameters lists every one at its default).
void read_optimizer(config::Section& t, OptimizerSpec& o) {
    const config::VariantSpec* chosen = nullptr;
    for (const auto& v : optimizer_variants())
        if (v.name == o.name) chosen = &v;
    auto own = [&](const std::string& name) {
        for (const auto& [path, list] : chosen->fields)
            for (const auto& f : list)
                if (f.name == name) return true;
        return false;
    };
    std::vector<std::string> seen;
    for (const auto& v : optimizer_variants())
        for (const auto& [path, list] : v.fields)
            for (const auto& f : list) {
                if (std::find(seen.begin(), seen.end(), f.name) != seen.end()) continue;
                seen.push_back(f.name);
                double value = config::default_number(f);
                if (own(f.name)) {
                    value = t.read_number(f);
                } else if (t.has(f.name)) {
                    std::string owners;
                    for (const auto& w : optimizer_variants())
                        for (const auto& [p2, l2] : w.fields)
                            for (const auto& g : l2)
                                if (g.name == f.name)
                                    owners += (owners.empty() ? "" : ", ") + w.name;
                    if (t.read_number(f) != value)
                        throw t.error(f.name,
                                      fmt::format("'{}' is a parameter of optimizer {}, not of "
                                                  "this card's optimizer '{}': remove it (or "
                                                  "choose one of those optimizers)",
                                                  f.name, owners, o.name));
                }
                if (f.name == "momentum")
                    o.momentum = value;
                else if (f.name == "rho")
                    o.rho = value;
                else if (f.name == "beta1")
                    o.beta1 = value;
                else if (f.name == "beta2")
                    o.beta2 = value;
                else if (f.name == "epsilon")
                    o.epsilon = value;
            }
}

std::optional<LayerKind> kind_of(const std::string& type) {
    for (auto k :
         {LayerKind::dense, LayerKind::conv2d, LayerKind::max_pool, LayerKind::avg_pool,
          LayerKind::flatten, LayerKind::activation, LayerKind::add, LayerKind::batch_norm})
        if (type == kind_name(k)) return k;
    return std::nullopt;
}

const fields::LayerTypeDecl& type_decl(LayerKind k) {
    for (const auto& t : fields::layer_types())
        if (t.type == kind_name(k)) return t;
    throw std::logic_error(fmt::format("layer type '{}' is not declared", kind_name(k)));
}

// "a conv2d", "an add".
std::string a_layer(const std::string& type) {
    return (std::string("aeiou").find(type.front()) != std::string::npos ? "an " : "a ") + type;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out.empty() ? "none" : out;
}

// The graph form: `layers:` as a list of mappings (docs/networks.md). Reads each layer's fields
// through its declaration (nn/network_fields.cpp); refuses a field another layer type has. Shapes
// are inferred by the caller once the input shape is known.
LayerGraph read_layers(config::Section& s, const YAML::Node& list) {
    const auto& F = fields::layer();
    LayerGraph g;
    for (std::size_t i = 0; i < list.size(); ++i)
        if (!list[i].IsMap()) {
            const auto m = list[i].Mark();
            throw config::Error(
                s.file(), m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1,
                fmt::format("layers[{}]", i),
                fmt::format("layer {} of {}: expected a mapping such as {{type: dense, units: "
                            "10}} (the integer and the mapping forms of 'layers' cannot be mixed)",
                            i + 1, list.size()));
        }
    auto sections = s.section_list("layers");
    std::map<LayerKind, int> counts;
    std::unordered_map<std::string, std::size_t> names;  // layer name → index
    for (std::size_t i = 0; i < sections.size(); ++i) {
        auto& L = sections[i];
        const YAML::Node node = list[i];
        const std::string at = fmt::format("layer {} of {}", i + 1, sections.size());
        // Prefixes a field's error with the layer it belongs to.
        std::string who = at;
        const auto rethrow = [&](const config::Error& e) {
            // The column as the error wrote it ("FILE:LINE:COLUMN: ..."; config::Error keeps it
            // only in its text).
            int column = 0;
            const std::string what = e.what();
            const std::string loc = fmt::format("{}:{}:", e.file(), e.line());
            if (e.line() > 0 && what.rfind(loc, 0) == 0)
                for (std::size_t k = loc.size();
                     k < what.size() && std::isdigit(static_cast<unsigned char>(what[k])); ++k)
                    column = column * 10 + (what[k] - '0');
            return config::Error(e.file(), e.line(), column, e.field(),
                                 fmt::format("{}: {}", who, e.message()));
        };
        LayerSpec spec;
        spec.line = node.Mark().is_null() ? 0 : node.Mark().line + 1;
        try {
            if (!L.has("type"))
                throw L.error_here(fmt::format("missing required field 'type' (expected one of {})",
                                               join(field(F, "type").choices)));
            const auto type = L.raw("type");
            const std::string tname = type.IsScalar() ? type.Scalar() : std::string();
            auto kind = kind_of(tname);
            if (!kind) {
                std::string best;
                std::size_t best_d = 3;
                for (const auto& c : field(F, "type").choices)
                    if (auto d = config::edit_distance(tname, c); d < best_d) best_d = d, best = c;
                throw L.error(
                    "type",
                    fmt::format("unknown layer type '{}'{}: expected one of {}", tname,
                                best.empty() ? std::string() : " (did you mean '" + best + "'?)",
                                join(field(F, "type").choices)));
            }
            spec.kind = *kind;
            L.read_text(field(F, "type"));
            const auto& decl = type_decl(spec.kind);
            const int n = ++counts[spec.kind];
            spec.name = fmt::format("{}{}", decl.type, n);
            if (L.has("name")) spec.name = L.read_text(field(F, "name"));
            who = fmt::format("{} ('{}', {})", at, spec.name, decl.type);
            if (spec.name == "input" || spec.name.empty())
                throw L.error("name",
                              fmt::format("the name '{}' is {}: expected another name", spec.name,
                                          spec.name.empty() ? "empty" : "reserved for the data"));
            if (auto it = names.find(spec.name); it != names.end())
                throw L.error(L.has("name") ? "name" : "type",
                              fmt::format("the name '{}' is used twice (layer {} has it); "
                                          "expected a name of its own",
                                          spec.name, it->second + 1));
            names.emplace(spec.name, i);
            const auto own = [&](const std::string& f) {
                return std::find(decl.fields.begin(), decl.fields.end(), f) != decl.fields.end();
            };
            // A field of another layer type (units on a conv2d layer).
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (!it->first.IsScalar()) continue;
                const auto& k = it->first.Scalar();
                if (k == "type" || k == "name" || k == "inputs" || own(k) || it->second.IsNull())
                    continue;
                if (std::any_of(F.begin(), F.end(), [&](const auto& f) { return f.name == k; })) {
                    std::vector<std::string> others;
                    for (const auto& t : fields::layer_types())
                        if (std::find(t.fields.begin(), t.fields.end(), k) != t.fields.end())
                            others.push_back(t.type);
                    throw L.error(
                        k, fmt::format("'{}' is a field of {} layers, not of {} layer "
                                       "(its fields: {})",
                                       k, join(others), a_layer(decl.type), join(decl.fields)));
                }
            }
            for (const auto& need : decl.needs) {
                if (L.has(need)) continue;
                std::string hint;
                for (auto it = node.begin(); it != node.end(); ++it)
                    if (it->first.IsScalar() &&
                        config::edit_distance(it->first.Scalar(), need) <= 2)
                        hint = fmt::format(" (is '{}' a misspelling of it?)", it->first.Scalar());
                throw L.error_here(fmt::format("missing required field '{}' of {} layer{}", need,
                                               a_layer(decl.type), hint));
            }
            if (L.has("inputs")) {
                const auto in = L.raw("inputs");
                const auto bad = [&] {
                    return L.error("inputs",
                                   "expected a layer name or a list of layer names ('input' = "
                                   "the data)");
                };
                if (in.IsScalar()) {
                    spec.inputs.push_back(in.Scalar());
                } else if (in.IsSequence() && in.size() > 0) {
                    for (const auto& x : in) {
                        if (!x.IsScalar()) throw bad();
                        spec.inputs.push_back(x.Scalar());
                    }
                } else {
                    throw bad();
                }
            }
            if (own("units")) spec.units = static_cast<int>(L.read_integer(field(F, "units")));
            if (own("channels"))
                spec.channels = static_cast<int>(L.read_integer(field(F, "channels")));
            if (own("kernel")) spec.kernel = static_cast<int>(L.read_integer(field(F, "kernel")));
            if (own("stride")) {
                auto st = L.maybe_integer("stride", field(F, "stride").limits);
                spec.stride = st                               ? static_cast<int>(*st)
                              : spec.kind == LayerKind::conv2d ? 1
                                                               : spec.kernel;
                L.record("stride", YAML::Node(spec.stride));
            }
            if (own("padding"))
                spec.padding = static_cast<int>(L.read_integer(field(F, "padding")));
            if (own("activation")) spec.activation = L.read_text(field(F, "activation"));
            L.finish();
        } catch (const config::Error& e) {
            throw rethrow(e);
        }
        g.layers.push_back(spec);
    }
    if (g.layers.empty())
        throw s.error("layers", "expected at least one layer, e.g. [{type: dense, units: 10}]");
    if (std::none_of(g.layers.begin(), g.layers.end(),
                     [](const LayerSpec& l) { return l.has_weights(); }))
        throw s.error("layers",
                      "the network has no weight layer: expected at least one dense or conv2d "
                      "layer");
    return g;
}

}  // namespace

std::optional<std::vector<int>> dense_chain_widths(const LayerGraph& g) {
    if (g.layers.empty()) return std::nullopt;
    std::vector<int> w{static_cast<int>(g.input.size())};
    const auto& act = g.layers.front().activation;
    if (act != "sigmoid" && act != "tanh" && act != "relu") return std::nullopt;
    for (std::size_t i = 0; i < g.layers.size(); ++i) {
        const auto& L = g.layers[i];
        if (L.kind != LayerKind::dense || L.activation != act) return std::nullopt;
        const int prev = static_cast<int>(i) - 1;
        if (!(L.input_ids.size() == 1 && L.input_ids[0] == prev)) return std::nullopt;
        w.push_back(L.units);
    }
    return w;
}

NetworkSpec parse_network(config::Section& s) {
    // Every field is read through its declaration (nn/network_fields.hpp); the checks across
    // fields stay here.
    const auto& top = fields::network();
    NetworkSpec n;
    n.file = s.file();
    n.name = s.read_text(field(top, "name"));
    s.read_text(field(top, "description"));
    const YAML::Node list = s.raw("layers");
    const bool graph_form =
        list.IsSequence() &&
        std::any_of(list.begin(), list.end(), [](const YAML::Node& x) { return x.IsMap(); });
    const bool marked = list.IsDefined() && !list.Mark().is_null();
    const int layers_line = marked ? list.Mark().line + 1 : 0;
    // Where layer i starts (its mapping in the graph form, the list in the integer form).
    const auto column_of = [&](int i) {
        if (graph_form && i >= 0 && static_cast<std::size_t>(i) < list.size() &&
            !list[i].Mark().is_null())
            return list[i].Mark().column + 1;
        return marked ? list.Mark().column + 1 : 0;
    };
    if (graph_form) {
        n.graph = read_layers(s, list);
        if (s.has("activation"))
            throw s.error("activation",
                          "a top-level 'activation' belongs to the integer form of 'layers'; in "
                          "the graph form give each layer its own 'activation' (e.g. {type: "
                          "dense, units: 100, activation: sigmoid})");
    } else {
        auto layers = s.read_integers(field(top, "layers"));
        if (layers.size() < 2)
            throw s.error("layers",
                          "expected at least an input and an output layer, e.g. [400, 100, 10]");
        for (auto l : layers) n.layers.push_back(static_cast<int>(l));
        n.activation = s.read_text(field(top, "activation"));
    }
    {
        const auto& F = fields::dataset();
        auto d = s.section("dataset");
        n.dataset = d.read_text(field(F, "name"));
        const auto& info = dataset_info(n.dataset);
        // The crop's upper bound is the data set's image side.
        const auto& crop = field(F, "crop");
        n.preprocess.crop = static_cast<int>(d.integer(
            crop.name, Limits::between(0, std::min(info.rows, info.cols)), std::stoll(*crop.def)));
        auto thr = d.maybe_read_number(field(F, "binarize"));
        auto bits = d.maybe_read_number(field(F, "input_bits"));
        if (thr && bits)
            throw d.error(
                "input_bits",
                "give either 'binarize' (a threshold) or 'input_bits' (grey levels), not both");
        if (!thr && !bits)
            throw d.error_here("expected 'binarize: <threshold>' or 'input_bits: <bits>'");
        n.preprocess.binarize = thr.has_value();
        n.preprocess.threshold = thr.value_or(0.5);
        n.preprocess.input_bits = bits ? static_cast<int>(*bits) : 1;
        d.finish();
        // The data set's image shape and class count (data/<name>.yaml) against the card.
        const int rows = n.preprocess.crop == 0 ? info.rows : n.preprocess.crop;
        const int cols = n.preprocess.crop == 0 ? info.cols : n.preprocess.crop;
        const int inputs = rows * cols * info.channels;
        if (!graph_form) {
            if (n.layers.front() != inputs)
                throw s.error(
                    "layers",
                    fmt::format(
                        "the first layer has {} inputs but the dataset gives "
                        "{}×{}{} = {}{}",
                        n.layers.front(), rows, cols,
                        info.channels == 1 ? std::string() : fmt::format("×{}", info.channels),
                        inputs,
                        n.dataset == "mnist" ? std::string()
                                             : fmt::format(" ({} images)", info.title)));
            if (n.layers.back() != info.classes)
                throw s.error("layers", fmt::format("{} has {} classes, the last layer has {}",
                                                    info.title, info.classes, n.layers.back()));
        }
        try {
            if (!graph_form) {
                n.graph = graph_of_widths(n.layers, n.activation);
                for (auto& L : n.graph.layers) L.line = layers_line;
            }
            n.graph.input = {rows, cols, info.channels};
            n.graph.classes = info.classes;
            infer_shapes(n.graph);
        } catch (const ShapeError& e) {
            const int i = e.layer;
            const bool reads_data =
                i >= 0 && static_cast<std::size_t>(i) < n.graph.layers.size() &&
                std::find(n.graph.layers[i].input_ids.begin(), n.graph.layers[i].input_ids.end(),
                          -1) != n.graph.layers[i].input_ids.end();
            const bool last = i + 1 == static_cast<int>(n.graph.layers.size());
            std::string where;
            if (reads_data || i == 0)
                where = fmt::format(" (the input is {}'s image after dataset.crop: {}×{}×{})",
                                    info.title, rows, cols, info.channels);
            const int line = i >= 0 && static_cast<std::size_t>(i) < n.graph.layers.size()
                                 ? n.graph.layers[i].line
                                 : layers_line;
            throw config::Error(
                s.file(), line, line > 0 ? column_of(i) : 0,
                i >= 0 ? fmt::format("layers[{}]", i) : "layers",
                fmt::format("layer {} of {}: {}{}{}", i + 1, n.graph.layers.size(), e.what(), where,
                            last && !reads_data ? fmt::format(" (data/{}.yaml: {} classes)",
                                                              n.dataset, info.classes)
                                                : std::string()));
        }
        for (std::size_t i = 0; i + 1 < n.graph.layers.size(); ++i)
            if (n.graph.layers[i].activation == "softmax")
                throw config::Error(
                    s.file(), n.graph.layers[i].line, column_of(static_cast<int>(i)),
                    fmt::format("layers[{}]", i),
                    fmt::format("layer {} of {} ('{}', {}): softmax is allowed on the last layer "
                                "only (it turns the outputs into class probabilities for the "
                                "cross-entropy loss); expected none, sigmoid, tanh or relu here",
                                i + 1, n.graph.layers.size(), n.graph.layers[i].name,
                                kind_name(n.graph.layers[i].kind)));
        if (graph_form) {
            // A dense chain the MLP trainer runs as the old form would.
            if (auto w = dense_chain_widths(n.graph)) {
                n.layers = *w;
                n.activation = n.graph.layers.front().activation;
            }
        }
    }
    {
        const auto& F = fields::training();
        auto t = s.section("training");
        auto& tr = n.training;
        tr.epochs = static_cast<int>(t.read_integer(field(F, "epochs")));
        tr.images_per_epoch = static_cast<int>(t.read_integer(field(F, "images_per_epoch")));
        tr.sampling = t.read_text(field(F, "sampling"));
        tr.batch_size = static_cast<int>(t.read_integer(field(F, "batch_size")));
        tr.test_images = static_cast<int>(t.read_integer(field(F, "test_images")));
        tr.initial_weights = t.read_text(field(F, "initial_weights"));
        auto& o = tr.optimizer;
        o.name = t.read_text(field(F, "optimizer"));
        o.learning_rate = t.read_numbers(field(F, "learning_rate"));
        std::vector<std::string> weight_layers;
        for (const auto& L : n.graph.layers)
            if (L.has_weights()) weight_layers.push_back(L.name);
        if (o.learning_rate.size() == 1)
            o.learning_rate.resize(weight_layers.size(), o.learning_rate[0]);
        if (o.learning_rate.size() != weight_layers.size())
            throw t.error(
                "learning_rate",
                n.graph.from_widths
                    ? fmt::format("expected one learning rate per weight layer ({}), got {}",
                                  weight_layers.size(), o.learning_rate.size())
                    : fmt::format("expected one learning rate per weight layer ({}: {}) or one "
                                  "for all, got {}",
                                  weight_layers.size(), join(weight_layers),
                                  o.learning_rate.size()));
        read_optimizer(t, o);
        t.finish();
    }
    return n;
}

}  // namespace synbench::nn

namespace synbench::nn {

void check_data_fits(const NetworkSpec& n, const Splits& data) {
    if (data.name != n.dataset)
        throw DataError(fmt::format(
            "network card '{}': field 'dataset.name' is '{}' but the data loaded is '{}'", n.name,
            n.dataset, data.name));
    const auto asked = static_cast<std::size_t>(n.training.test_images);
    if (asked > data.test.size())
        throw DataError(fmt::format(
            "network card '{}': field 'training.test_images': {} test images asked for, the {} "
            "test set has {}: "
            "expected at most {} (or 0 for the whole test set)",
            n.name, asked, dataset_info(n.dataset).title, data.test.size(), data.test.size()));
}

}  // namespace synbench::nn
