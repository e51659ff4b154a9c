#include "sim/experiment.hpp"

#include <fmt/format.h>

#include "util/card_search.hpp"
#include "util/files.hpp"

namespace synbench::sim {

namespace {

using config::Document;

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
    const auto kind = key == "tech" ? util::CardKind::tech : key == "device" ? util::CardKind::device : util::CardKind::network;
    auto lookup = util::find_card(kind, node.Scalar(), std::filesystem::path(*exp.file).parent_path());
    if (!lookup.found)
        throw config::Error(*exp.file, node.Mark().line + 1, node.Mark().column + 1, key,
                            fmt::format("card file '{}' does not exist, nor is it a card name ({})", node.Scalar(), util::looked_for(lookup)));
    const std::filesystem::path p = *lookup.found;
    hashes.emplace_back(p.string(), util::sha256_file(p));
    return config::load_file(p);
}

// A card named on the command line: a path, or a name found through the card search path.
Document file_document(util::CardKind kind, const char* option, const std::filesystem::path& ref,
                       std::vector<std::pair<std::string, std::string>>& hashes) {
    auto lookup = util::find_card(kind, ref.string());
    if (!lookup.found)
        throw config::Error(ref.string(), 0, 0, "", fmt::format("cannot be read (missing or not readable), nor is it a {} card name ({})", option,
                                                                util::looked_for(lookup)));
    const std::filesystem::path p = *lookup.found;
    auto d = config::load_file(p);
    hashes.emplace_back(p.string(), util::sha256_file(p));
    return d;
}

}  // namespace

Experiment load_experiment(const ExperimentInputs& in) {
    Experiment ex;
    std::optional<Document> exp, tech, dev, net;
    YAML::Node seed_node;
    if (in.experiment) {
        exp = file_document(util::CardKind::network, "experiment", *in.experiment, ex.input_sha256);
        auto& root = exp->root;
        if (root["tech"]) tech = card_document(root["tech"], *exp, "tech", ex.input_sha256);
        if (root["device"]) dev = card_document(root["device"], *exp, "device", ex.input_sha256);
        if (root["network"]) {
            if (!root["network"].IsScalar())
                throw config::Error(*exp->file, root["network"].Mark().line + 1, 0, "network", "expected a network card path");
            net = card_document(root["network"], *exp, "network", ex.input_sha256);
        }
        if (root["seed"]) seed_node = root["seed"];
    }
    if (in.tech) tech = file_document(util::CardKind::tech, "--tech", *in.tech, ex.input_sha256);
    if (in.device) dev = file_document(util::CardKind::device, "--device", *in.device, ex.input_sha256);
    if (in.network) net = file_document(util::CardKind::network, "--network", *in.network, ex.input_sha256);
    if (!tech) throw config::Error("command line", 0, 0, "tech", "no technology card: pass --tech FILE or name 'tech:' in the experiment");
    if (!dev) throw config::Error("command line", 0, 0, "device", "no device card: pass --device FILE or name 'device:' in the experiment");
    // The network: the named card, with the experiment's own network fields merged over it; or
    // the experiment itself when it carries the network fields (a run's config.yaml).
    if (exp) {
        YAML::Node rest(YAML::NodeType::Map);
        for (auto it = exp->root.begin(); it != exp->root.end(); ++it) {
            auto k = it->first.Scalar();
            if (k != "tech" && k != "device" && k != "network" && k != "seed") rest[k] = it->second;
        }
        if (!net) {
            net = Document{exp->file, rest, std::make_shared<std::map<std::string, std::string>>()};
        } else {
            config::merge_over(*net, rest, *exp->file);
        }
    }
    if (!net) throw config::Error("command line", 0, 0, "network", "no network card: pass --network FILE or name 'network:' in the experiment");

    std::optional<std::string> seed_text;
    for (const auto& [k, v] : in.sets) {
        if (k == "seed") seed_text = v;
        else if (k == "tech.node")
            // A card's transistors, wires and layout rules are facts of its node: a new node with the
            // old transistors would be a hybrid labelled with the old name. Refused, not re-derived.
            throw config::Error("--set", 0, 0, "tech.node",
                                fmt::format("'{}': the node of a technology card cannot be overridden (its transistor, wire and layout "
                                            "data belong to its own node); pass the card of that node instead, e.g. --tech tech/<node>.yaml",
                                            v));
        else if (k.rfind("tech.", 0) == 0) config::apply_override(*tech, k.substr(5), v);
        else if (k.rfind("device.", 0) == 0) config::apply_override(*dev, k.substr(7), v);
        else config::apply_override(*net, k, v);
    }
    if (seed_text) seed_node = YAML::Node(*seed_text);
    if (in.seed) seed_node = YAML::Node(std::to_string(*in.seed));
    if (seed_node.IsDefined() && !seed_node.IsNull()) {
        std::string s = seed_node.IsScalar() ? seed_node.Scalar() : "";
        std::size_t used = 0;
        unsigned long long v = 0;
        try {
            v = std::stoull(s, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != s.size() || s.front() == '-')
            throw config::Error(exp ? *exp->file : "--seed", 0, 0, "seed", fmt::format("expected a non-negative integer, got '{}'", s));
        ex.seed = v;
    }

    {
        config::Section s(*tech);
        ex.tech = tech::parse_card(s);
    }
    {
        config::Section s(*dev);
        ex.device = device::parse_card(s);
    }
    {
        config::Section s(*net);
        ex.network = nn::parse_network(s);
        auto h = s.section("hardware");
        const auto& pp = ex.network.preprocess;
        const int dataset_bits = pp.binarize ? 1 : pp.input_bits;
        ex.hardware = circuit::parse_hardware(
            h, dataset_bits, pp.binarize ? std::string("dataset.binarize: 1-bit inputs") : fmt::format("dataset.input_bits: {}", pp.input_bits));
        if (ex.hardware.ir_drop != circuit::IrDrop::none && (ex.device.model == "digital" || ex.device.cell == device::CellType::digital_sram))
            throw h.error("ir_drop", "digital cells are read exactly (no analog column current): IR drop applies to analog arrays; use none");
        s.finish();
        ex.resolved = YAML::Node(YAML::NodeType::Map);
        ex.resolved["seed"] = ex.seed;
        ex.resolved["tech"] = ex.tech.resolved;
        ex.resolved["device"] = ex.device.resolved;
        for (auto it : s.resolved()) ex.resolved[it.first.Scalar()] = it.second;
    }
    return ex;
}

}  // namespace synbench::sim
