#include "circuit/read_circuit.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

#include "config/config.hpp"

// The variants: one `converter_NAME()` per file of src/circuit/converters/ (generated list), and
// the text of data/converters.yaml (compiled in, so the constants have one home and no run
// depends on finding a data folder).
#define SYNBENCH_CONVERTER(NAME) const ConverterVariant& converter_##NAME();
namespace synbench::circuit {
#include "circuit/converter_list.inc"
}  // namespace synbench::circuit
#undef SYNBENCH_CONVERTER
#include "circuit/converters_yaml.inc"

namespace synbench::circuit {

namespace {

constexpr const char* kDataFile = "data/converters.yaml";

std::vector<ConverterVariant> build_registry() {
    std::vector<ConverterVariant> r;
#define SYNBENCH_CONVERTER(NAME) r.push_back(converter_##NAME());
#include "circuit/converter_list.inc"
#undef SYNBENCH_CONVERTER
    std::sort(r.begin(), r.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < r.size(); ++i)
        if (r[i].name == r[i - 1].name)
            throw std::logic_error("converter registry: two variants are called " + r[i].name);
    return r;
}

// One field of a variant's constants: `NAME: {value: ..., source: "..."}`.
void read_field(config::Section& v, const config::FieldSpec& f, ConverterParams& p) {
    auto fs = v.section(f.name);
    double x = 0;
    switch (f.type) {
        case config::FieldType::quantity:
            x = fs.quantity("value", f.dim, f.limits);
            break;
        case config::FieldType::integer:
            x = static_cast<double>(fs.integer("value", f.limits));
            break;
        case config::FieldType::number:
            x = fs.number("value", f.limits);
            break;
        default:
            throw std::logic_error(
                fmt::format("converter '{}': constant '{}' must be a quantity, number or integer",
                            p.variant, f.name));
    }
    const auto src = fs.text("source");
    if (src.find_first_not_of(" \t") == std::string::npos)
        throw fs.error("source", "expected where the value comes from (a paper, a tool, a rule)");
    fs.finish();
    p.values[f.name] = x;
    p.sources[f.name] = src;
}

}  // namespace

std::map<std::string, ConverterParams, std::less<>> parse_converter_constants(
    const std::string& text, const std::string& file) {
    const auto doc = config::load_string(text, file);
    config::Section root(doc);
    std::map<std::string, ConverterParams, std::less<>> out;
    for (const auto& v : converter_variants()) {
        ConverterParams p;
        p.variant = v.name;
        if (v.fields.empty()) {
            // A variant without constants may omit its section or leave it empty.
            if (root.has(v.name)) root.section(v.name).finish();
        } else {
            auto vs = root.section(v.name);
            for (const auto& f : v.fields) read_field(vs, f, p);
            vs.finish();  // a constant nobody declared is refused
        }
        out[v.name] = std::move(p);
    }
    root.finish();  // a section for a variant that does not exist is refused
    return out;
}

config::FieldSpec constant_number(std::string name, std::string doc, config::Limits limits) {
    config::FieldSpec f;
    f.name = std::move(name);
    f.type = config::FieldType::number;
    f.limits = limits;
    f.doc = std::move(doc);
    return f;
}

config::FieldSpec constant_quantity(std::string name, units::Dim dim, std::string unit,
                                    std::string doc, config::Limits limits) {
    auto f = constant_number(std::move(name), std::move(doc), limits);
    f.type = config::FieldType::quantity;
    f.dim = dim;
    f.unit = std::move(unit);
    return f;
}

double ConverterParams::operator[](std::string_view field) const {
    auto it = values.find(field);
    if (it == values.end())
        throw std::logic_error(
            fmt::format("converter '{}' reads constant '{}' it does not declare", variant, field));
    return it->second;
}

const std::vector<ConverterVariant>& converter_variants() {
    static const std::vector<ConverterVariant> registry = build_registry();
    return registry;
}

std::vector<std::string> converter_names() {
    std::vector<std::string> n;
    for (const auto& v : converter_variants()) n.push_back(v.name);
    return n;
}

const ConverterVariant& converter_variant(std::string_view name) {
    for (const auto& v : converter_variants())
        if (v.name == name) return v;
    throw std::invalid_argument(fmt::format("unknown converter '{}' (known: {})", name,
                                            fmt::join(converter_names(), ", ")));
}

const ConverterParams& converter_params(std::string_view name) {
    static const auto params = parse_converter_constants(kConvertersYaml, kDataFile);
    auto it = params.find(name);
    if (it == params.end()) converter_variant(name);  // throws naming the known ones
    return it->second;
}

Block read_circuit(const tech::Card& t, const std::string& name, const ReadCircuitSpec& s) {
    const auto& v = converter_variant(name);
    if (!v.circuit)
        throw std::invalid_argument(fmt::format(
            "converter '{}' has no component model (macro cards only, from the converter survey)",
            name));
    if (s.bits < v.min_bits || s.bits > v.max_bits)
        throw std::invalid_argument(
            fmt::format("converter '{}' resolves {} bit{}, not {}", name,
                        v.min_bits == v.max_bits ? std::to_string(v.min_bits)
                                                 : fmt::format("{} to {}", v.min_bits, v.max_bits),
                        v.max_bits == 1 ? "" : "s", s.bits));
    return v.circuit(t, s, converter_params(name));
}

std::string converter_table_markdown() {
    std::string out =
        "| converter | what it is | bits | model | constant | value (SI units) | meaning | source "
        "|\n"
        "|---|---|---|---|---|---|---|---|\n";
    for (const auto& v : converter_variants()) {
        const auto& p = converter_params(v.name);
        std::string model = v.circuit ? "component" : "";
        if (!v.survey_family.empty())
            model += fmt::format("{}survey `{}`", model.empty() ? "" : " + ", v.survey_family);
        const std::string head =
            fmt::format("| `{}` | {} | {}–{} | {} ", v.name, v.doc, v.min_bits, v.max_bits, model);
        if (v.fields.empty()) out += head + "| — | | | |\n";
        for (std::size_t i = 0; i < v.fields.size(); ++i) {
            const auto& f = v.fields[i];
            out += (i == 0 ? head : std::string("| | | | "));
            out += fmt::format("| `{}` | {:.6g} | {} | {} |\n", f.name, p[f.name], f.doc,
                               p.sources.at(f.name));
        }
    }
    return out;
}

}  // namespace synbench::circuit
