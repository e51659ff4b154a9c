// Reading a card field by its declaration (config/fields.hpp): the Section accessors with the
// type, unit, range and default taken from the FieldSpec.
#include "config/fields.hpp"

#include <fmt/format.h>

#include <initializer_list>
#include <stdexcept>

namespace synbench::config {

const FieldSpec& field(const FieldList& list, std::string_view name) {
    for (const auto& f : list)
        if (f.name == name) return f;
    throw std::logic_error(fmt::format("field '{}' is not declared in this list", name));
}

FieldSpec section_of(const char* name, FieldList fields, const char* doc, bool optional) {
    return {.name = name,
            .type = FieldType::section,
            .doc = doc,
            .optional = optional,
            .fields = std::move(fields)};
}

const FieldList& section_fields(const FieldList& list, std::string_view name,
                                std::string_view kind) {
    for (const auto& f : list)
        if (f.name == name && f.type == FieldType::section) return f.fields;
    throw std::logic_error(fmt::format("{}: no section {}", kind, name));
}

double default_number(const FieldSpec& f) {
    if (!f.def) throw std::logic_error(fmt::format("field '{}' has no default", f.name));
    const auto& d = *f.def;
    switch (f.type) {
        case FieldType::flag:
            return d == "true" ? 1.0 : 0.0;
        case FieldType::integer:
            return static_cast<double>(std::stoll(d));
        case FieldType::quantity:
            return units::parse_as(d, f.dim, f.bare_ok);
        case FieldType::list:
            return units::parse_as(d, f.item == FieldType::quantity ? f.dim : units::dimensionless,
                                   true);
        default:
            return units::parse_as(d, units::dimensionless, true);
    }
}

namespace {
// A list's default: "[512, 512]" (a YAML flow list) or one value standing for a list of one.
std::vector<std::string> list_default(const FieldSpec& f) {
    const auto& d = *f.def;
    if (d.empty() || d.front() != '[') return {d};
    std::vector<std::string> out;
    for (const auto& n : YAML::Load(d)) out.push_back(n.Scalar());
    return out;
}

void expect(const FieldSpec& f, std::initializer_list<FieldType> types, const char* what) {
    for (auto t : types)
        if (f.type == t) return;
    throw std::logic_error(fmt::format("field '{}' is not {}", f.name, what));
}
}  // namespace

std::optional<double> Section::maybe_read_number(const FieldSpec& f) {
    expect(f, {FieldType::quantity, FieldType::number, FieldType::integer}, "a number");
    std::optional<double> v;
    if (f.type == FieldType::integer) {
        if (auto i = maybe_integer(f.name, f.limits)) v = static_cast<double>(*i);
    } else if (f.type == FieldType::quantity) {
        v = maybe_quantity(f.name, f.dim, f.limits, f.bare_ok);
    } else {
        v = maybe_number(f.name, f.limits);
    }
    if (v || !f.def) return v;
    // Absent with a default: record it as the typed accessors do.
    if (f.type == FieldType::integer) return static_cast<double>(read_integer(f));
    if (f.type == FieldType::quantity)
        return quantity(f.name, f.dim, f.limits, default_number(f), f.bare_ok);
    return number(f.name, f.limits, default_number(f));
}

double Section::read_number(const FieldSpec& f) {
    expect(f, {FieldType::quantity, FieldType::number, FieldType::integer}, "a number");
    if (f.type == FieldType::integer) return static_cast<double>(read_integer(f));
    std::optional<double> def;
    if (f.def) def = default_number(f);
    if (f.type == FieldType::quantity) return quantity(f.name, f.dim, f.limits, def, f.bare_ok);
    return number(f.name, f.limits, def);
}

std::int64_t Section::read_integer(const FieldSpec& f) {
    expect(f, {FieldType::integer}, "an integer");
    std::optional<std::int64_t> def;
    if (f.def) def = std::stoll(*f.def);
    return integer(f.name, f.limits, def);
}

bool Section::read_flag(const FieldSpec& f) {
    expect(f, {FieldType::flag}, "a flag");
    std::optional<bool> def;
    if (f.def) def = *f.def == "true";
    return flag(f.name, def);
}

std::string Section::read_text(const FieldSpec& f) {
    expect(f, {FieldType::text, FieldType::choice}, "a text or choice");
    if (f.type == FieldType::choice) return choice(f.name, f.choices, f.def);
    return text(f.name, f.def);
}

std::vector<double> Section::read_numbers(const FieldSpec& f) {
    expect(f, {FieldType::list}, "a list");
    std::optional<std::vector<double>> def;
    if (f.def) {
        def.emplace();
        FieldSpec one = f;
        for (const auto& v : list_default(f)) {
            one.def = v;
            def->push_back(default_number(one));
        }
    }
    if (f.item == FieldType::quantity) return quantities(f.name, f.dim, f.limits, def, f.bare_ok);
    return numbers(f.name, f.limits, def);
}

std::vector<std::int64_t> Section::read_integers(const FieldSpec& f) {
    expect(f, {FieldType::list}, "a list");
    std::optional<std::vector<std::int64_t>> def;
    if (f.def) {
        def.emplace();
        for (const auto& v : list_default(f)) def->push_back(std::stoll(v));
    }
    return integers(f.name, f.limits, def);
}

}  // namespace synbench::config
