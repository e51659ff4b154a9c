#include "config/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace synbench::config {

using json = nlohmann::ordered_json;

namespace {

const std::string kNumber = R"([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)";

// The unit part of a quantity of dimension `d`: its symbols (with SI prefixes where they apply);
// a dimension written only by composing units ("F/m") accepts any unit text (the parser checks
// it).
std::string unit_regex(units::Dim d) {
    const auto syms = units::unit_symbols(d);
    if (syms.empty()) return R"([^\s0-9.+-].*)";
    std::string prefixes;
    for (const auto& p : units::unit_prefixes()) prefixes += (prefixes.empty() ? "" : "|") + p;
    std::string alt;
    for (const auto& s : syms)
        alt += (alt.empty() ? "" : "|") +
               (s.prefixable ? fmt::format("(?:{})?{}", prefixes, s.symbol) : s.symbol);
    return "(?:" + alt + ")";
}

std::string quantity_pattern(units::Dim d, bool unit_optional) {
    const bool dimless = d == units::dimensionless;
    return fmt::format(R"(^\s*{}\s*{}{}\s*$)", kNumber, "(?:" + unit_regex(d) + ")",
                       unit_optional || dimless ? "?" : "");
}

void add_limits(json& j, const Limits& l) {
    if (l.min) j[l.min_exclusive ? "exclusiveMinimum" : "minimum"] = *l.min;
    if (l.max) j[l.max_exclusive ? "exclusiveMaximum" : "maximum"] = *l.max;
}

std::string type_name(const FieldSpec& f) {
    switch (f.type) {
        case FieldType::quantity:
            return "quantity";
        case FieldType::number:
            return "number";
        case FieldType::integer:
            return "integer";
        case FieldType::flag:
            return "true/false";
        case FieldType::text:
            return f.card.empty() ? "text" : "path or mapping";
        case FieldType::choice:
            return "choice";
        case FieldType::section:
            if (f.open && f.item == FieldType::text) return "mapping of texts";
            if (f.open && f.item == FieldType::list) return "mapping of lists";
            return f.many ? "list of mappings" : f.named ? "mapping of named mappings" : "mapping";
        case FieldType::list:
            return std::string(f.item == FieldType::quantity  ? "list of quantities"
                               : f.item == FieldType::integer ? "list of integers"
                               : f.item == FieldType::text    ? "list of texts"
                                                              : "list of numbers") +
                   (f.fields.empty() ? "" : ", or list of mappings");
    }
    return "?";
}

std::string unit_text(const FieldSpec& f) {
    if (f.type != FieldType::quantity &&
        !(f.type == FieldType::list && f.item == FieldType::quantity))
        return "";
    if (!f.unit.empty()) return f.unit;
    return units::si_symbol(f.dim);
}

// What the schema states beside the field's meaning: aliases, cards by path.
std::string notes(const FieldSpec& f) {
    std::string d;
    if (!f.alias_of.empty()) d += fmt::format(" Alias of `{}` (give one of the two).", f.alias_of);
    if (!f.card.empty())
        d += fmt::format(
            " A path to a {} card file (relative to this file's folder, else the "
            "working directory), or the {} card inline.",
            f.card, f.card);
    return d;
}

std::string description(const FieldSpec& f) {
    std::string d = f.doc;
    if (auto u = unit_text(f); !u.empty())
        d += fmt::format(
            " [{}: {}{}]", units::describe(f.dim), u,
            f.bare_ok ? fmt::format("; a bare number is in {}", units::si_symbol(f.dim)) : "");
    if (!f.variants.empty()) d += " (" + f.variants + " only)";
    d += notes(f);
    if (!f.source.empty()) d += " Source: " + f.source;
    return d;
}

json default_json(const FieldSpec& f) {
    const auto& d = *f.def;
    switch (f.type) {
        case FieldType::flag:
            return d == "true";
        case FieldType::integer:
            return std::stoll(d);
        case FieldType::number: {
            std::size_t used = 0;
            try {
                double v = std::stod(d, &used);
                if (used == d.size()) return v;
            } catch (const std::exception&) {
            }
            return d;
        }
        case FieldType::list:
            if (!d.empty() && d.front() == '[') return json::parse(d);
            if (f.item == FieldType::integer) return std::stoll(d);
            if (f.item == FieldType::number) return default_number(f);
            return d;
        default:
            return d;
    }
}

// A number given as a number, or as text such as "3.5 %" (what the parser accepts for numbers).
json number_schema(const Limits& lim) {
    json n = {{"type", "number"}};
    add_limits(n, lim);
    return {{"anyOf", json::array({n,
                                   {{"type", "string"},
                                    {"pattern", quantity_pattern(units::dimensionless, true)}}})}};
}

json text_schema() {
    // Any scalar: the parser reads a text as written (a year or a DOI may look numeric).
    // Text: UTF-8 without control characters other than tab and line breaks.
    // (`pattern` applies to strings only.)
    return {{"type", json::array({"string", "number", "boolean"})},
            {"pattern", R"(^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$)"}};
}

json item_schema(FieldType t, const FieldSpec& f) {
    switch (t) {
        case FieldType::integer: {
            json j = {{"type", "integer"}};
            add_limits(j, f.limits);
            return j;
        }
        case FieldType::text:
            return {{"type", "string"}};
        case FieldType::quantity: {
            json s = {{"type", "string"}, {"pattern", quantity_pattern(f.dim, f.bare_ok)}};
            if (!f.bare_ok) return s;
            json n = {{"type", "number"}};
            add_limits(n, f.limits);
            return {{"anyOf", json::array({n, s})}};
        }
        default:
            return number_schema(f.limits);
    }
}

// Required in its mapping: no default and not optional; a section (which reads as empty when
// absent) when one of its fields is required.
bool is_required(const FieldSpec& f) {
    // (An open section — its keys free, e.g. a sweep's axes — is required unless optional.)
    if (f.type == FieldType::section && !f.many && !f.named && !f.open && !f.optional && !f.def)
        return std::any_of(f.fields.begin(), f.fields.end(), is_required);
    return f.required();
}

}  // namespace

json schema_of(const FieldSpec& f) {
    json j;
    switch (f.type) {
        case FieldType::quantity:
        case FieldType::number:
        case FieldType::integer:
            j = item_schema(f.type, f);
            break;
        case FieldType::flag:
            j = {{"anyOf",
                  json::array({{{"type", "boolean"}}, {{"enum", {"yes", "no", "on", "off"}}}})}};
            break;
        case FieldType::text:
            j = text_schema();
            // A card by path, or inline (sim/card_schema.cpp puts the kind's schema here).
            if (!f.card.empty()) j = {{"anyOf", json::array({j, {{"type", "object"}}})}};
            break;
        case FieldType::choice:
            j = {{"enum", f.choices}};
            break;
        case FieldType::list: {
            auto item = item_schema(f.item, f);
            if (!f.fields.empty()) {
                // A list of values, or a list of mappings of `fields` (a network's layers).
                j = {{"oneOf",
                      json::array(
                          {{{"type", "array"}, {"items", item}, {"minItems", 1}},
                           {{"type", "array"}, {"items", schema_of(f.fields)}, {"minItems", 1}}})}};
                break;
            }
            // A single value stands for a list of one.
            j = {{"anyOf",
                  json::array({item, {{"type", "array"}, {"items", item}, {"minItems", 1}}})}};
            break;
        }
        case FieldType::section: {
            if (f.open) {
                j = {{"type", "object"}};
                if (f.item == FieldType::text)
                    j["additionalProperties"] = text_schema();
                else if (f.item == FieldType::list)
                    j["additionalProperties"] = {{"type", "array"}, {"minItems", 1}};
                if (f.many) j = {{"type", "array"}, {"items", j}};
                break;
            }
            auto m = schema_of(f.fields);
            if (f.many)
                j = {{"type", "array"}, {"items", m}};
            else if (f.named)
                j = {{"type", "object"}, {"additionalProperties", m}, {"minProperties", 1}};
            else
                j = m;
            break;
        }
    }
    j["description"] = description(f);
    if (f.def && f.type != FieldType::section) j["default"] = default_json(f);
    return j;
}

json schema_of(const FieldList& fields) {
    json props = json::object();
    json required = json::array();
    for (const auto& f : fields) {
        props[f.name] = schema_of(f);
        if (is_required(f)) required.push_back(f.name);
    }
    json j = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
    if (!required.empty()) j["required"] = required;
    // An alias and the field it names, never both ("input_bits" and "input.bits").
    json rules = json::array();
    for (const auto& f : fields) {
        if (f.alias_of.empty()) continue;
        const auto dot = f.alias_of.find('.');
        if (dot == std::string::npos) {
            json cond = {{"required", json::array({f.name, f.alias_of})}};
            rules.push_back({{"not", cond}});
        } else {
            const auto sec = f.alias_of.substr(0, dot), key = f.alias_of.substr(dot + 1);
            json inner = {{"required", json::array({key})}};
            json props = json::object();
            props[sec] = inner;
            json cond = {{"required", json::array({f.name, sec})}, {"properties", props}};
            rules.push_back({{"not", cond}});
        }
    }
    if (!rules.empty()) j["allOf"] = rules;
    return j;
}

namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::stringstream ss(path);
    std::string part;
    while (std::getline(ss, part, '.'))
        if (!part.empty()) out.push_back(part);
    return out;
}

FieldList* section_at(FieldList& fields, const std::vector<std::string>& path) {
    FieldList* cur = &fields;
    for (const auto& p : path) {
        auto it = std::find_if(cur->begin(), cur->end(), [&](auto& f) { return f.name == p; });
        if (it == cur->end()) {
            FieldSpec s;
            s.name = p;
            s.type = FieldType::section;
            s.optional = true;
            cur->push_back(s);
            it = cur->end() - 1;
        }
        cur = &it->fields;
    }
    return cur;
}

// The node of a schema at a section path (creating {"properties": {...}} on the way).
json& schema_at(json& j, const std::vector<std::string>& path) {
    json* cur = &j;
    for (const auto& p : path) cur = &(*cur)["properties"][p];
    return *cur;
}

}  // namespace

FieldList merged_fields(const CardDecl& card) {
    FieldList out = card.fields;
    for (const auto& g : card.variants) {
        // (section path, field) -> the variants that have it, in registry order.
        std::map<std::pair<std::string, std::string>, std::vector<std::string>> owners;
        for (const auto& v : g.variants)
            for (const auto& [path, list] : v.fields)
                for (const auto& f : list) owners[{path, f.name}].push_back(v.name);
        std::set<std::pair<std::string, std::string>> added;
        for (const auto& v : g.variants)
            for (const auto& [path, list] : v.fields)
                for (const auto& f : list) {
                    if (!added.insert({path, f.name}).second) continue;
                    auto* sec = section_at(out, split_path(path));
                    if (std::any_of(sec->begin(), sec->end(),
                                    [&](auto& x) { return x.name == f.name; }))
                        continue;  // declared in the base as well (the parser reads it always)
                    FieldSpec m = f;
                    // Required only where a variant needs it (its `needs`, in the schema's rules).
                    if (!m.def) m.optional = true;
                    std::string names;
                    for (const auto& n : owners[{path, f.name}])
                        names += (names.empty() ? "" : ", ") + n;
                    m.variants = g.discriminator + ": " + names;
                    sec->push_back(m);
                }
    }
    return out;
}

json schema_of(const CardDecl& card) {
    json j = {{"title", card.title}, {"description", card.doc}};
    if (!card.forms.empty()) {
        json forms = json::array();
        for (const auto& f : card.forms) forms.push_back(schema_of(f));
        j["oneOf"] = forms;
        return j;
    }
    j.update(schema_of(merged_fields(card)));
    json rules = j.contains("allOf") ? j["allOf"] : json::array();
    for (const auto& g : card.variants) {
        const auto disc = split_path(g.discriminator);
        for (const auto& v : g.variants) {
            json cond = json::object();
            {
                json& at = cond;
                json* cur = &at;
                for (std::size_t i = 0; i + 1 < disc.size(); ++i) {
                    (*cur)["required"] = json::array({disc[i]});
                    cur = &(*cur)["properties"][disc[i]];
                }
                (*cur)["properties"][disc.back()] = {{"const", v.name}};
                // An absent discriminator takes its default: the rule applies when it is absent
                // and this variant is the default.
                const FieldList* sec = &card.fields;
                for (std::size_t i = 0; i + 1 < disc.size(); ++i)
                    sec = &field(*sec, disc[i]).fields;
                const auto& df = field(*sec, disc.back());
                if (!(df.def && *df.def == v.name)) (*cur)["required"] = json::array({disc.back()});
            }
            json then = json::object();
            // The other variants' fields, refused.
            for (const auto& o : g.variants) {
                if (o.name == v.name) continue;
                for (const auto& [path, list] : o.fields)
                    for (const auto& f : list) {
                        bool own = false;
                        for (const auto& [p2, l2] : v.fields)
                            if (p2 == path)
                                for (const auto& x : l2) own = own || x.name == f.name;
                        if (!own) schema_at(then, split_path(path))["properties"][f.name] = false;
                    }
            }
            // What this variant needs.
            for (const auto& need : v.needs) {
                auto parts = split_path(need);
                json* cur = &then;
                for (std::size_t i = 0; i < parts.size(); ++i) {
                    auto& req = (*cur)["required"];
                    if (!req.is_array()) req = json::array();
                    if (std::find(req.begin(), req.end(), parts[i]) == req.end())
                        req.push_back(parts[i]);
                    if (i + 1 < parts.size()) cur = &(*cur)["properties"][parts[i]];
                }
            }
            if (then.empty()) continue;
            rules.push_back({{"if", cond}, {"then", then}});
        }
    }
    if (!rules.empty()) j["allOf"] = rules;
    return j;
}

namespace {

std::string cell(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string range_text(const FieldSpec& f) {
    if (f.type == FieldType::choice) {
        std::string s;
        for (const auto& c : f.choices) s += (s.empty() ? "" : ", ") + ("`" + c + "`");
        return s;
    }
    if (!f.limits.min && !f.limits.max) return "";
    auto r = f.limits.describe();
    if (!unit_text(f).empty()) r += " " + units::si_symbol(f.dim);  // limits are in SI units
    return r;
}

void tables(const FieldList& fields, const std::string& prefix, std::string& out) {
    out += fmt::format("\n#### `{}`\n\n", prefix.empty() ? "(top level)" : prefix);
    out += "| Field | Type | Unit | Default | Allowed | Meaning |\n";
    out += "|---|---|---|---|---|---|\n";
    for (const auto& f : fields) {
        std::string meaning = f.doc;
        if (!f.variants.empty()) meaning += " *(" + f.variants + " only)*";
        meaning += notes(f);
        if (!f.source.empty()) meaning += " Source: " + f.source;
        out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", f.name, type_name(f),
                           cell(unit_text(f)),
                           f.def ? "`" + cell(*f.def) + "`" : (is_required(f) ? "required" : "—"),
                           cell(range_text(f)), cell(meaning));
    }
    for (const auto& f : fields)
        if (f.type == FieldType::list && !f.fields.empty())
            tables(f.fields, (prefix.empty() ? "" : prefix + ".") + f.name + "[]", out);
        else if (f.type == FieldType::section && !f.open)
            tables(f.fields,
                   (prefix.empty() ? "" : prefix + ".") + f.name +
                       (f.many    ? "[]"
                        : f.named ? ".NAME"
                                  : ""),
                   out);
}

}  // namespace

std::string reference_markdown(const CardDecl& card) {
    std::string out =
        fmt::format("### {} (`synbench cards schema {}`)\n\n{}\n", card.title, card.kind, card.doc);
    for (const auto& f : card.forms) {
        out += fmt::format("\n#### Form: {}\n\n{}\n", f.title, f.doc);
        tables(merged_fields(f), "", out);
    }
    if (!card.forms.empty()) return out;
    tables(merged_fields(card), "", out);
    for (const auto& g : card.variants) {
        out += fmt::format("\n#### Variants of `{}`\n\n", g.discriminator);
        out += "| Variant | Meaning | Own fields | Needs |\n|---|---|---|---|\n";
        for (const auto& v : g.variants) {
            std::string own, needs;
            for (const auto& [path, list] : v.fields)
                for (const auto& f : list)
                    own += (own.empty() ? "" : ", ") +
                           ("`" + (path.empty() ? "" : path + ".") + f.name + "`");
            for (const auto& n : v.needs) needs += (needs.empty() ? "" : ", ") + ("`" + n + "`");
            out += fmt::format("| `{}` | {} | {} | {} |\n", v.name, cell(v.doc),
                               own.empty() ? "—" : own, needs.empty() ? "—" : needs);
        }
    }
    return out;
}

}  // namespace synbench::config
