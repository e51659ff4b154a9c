#include "sim/experiment.hpp"
#include "sim/graph_net.hpp"
#include "sim/costs.hpp"
#include "sim/layer_mapping.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "circuit/macro.hpp"
#include "circuit/macro_card.hpp"
#include "circuit/macro_tiling.hpp"
#include "circuit/subarray.hpp"
#include "tech/wire.hpp"
#include "util/card_search.hpp"
#include "util/files.hpp"

namespace synbench::sim {

namespace {

using config::Document;

// "device card (model:, conductance:)" — what a card of this kind is recognised by.
std::string kind_description(const std::string& kind) {
    if (kind == "tech") return "a tech card (node:, flavours:)";
    if (kind == "device") return "a device card (model:, conductance:)";
    if (kind == "network") return "a network card (layers:)";
    if (kind == "experiment") return "an experiment file (tech:, device:, network:)";
    return "not a recognised card";
}

// The error for a card of the wrong kind, or nothing.
std::optional<std::string> kind_mismatch(const YAML::Node& root, const std::string& expected) {
    const auto kind = card_kind(root);
    if (kind == expected || kind.empty())
        return std::nullopt;  // unrecognised: its parser names what is missing
    return fmt::format("is {}, expected {}", kind_description(kind), kind_description(expected));
}

// The card lookup finds regular files only. When `ref` (or `ref` next to `base_dir`) exists but is
// not one — a directory, a FIFO, a device — the loader's message says what it is (without reading
// it); nothing when no such path exists.
std::optional<config::Error> not_a_card_file(const std::string& ref,
                                             const std::optional<std::filesystem::path>& base_dir) {
    std::vector<std::filesystem::path> candidates{ref};
    if (base_dir && std::filesystem::path(ref).is_relative()) candidates.push_back(*base_dir / ref);
    for (const auto& p : candidates) {
        std::error_code ec;
        if (!std::filesystem::exists(p, ec)) continue;
        try {
            config::read_card_file(p);
        } catch (const config::Error& e) {
            return e;
        }
    }
    return std::nullopt;
}

// A card given as a path (relative to the working directory, else to the experiment file), as a
// name found through the card search path (util/card_search.hpp), or inline.
Document card_document(const YAML::Node& node, const Document& exp, const std::string& key,
                       std::vector<std::pair<std::string, std::string>>& hashes) {
    if (node.IsMap()) {
        Document d;
        d.file = exp.file;
        d.root = node;
        d.origins = std::make_shared<std::map<std::string, std::string>>();
        return d;
    }
    if (!node.IsScalar())
        throw config::Error(*exp.file, node.Mark().line + 1, node.Mark().column + 1, key,
                            "expected a card file path or an inline mapping");
    const auto field_error = [&](const std::string& message) {
        return config::Error(*exp.file, node.Mark().line + 1, node.Mark().column + 1, key,
                             fmt::format("card file '{}' {}", node.Scalar(), message));
    };
    const auto kind = key == "tech"     ? util::CardKind::tech
                      : key == "device" ? util::CardKind::device
                                        : util::CardKind::network;
    const auto base = std::filesystem::path(*exp.file).parent_path();
    auto lookup = util::find_card(kind, node.Scalar(), base);
    if (!lookup.found) {
        // A path that cannot be a card (a directory, a FIFO) is this field's error, said as what it
        // is.
        if (auto e = not_a_card_file(node.Scalar(), base)) throw field_error(e->message());
        throw config::Error(*exp.file, node.Mark().line + 1, node.Mark().column + 1, key,
                            fmt::format("card file '{}' does not exist, nor is it a card name ({})",
                                        node.Scalar(), util::looked_for(lookup)));
    }
    const std::filesystem::path p = *lookup.found;
    // An error inside the card names the card's own file and line.
    std::string text;
    try {
        text = config::read_card_file(p);
    } catch (const config::Error& e) {
        throw field_error(e.message());
    }
    auto d = config::load_string(text, p.string());
    if (auto bad = kind_mismatch(d.root, key)) throw field_error(*bad);
    hashes.emplace_back(p.string(), util::sha256_hex(text));
    return d;
}

// A card named on the command line: a path, or a name found through the card search path.
// `option` is --tech, --device or --network, or "experiment" for the experiment file.
Document file_document(util::CardKind kind, const char* option, const std::filesystem::path& ref,
                       std::vector<std::pair<std::string, std::string>>& hashes) {
    auto lookup = util::find_card(kind, ref.string());
    if (!lookup.found) {
        if (auto e = not_a_card_file(ref.string(), std::nullopt)) throw *e;
        throw config::Error(
            ref.string(), 0, 0, "",
            fmt::format("cannot be read (missing or not readable), nor is it a {} card name ({})",
                        option, util::looked_for(lookup)));
    }
    const std::filesystem::path p = *lookup.found;
    auto text = config::read_card_file(p);
    auto d = config::load_string(text, p.string());
    const std::string opt = option;
    if (opt == "experiment") {
        // An experiment file, a run's config.yaml or a network card with the other cards given by
        // option.
        const auto k = card_kind(d.root);
        if (k == "tech" || k == "device")
            throw config::Error(p.string(), 0, 0, "",
                                fmt::format("is {}, expected an experiment file (tech:, device:, "
                                            "network:); pass it as --{}",
                                            kind_description(k), k));
    } else if (auto bad = kind_mismatch(d.root, opt.substr(2))) {
        throw config::Error(p.string(), 0, 0, "", fmt::format("given as {}: it {}", opt, *bad));
    }
    hashes.emplace_back(p.string(), util::sha256_hex(text));
    return d;
}

// The first cost of the table that is not a finite non-negative number, named; nothing when all
// are.
std::optional<std::string> bad_cost(const circuit::CostTable& t) {
    std::optional<std::string> out;
    auto test = [&](double v, const std::string& what) {
        if (!out && !(std::isfinite(v) && v >= 0)) out = fmt::format("{} = {}", what, v);
    };
    test(t.total.area_m2, "total area (m^2)");
    test(t.total.leakage_W, "total leakage (W)");
    for (std::size_t l = 0; l < t.layers.size(); ++l) {
        const auto& c = t.layers[l];
        for (const auto& [name, v] : circuit::named_costs(c))
            test(v, fmt::format("layer {} {}", l + 1, name));
    }
    return out;
}

// The checks that building the circuit and setting up the trainer would make, made at load time
// (so that `validate` makes them, and a card set that passes it never fails later on a card
// error): the circuit macro of this tech, device and network must build, with finite,
// non-negative costs; with IR drop, the wires must leave every cell current positive.
void check_combination(const Experiment& ex, const config::Section& h) {
    // A graph card the MLP path cannot run: its weight layers mapped onto arrays as `estimate`
    // maps them (sim/layer_mapping.hpp); a graph the trainer cannot run (batch_norm) is refused
    // by require_trainable and has no training cost table.
    if (uses_graph(ex.network)) {
        if (!ex.hardware.enabled) return;
        try {
            (void)estimate_graph(ex.tech, ex.device, ex.network.graph, ex.hardware);
        } catch (const std::invalid_argument& e) {
            throw h.error_here(fmt::format(
                "the circuit model cannot be built for tech '{}', device '{}' and this network: "
                "{}",
                ex.tech.name, ex.device.name, e.what()));
        }
        for (const auto& L : ex.network.graph.layers)
            if (L.kind == nn::LayerKind::batch_norm) return;
    }
    circuit::CostTable table;
    try {
        table = hardware_cost_table(ex);  // the macro and its training periphery
    } catch (const std::invalid_argument& e) {
        // The circuit names a hardware field as "hardware.KEY: ..." when the error is that field's.
        std::string msg = e.what();
        const std::string prefix = "hardware.";
        if (msg.rfind(prefix, 0) == 0) {
            auto colon = msg.find(": ");
            if (colon != std::string::npos)
                throw h.error(msg.substr(prefix.size(), colon - prefix.size()),
                              msg.substr(colon + 2));
        }
        throw h.error_here(fmt::format(
            "the circuit model cannot be built for tech '{}', device '{}' and this network: {}",
            ex.tech.name, ex.device.name, msg));
    }
    if (auto bad = bad_cost(table))
        throw h.error_here(
            fmt::format("the circuit model gives {} for tech '{}', device '{}' and this network; "
                        "expected finite, "
                        "non-negative costs (a card value is outside what the model covers)",
                        *bad, ex.tech.name, ex.device.name));
    // The exact solve stays physical at any drop (its failures name their fields, ir_drop.cpp);
    // the first-order model subtracts the drops from each cell's voltage and can go negative.
    if (!ex.hardware.enabled || ex.hardware.ir_drop != circuit::IrDrop::first_order) return;
    const auto geos = ir_geometry(ex);
    for (std::size_t l = 0; l < geos.size(); ++l) {
        // Worst case: every row driven, every cell at G_max. The first-order model subtracts the
        // wires' drops from each cell's voltage; a drop reaching the read voltage would give zero
        // or negative currents (and energies): the array could not be read at all.
        const auto rows =
            static_cast<std::size_t>(std::min(ex.network.layers[l], ex.hardware.max_rows));
        const auto cols =
            static_cast<std::size_t>(std::min(ex.network.layers[l + 1], ex.hardware.max_cols));
        std::vector<double> g(rows * cols, ex.device.g_max), out(cols);
        std::vector<std::uint8_t> driven(rows, 1);
        IrScratch scratch;
        ir_first_order(geos[l], g.data(), rows, cols, driven.data(), out.data(), scratch);
        const double gs = geos[l].r_access > 0
                              ? ex.device.g_max / (1 + ex.device.g_max * geos[l].r_access)
                              : ex.device.g_max;
        const double ideal = static_cast<double>(rows) * gs;
        double worst = 1;
        for (double o : out) worst = std::min(worst, o / ideal);
        if (!(worst > 0))
            throw h.error(
                "ir_drop_wire_scale",
                fmt::format("with ir_drop_wire_scale = {:g} the wires of layer {} ({}×{} cells at "
                            "G_max) drop {:.3g} times the read "
                            "voltage, and the first-order model's cell currents (and read "
                            "energies) turn negative; expected "
                            "a wire resistance that leaves them positive (a drop below 1×), or "
                            "ir_drop: exact",
                            ex.hardware.ir_drop_wire_scale, l + 1, rows, cols, 1 - worst));
    }
}

}  // namespace

std::string card_kind(const YAML::Node& root) {
    if (!root.IsMap()) return "";
    if (root["tech"] || root["device"] || root["network"]) return "experiment";
    if (root["layers"]) return "network";
    if (root["conductance"] || root["model"]) return "device";
    if (root["node"] || root["flavours"]) return "tech";
    return "";
}

std::vector<IrGeometry> ir_geometry(const Experiment& ex) {
    const auto& hw = ex.hardware;
    std::vector<IrGeometry> out;
    // Wire resistance per cell pitch from the circuit model's geometry of the layer's tile.
    const double rw =
        tech::array_wire_resistance_per_m(ex.tech, hw.array_wire_width) * hw.ir_drop_wire_scale;
    for (std::size_t l = 0; l + 1 < ex.network.layers.size(); ++l) {
        circuit::SubarraySpec spec{std::min(ex.network.layers[l], hw.max_rows),
                                   std::min(ex.network.layers[l + 1], hw.max_cols)};
        const auto f = circuit::evaluate_subarray(ex.tech, ex.device, spec, hw).facts;
        out.push_back(IrGeometry{f.cell_width * rw, f.cell_height * rw, f.access_resistance,
                                 ex.device.cell == device::CellType::crossbar});
    }
    return out;
}

namespace {

// The three card documents of an experiment (tech, device, network) and the experiment file.
struct Cards {
    std::optional<Document> exp, tech, dev, net;
    YAML::Node seed;  // the experiment's `seed:`, if any
};

// The cards the experiment file names; a command-line card replaces the named one.
Cards gather_cards(const ExperimentInputs& in,
                   std::vector<std::pair<std::string, std::string>>& hashes) {
    Cards c;
    if (in.experiment) {
        c.exp = file_document(util::CardKind::network, "experiment", *in.experiment, hashes);
        auto& root = c.exp->root;
        if (root["tech"]) c.tech = card_document(root["tech"], *c.exp, "tech", hashes);
        if (root["device"]) c.dev = card_document(root["device"], *c.exp, "device", hashes);
        if (root["network"]) {
            if (!root["network"].IsScalar())
                throw config::Error(*c.exp->file, root["network"].Mark().line + 1, 0, "network",
                                    "expected a network card path");
            c.net = card_document(root["network"], *c.exp, "network", hashes);
        }
        if (root["seed"]) c.seed = root["seed"];
    }
    if (in.tech) c.tech = file_document(util::CardKind::tech, "--tech", *in.tech, hashes);
    if (in.device) c.dev = file_document(util::CardKind::device, "--device", *in.device, hashes);
    if (in.network)
        c.net = file_document(util::CardKind::network, "--network", *in.network, hashes);
    return c;
}

// Every card present; the network is the named card with the experiment's own network fields
// merged over it, or the experiment itself when it carries the network fields (a run's
// config.yaml).
void complete_cards(Cards& c) {
    if (!c.tech)
        throw config::Error(
            "command line", 0, 0, "tech",
            "no technology card: pass --tech FILE or name 'tech:' in the experiment");
    if (!c.dev)
        throw config::Error(
            "command line", 0, 0, "device",
            "no device card: pass --device FILE or name 'device:' in the experiment");
    if (c.exp) {
        YAML::Node rest(YAML::NodeType::Map);
        for (auto it = c.exp->root.begin(); it != c.exp->root.end(); ++it) {
            auto k = it->first.Scalar();
            if (k != "tech" && k != "device" && k != "network" && k != "seed") rest[k] = it->second;
        }
        if (!c.net)
            c.net =
                Document{c.exp->file, rest, std::make_shared<std::map<std::string, std::string>>()};
        else
            config::merge_over(*c.net, rest, *c.exp->file);
    }
    if (!c.net)
        throw config::Error(
            "command line", 0, 0, "network",
            "no network card: pass --network FILE or name 'network:' in the experiment");
}

// `--set key=value` onto the card it addresses; `--set seed=` onto the seed.
void apply_sets(const ExperimentInputs& in, Cards& c) {
    for (const auto& [k, v] : in.sets) {
        if (k == "seed")
            c.seed = YAML::Node(v);
        else if (k == "tech.node")
            // A card's transistors, wires and layout rules are facts of its node: a new node with
            // the old transistors would be a hybrid labelled with the old name. Refused, not
            // re-derived.
            throw config::Error("--set", 0, 0, "tech.node",
                                fmt::format("'{}': the node of a technology card cannot be "
                                            "overridden (its transistor, wire and layout "
                                            "data belong to its own node); pass the card of that "
                                            "node instead, e.g. --tech tech/<node>.yaml",
                                            v));
        else if (k.rfind("tech.", 0) == 0)
            config::apply_override(*c.tech, k.substr(5), v);
        else if (k.rfind("device.", 0) == 0)
            config::apply_override(*c.dev, k.substr(7), v);
        else
            config::apply_override(*c.net, k, v);
    }
    if (in.seed) c.seed = YAML::Node(std::to_string(*in.seed));
}

// The seed given, as a non-negative integer.
std::optional<std::uint64_t> parse_seed(const Cards& c) {
    const YAML::Node& node = c.seed;
    if (!node.IsDefined() || node.IsNull()) return std::nullopt;
    std::string s = node.IsScalar() ? node.Scalar() : "";
    std::size_t used = 0;
    unsigned long long v = 0;
    try {
        v = std::stoull(s, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != s.size() || s.front() == '-')
        throw config::Error(c.exp ? *c.exp->file : "--seed", 0, 0, "seed",
                            fmt::format("expected a non-negative integer, got '{}'", s));
    return v;
}

// hardware.macro (docs/macro-cards.md "Networks on macros"): the macro card, found like every card
// reference (next to the network card, then the card search roots), checked against the
// experiment — the same tech and device cards (the macro is then built of the experiment's, so
// --set overrides reach it), a weight the trainer holds, the dataset's input bits — and its read
// fields put in the hardware options.
void attach_macro(Experiment& ex, const config::Section& h, int dataset_bits) {
    const auto& ref = ex.hardware.macro_ref;
    const auto base = std::filesystem::path(h.file()).parent_path();
    auto lookup = util::find_card(util::CardKind::macro, ref, base);
    if (!lookup.found)
        throw h.error("macro", fmt::format("macro card '{}' does not exist, nor is it a card name "
                                           "({})",
                                           ref, util::looked_for(lookup)));
    const auto file = lookup.found->string();
    circuit::MacroCard m = circuit::load_macro_card(*lookup.found);  // its errors name its file
    auto bad = [&](const std::string& msg) {
        return h.error("macro", fmt::format("macro card '{}': {}", file, msg));
    };
    if (m.tech.name != ex.tech.name || m.tech.flavour != ex.tech.flavour)
        throw bad(
            fmt::format("its tech is '{}' ({}), the experiment's '{}' ({}); expected the "
                        "same tech card (tech: {} in the experiment, or another macro card)",
                        m.tech.name, m.tech.flavour, ex.tech.name, ex.tech.flavour, m.tech_path));
    if (m.device.name != ex.device.name)
        throw bad(
            fmt::format("its device is '{}', the experiment's '{}'; expected the same device "
                        "card (the trainer programs the experiment's cells)",
                        m.device.name, ex.device.name));
    using circuit::WeightScheme;
    const bool pair = (m.scheme == WeightScheme::differential_columns && m.weight_cells == 2) ||
                      m.scheme == WeightScheme::differential_in_column;
    if (!pair && m.scheme != WeightScheme::offset_column)
        throw bad(fmt::format(
            "weight.scheme {} with {} cell(s): the trainer holds one analog cell "
            "or a pair per weight; expected offset_column, differential_columns "
            "with 2 cells, or differential_in_column",
            circuit::weight_scheme_names().at(static_cast<std::size_t>(m.scheme)), m.weight_cells));
    if (dataset_bits > m.input_bits)
        throw bad(
            fmt::format("the dataset gives {} input bit-planes, more than the macro's "
                        "input.bits = {}; expected at most {} (dataset.input_bits or "
                        "dataset.binarize)",
                        dataset_bits, m.input_bits, m.input_bits));
    if (m.encoding != circuit::InputEncoding::bit_serial && dataset_bits > 1)
        throw bad(fmt::format(
            "input.encoding {} is costed per input for 1-bit inputs only (the trainer counts "
            "bit-planes), but the dataset gives {}; expected dataset.binarize or a bit_serial "
            "macro",
            circuit::input_encoding_names().at(static_cast<std::size_t>(m.encoding)),
            dataset_bits));
    if (ex.hardware.ir_drop != circuit::IrDrop::none)
        throw h.error("ir_drop",
                      "IR drop is modelled for the subarray model, not on a macro card's "
                      "macros (hardware.macro); expected none");
    m.tech = ex.tech;
    m.device = ex.device;
    ex.hardware = circuit::macro_hardware_options(
        ex.hardware, std::make_shared<const circuit::MacroCard>(std::move(m)));
}

// The network card's fields, its hardware section and the resolved configuration.
void parse_network_card(Experiment& ex, Document& net) {
    config::Section s(net);
    ex.network = nn::parse_network(s);
    auto h = s.section("hardware");
    const auto& pp = ex.network.preprocess;
    const int dataset_bits = pp.binarize ? 1 : pp.input_bits;
    ex.hardware =
        circuit::parse_hardware(h, dataset_bits,
                                pp.binarize ? std::string("dataset.binarize: 1-bit inputs")
                                            : fmt::format("dataset.input_bits: {}", pp.input_bits));
    if (ex.hardware.ir_drop != circuit::IrDrop::none &&
        (ex.device.model == "digital" || ex.device.cell == device::CellType::digital_sram))
        throw h.error("ir_drop",
                      "digital cells are read exactly (no analog column current): IR drop "
                      "applies to analog arrays; use none");
    if (!ex.hardware.macro_ref.empty()) attach_macro(ex, h, dataset_bits);
    s.finish();
    check_combination(ex, h);
    ex.resolved = YAML::Node(YAML::NodeType::Map);
    ex.resolved["seed"] = ex.seed;
    ex.resolved["tech"] = ex.tech.resolved;
    ex.resolved["device"] = ex.device.resolved;
    for (auto it : s.resolved()) ex.resolved[it.first.Scalar()] = it.second;
    if (ex.hardware.macro) {
        // The read fields are the macro card's: the resolved block names the card, not the
        // block's unused defaults (a run's config.yaml loads again).
        auto hw = ex.resolved["hardware"];
        for (const char* key : {"input", "converter", "weight", "input_bits", "adc_bits",
                                "read_circuit", "read_mux", "clock", "signed_weights", "max_array"})
            if (hw.IsMap() && hw[key]) hw.remove(key);
    }
}

}  // namespace

void require_trainable(const Experiment& ex, const std::string& command) {
    const auto& n = ex.network;
    if (!uses_graph(n)) return;
    const auto& ls = n.graph.layers;
    for (std::size_t l = 0; l < ls.size(); ++l) {
        const auto& L = ls[l];
        std::string why;
        if (L.kind == nn::LayerKind::batch_norm)
            why =
                "batch_norm cannot be trained on the arrays (no trained statistics; it is folded "
                "into the weights of inference estimates only)";
        else if (L.activation == "softmax" && l + 1 != ls.size())
            why = "softmax is only allowed on the last layer (with the cross-entropy loss)";
        if (why.empty()) continue;
        throw config::Error(
            n.file, L.line, 0, fmt::format("layers[{}]", l),
            fmt::format("layer {} of {} ('{}', {}): {}; synbench {} trains layer "
                        "graphs of dense, conv2d, pools, flatten, activation and "
                        "add layers",
                        l + 1, ls.size(), L.name, nn::kind_name(L.kind), why, command));
    }
    if (ex.hardware.enabled && ex.hardware.ir_drop != circuit::IrDrop::none)
        throw config::Error(n.file, 0, 0, "hardware.ir_drop",
                            "IR drop is modelled for dense (MLP) networks only; expected ir_drop: "
                            "none for a layer-graph network (synbench " +
                                command + ")");
}

Experiment load_experiment(const ExperimentInputs& in) {
    Experiment ex;
    Cards c = gather_cards(in, ex.input_sha256);
    complete_cards(c);
    apply_sets(in, c);
    if (auto seed = parse_seed(c)) ex.seed = *seed;
    {
        config::Section s(*c.tech);
        ex.tech = tech::parse_card(s);
    }
    {
        config::Section s(*c.dev);
        ex.device = device::parse_card(s);
    }
    parse_network_card(ex, *c.net);
    return ex;
}

}  // namespace synbench::sim
