// Converters (column read circuits / ADCs): one registry, the only list of variants, used by the
// network model (`hardware.converter.kind`, alias `hardware.read_circuit`) and by macro cards
// (`converter.kind`).
//
// Adding a variant is ONE source file, src/circuit/converters/NAME.cpp, defining
//     const ConverterVariant& converter_NAME();
// (the registry's list is generated from the file names at configure time, see CMakeLists.txt),
// plus its constants in data/converters.yaml, each with its source. A variant declares:
//   - its constants as a config::FieldList (name, type, unit, limits, one-line doc); their values
//     and sources live once in data/converters.yaml (compiled in; checked against the list);
//   - the resolutions it supports (`bits`);
//   - `circuit`: its component model (a Block from the tech card and the column it reads), used by
//     the network model and by macro cards whose converter has no survey family; and/or
//   - `survey_family` and `cycles`: the converter-survey family (data/converter-survey.yaml) and
//   the
//     clock cycles of one conversion, used by macro cards for energy and area per conversion.
// docs/converters.md is generated from the registry (test "[converter][docs]").
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "circuit/block.hpp"
#include "config/fields.hpp"

namespace synbench::circuit {

struct ReadCircuitSpec {
    int bits = 8;        // output resolution
    int count = 1;       // circuits in the subarray
    double side = 0;     // array width they are pitch-matched to
    double clock = 2e9;  // Hz
    double c_in = 0;     // F, capacitance at the circuit input (column line, mux, own input)
    double i_max = 0;    // A, largest column current (all rows driven, all cells at Gmax)
    double v_read = 0;   // V, read voltage across the cells
};

// The constants of one variant (SI units), read from data/converters.yaml through its FieldList.
struct ConverterParams {
    std::string variant;
    std::map<std::string, double, std::less<>> values;
    std::map<std::string, std::string, std::less<>> sources;  // field → where its value comes from
    // The value of a declared field; std::logic_error when the variant did not declare it.
    double operator[](std::string_view field) const;
};

// read_latency: one conversion; read_energy: one conversion of ONE circuit (average input);
// area and leakage: all `count` circuits.
using ConverterCircuit =
    std::function<Block(const tech::Card&, const ReadCircuitSpec&, const ConverterParams&)>;

struct ConverterVariant {
    std::string name;
    std::string doc;                  // one line: what it is
    config::FieldList fields;         // constants, values in data/converters.yaml
    int min_bits = 1, max_bits = 12;  // resolutions it resolves
    ConverterCircuit circuit;         // component model (empty: macro cards' survey fit only)
    std::string survey_family;        // data/converter-survey.yaml family (empty: no survey fit)
    // Clock cycles of one conversion of `bits` bits (macro cards' survey converters).
    std::function<double(int bits, const ConverterParams&)> cycles;
};

// Declarations of a variant's constants: a dimensionless number, or a quantity of `dim` shown in
// `unit` (e.g. units::energy, "fJ").
config::FieldSpec constant_number(std::string name, std::string doc,
                                  config::Limits limits = config::Limits::non_negative());
config::FieldSpec constant_quantity(std::string name, units::Dim dim, std::string unit,
                                    std::string doc,
                                    config::Limits limits = config::Limits::non_negative());

// The registry, in name order; built once.
const std::vector<ConverterVariant>& converter_variants();
// The variant called `name`; std::invalid_argument naming the known ones when unknown.
const ConverterVariant& converter_variant(std::string_view name);
std::vector<std::string> converter_names();
// A variant's constants from data/converters.yaml (std::invalid_argument when unknown). A data
// file that does not match the declarations is a config::Error naming data/converters.yaml, line
// and field (first use).
const ConverterParams& converter_params(std::string_view name);
// The constants of every registered variant from the text of a data file like data/converters.yaml
// (`file` names it in errors): `VARIANT: {FIELD: {value: V, source: "..."}}`.
std::map<std::string, ConverterParams, std::less<>> parse_converter_constants(
    const std::string& text, const std::string& file);
// The component model of variant `name`, after checking the resolution; std::invalid_argument
// when unknown, without a component model, or out of its resolution range.
Block read_circuit(const tech::Card& t, const std::string& name, const ReadCircuitSpec& s);
// Markdown table of every variant and its constants (docs/converters.md is this, generated).
std::string converter_table_markdown();

// The component models, by name (each in src/circuit/converters/).
Block integrate_fire(const tech::Card& t, const ReadCircuitSpec& s);
// The capacitance integrate_fire integrates on: C_in, or more when the full-scale current would
// fire faster than one clock period (then sized to fire once per period; see integrate_fire.cpp).
double integration_capacitance(const tech::Card& t, const ReadCircuitSpec& s);
Block sense_amp(const tech::Card& t, const ReadCircuitSpec& s);
Block flash_adc(const tech::Card& t, const ReadCircuitSpec& s);
Block sar_adc(const tech::Card& t, const ReadCircuitSpec& s);

}  // namespace synbench::circuit
