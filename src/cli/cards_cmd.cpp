// `synbench cards schema|reference|list|show` and `synbench config show`: the card kinds' JSON
// Schema and reference generated from the field declarations, the shipped cards found through
// the card search path (util/card_search.hpp), and an experiment's resolved configuration without
// running it.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "cli/commands.hpp"
#include "cli/experiment_options.hpp"
#include "config/config.hpp"
#include "sim/card_schema.hpp"
#include "util/card_search.hpp"
#include "util/files.hpp"

namespace synbench::cli {

namespace {

namespace fs = std::filesystem;
using util::CardKind;

const std::vector<std::pair<std::string, CardKind>>& kinds() {
    static const std::vector<std::pair<std::string, CardKind>> k{{"tech", CardKind::tech},
                                                                 {"device", CardKind::device},
                                                                 {"network", CardKind::network},
                                                                 {"macro", CardKind::macro},
                                                                 {"sweep", CardKind::sweep}};
    return k;
}

std::string kind_names() {
    std::string s;
    for (const auto& [n, k] : kinds()) s += (s.empty() ? "" : ", ") + n;
    return s;
}

CardKind kind_of(const std::string& name) {
    for (const auto& [n, k] : kinds())
        if (n == name) return k;
    throw ExitRequest{kExitBadInput, fmt::format("unknown card kind '{}'; expected one of: {}",
                                                 name, kind_names())};
}

struct Listed {
    std::string kind, name;
    fs::path path;
    bool shadowed = false;  // an earlier root has a card of this kind and name
};

// Every card of the search roots, root by root, in the order the lookup tries them.
std::vector<Listed> list_cards(const std::string& only) {
    std::vector<Listed> out;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& root : util::card_search_roots())
        for (const auto& [name, kind] : kinds()) {
            if (!only.empty() && only != name) continue;
            const auto dir = root / util::card_folder(kind);
            std::error_code ec;
            if (!fs::is_directory(dir, ec)) continue;
            std::vector<fs::path> files;
            for (const auto& e : fs::directory_iterator(dir, ec))
                if (e.is_regular_file(ec) && e.path().extension() == ".yaml")
                    files.push_back(e.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                Listed l{name, f.stem().string(), f, false};
                l.shadowed = !seen.insert({name, l.name}).second;
                out.push_back(l);
            }
        }
    return out;
}

void add_cards(CLI::App& app) {
    auto* cards = app.add_subcommand(
        "cards", "The card kinds' JSON Schema and reference, and the shipped cards");
    cards->require_subcommand(1);

    auto kind = std::make_shared<std::string>();
    auto* schema = cards->add_subcommand(
        "schema",
        "Print the JSON Schema (draft 2020-12) of a card kind, generated from its field "
        "declarations; without KIND every declared kind in one document ($defs)");
    schema->add_option(
        "kind", *kind, "Card kind: " + [] {
            std::string s;
            for (const auto& k : sim::schema_kinds()) s += (s.empty() ? "" : ", ") + k;
            return s;
        }());
    schema->callback([kind] {
        if (!kind->empty() && !sim::card_declaration(*kind)) {
            std::string known;
            for (const auto& k : sim::schema_kinds()) known += (known.empty() ? "" : ", ") + k;
            throw ExitRequest{kExitBadInput,
                              fmt::format("no schema for card kind '{}': the kinds whose fields "
                                          "are declared are {}",
                                          *kind, known)};
        }
        std::cout << sim::card_schema(*kind).dump(2) << "\n";
    });

    auto* reference = cards->add_subcommand(
        "reference",
        "Print the card reference (Markdown, docs/card-reference.md) generated from "
        "the field declarations");
    reference->callback([] { std::cout << sim::card_reference_markdown(); });

    auto list_kind = std::make_shared<std::string>();
    auto* list = cards->add_subcommand(
        "list",
        "List the cards found through the card search path ($SYNBENCH_CARDS, the "
        "installation's share/synbench, the source tree of a development build)");
    list->add_option("kind", *list_kind, "Card kind: " + kind_names());
    list->callback([list_kind] {
        if (!list_kind->empty()) kind_of(*list_kind);
        const auto cards = list_cards(*list_kind);
        if (cards.empty()) {
            std::cout << "no cards found; search roots: ";
            auto roots = util::card_search_roots();
            if (roots.empty()) std::cout << "(none)";
            for (std::size_t i = 0; i < roots.size(); ++i)
                std::cout << (i ? ", " : "") << roots[i].string();
            std::cout << "\n";
            return;
        }
        std::size_t w = 4;
        for (const auto& c : cards) w = std::max(w, c.name.size());
        for (const auto& c : cards)
            std::cout << fmt::format("{:<8}{:<{}}  {}{}\n", c.kind, c.name, w + 1, c.path.string(),
                                     c.shadowed ? "  (shadowed by the one above)" : "");
    });

    auto name = std::make_shared<std::string>();
    auto show_kind = std::make_shared<std::string>();
    auto* show = cards->add_subcommand(
        "show", "Print a card found by name (or path) with the file it resolves to");
    show->add_option("name", *name, "Card name (ag-asi) or path")->required();
    show->add_option("--kind", *show_kind,
                     "Card kind, when a name exists in several: " + kind_names());
    show->callback([name, show_kind] {
        std::vector<std::pair<std::string, fs::path>> found;
        for (const auto& [n, k] : kinds()) {
            if (!show_kind->empty() && *show_kind != n) continue;
            auto l = util::find_card(k, *name);
            if (l.found && std::none_of(found.begin(), found.end(),
                                        [&](auto& f) { return f.second == *l.found; }))
                found.emplace_back(n, *l.found);
        }
        if (!show_kind->empty()) kind_of(*show_kind);
        if (found.empty()) {
            std::string roots;
            for (const auto& r : util::card_search_roots())
                roots += (roots.empty() ? "" : ", ") + r.string();
            throw ExitRequest{
                kExitBadInput,
                fmt::format("no card '{}': not a file, nor a {} card name in the search roots "
                            "({}; more: $SYNBENCH_CARDS=DIR:DIR); `synbench cards list` lists them",
                            *name, show_kind->empty() ? kind_names() : *show_kind,
                            roots.empty() ? "none" : roots)};
        }
        if (found.size() > 1) {
            std::string which;
            for (const auto& [k, p] : found) which += fmt::format("\n  {:<8}{}", k, p.string());
            throw ExitRequest{kExitBadInput,
                              fmt::format("'{}' names cards of several kinds; pick one with "
                                          "--kind:{}",
                                          *name, which)};
        }
        const auto text = config::read_card_file(found.front().second);
        std::cout << fmt::format("# {} card: {}\n", found.front().first,
                                 fs::absolute(found.front().second).lexically_normal().string());
        std::cout << text;
        if (!text.empty() && text.back() != '\n') std::cout << "\n";
    });
}

void add_config(CLI::App& app) {
    auto* config = app.add_subcommand("config", "The configuration an experiment resolves to");
    config->require_subcommand(1);
    auto* show = config->add_subcommand(
        "show",
        "Print the resolved configuration (cards found, overrides applied, every default "
        "filled in) without running; what a run writes to config.yaml");
    auto opts = add_experiment_options(show);
    show->callback([opts] {
        auto ex = sim::load_experiment(opts->inputs());
        std::cout << "# resolved from:";
        for (const auto& [path, hash] : ex.input_sha256) std::cout << " " << path;
        std::cout << "\n" << config::to_yaml(ex.resolved);
    });
}

}  // namespace

void add_cards_command(CLI::App& app) {
    add_cards(app);
    add_config(app);
}

}  // namespace synbench::cli
