#include "circuit/macro_fields.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "circuit/options.hpp"
#include "circuit/read_circuit.hpp"

namespace synbench::circuit::macro_fields {

using config::FieldList;
using config::FieldSpec;
using config::FieldType;
using config::Limits;
using config::section_of;
namespace u = synbench::units;

namespace {

FieldSpec integer(const char* name, Limits lim, const char* doc) {
    return {.name = name, .type = FieldType::integer, .limits = lim, .doc = doc};
}

FieldSpec text(const char* name, const char* doc, bool required = true) {
    FieldSpec f{.name = name, .type = FieldType::text, .doc = doc};
    if (!required) f.def = "";
    return f;
}

FieldSpec voltage(const char* name, const char* doc) {
    return {.name = name,
            .type = FieldType::quantity,
            .dim = u::voltage,
            .unit = "V",
            .limits = Limits::positive(),
            .doc = doc,
            .optional = true};
}

// The widest range of converter bits any kind resolves (each kind's own: the registry).
Limits converter_bits() {
    int lo = 64, hi = 0;
    for (const auto& v : converter_variants()) {
        lo = std::min(lo, v.min_bits);
        hi = std::max(hi, v.max_bits);
    }
    return Limits::between(lo, hi);
}

}  // namespace

const FieldList& card() {
    static const FieldList f{
        text("name", "Macro name as reports show it"),
        section_of(
            "source",
            {text("paper", "The publication the macro is from"), text("doi", "Its DOI", false),
             text("where", "Where in the paper (figure, table)", false)},
            "Where the card's numbers come from"),
        {.name = "sources",
         .type = FieldType::section,
         .doc = "Optional: field → where the paper states it (free text)",
         .optional = true,
         .item = FieldType::text,
         .open = true},
        text("tech",
             "Technology card: a path (relative to this card's folder, else the working "
             "directory)"),
        {.name = "device",
         .type = FieldType::text,
         .doc = "The cell's device card (an analog card)",
         .card = "device"},
        section_of("array",
                   {integer("rows", Limits::between(1, 65536), "Physical rows of the cell array"),
                    integer("columns", Limits::between(1, 65536),
                            "Physical columns of the cell array (at least 2)")},
                   "The physical cell array"),
        integer("rows_active", Limits::between(1, 65536),
                "Rows driven in one cycle (at most array.rows)"),
        section_of("weight",
                   {integer("bits", Limits::between(1, 16), "Weight resolution"),
                    integer("cells", Limits::between(1, 64), "Cells per weight"),
                    {.name = "scheme",
                     .type = FieldType::choice,
                     .choices = weight_scheme_names(),
                     .doc = "How a signed weight sits in the array (docs/macro-cards.md)"},
                    integer("bits_per_cell", Limits::between(1, 8), "Bits one cell stores"),
                    {.name = "levels",
                     .type = FieldType::integer,
                     .limits = Limits::between(2, 65536),
                     .doc = "Weight levels (default 2^bits, at most that); 3 = ternary {−1, 0, +1} "
                            "(a signed pair)",
                     .optional = true}},
                   "The stored weights"),
        section_of("input",
                   {integer("bits", Limits::between(1, 16), "Input resolution"),
                    {.name = "encoding",
                     .type = FieldType::choice,
                     .choices = input_encoding_names(),
                     .doc = "How inputs are applied"},
                    {.name = "window",
                     .type = FieldType::quantity,
                     .dim = u::time,
                     .unit = "s",
                     .limits = Limits::positive(),
                     .doc = "Duration of a full-scale input when the paper states it (pulse_count "
                            "or pwm only): the unit pulse is window / (2^bits − 1), else one "
                            "clock period",
                     .optional = true}},
                   "The inputs"),
        section_of(
            "converter",
            {{.name = "kind",
              .type = FieldType::choice,
              .choices = converter_names(),
              .doc = "Converter (the converter registry's variants)"},
             {.name = "bits",
              .type = FieldType::integer,
              .limits = converter_bits(),
              .doc = "Converter resolution (within the range of its kind: the registry)"},
             {.name = "columns_per_converter",
              .type = FieldType::integer,
              .limits = Limits::between(1, 1024),
              .def = "1",
              .doc = "Column lines sharing one converter"},
             {.name = "input",
              .type = FieldType::choice,
              .def = "single_ended",
              .choices = {"single_ended", "differential"},
              .doc = "differential: a weight's positive and negative columns into one converter "
                     "(weight.scheme differential_columns only)"},
             {.name = "lsb_time",
              .type = FieldType::quantity,
              .dim = u::time,
              .unit = "s",
              .limits = Limits::positive(),
              .doc = "Time per count of a current-controlled oscillator where the paper states it "
                     "(kind cco only)",
              .optional = true},
             {.name = "model",
              .type = FieldType::choice,
              .def = "physical",
              .choices = {"physical", "survey"},
              .doc = "Read-out model: the physical one where the kind has one, or the converter "
                     "survey's fit (docs/silicon-validation.md)"}},
            "The column converters"),
        section_of("output", {integer("bits", Limits::between(1, 64), "Output resolution")},
                   "The outputs (recorded; the read path's own resolution is modelled)"),
        {.name = "clock",
         .type = FieldType::quantity,
         .dim = u::frequency,
         .unit = "Hz",
         .limits = Limits::positive(),
         .doc = "Clock"},
        section_of("supplies",
                   {voltage("read", "Read voltage (default: the device card's)"),
                    voltage("word_line", "Word-line supply (default: the tech card's Vdd)"),
                    voltage("periphery", "Periphery supply (default: the tech card's Vdd)")},
                   "Supplies the paper states", true),
        section_of("cell",
                   {{.name = "area_F2",
                     .type = FieldType::number,
                     .limits = Limits::between(1.0, 1e6),
                     .doc = "Cell area in F² of the tech card's node (give area_F2 or pitch)",
                     .optional = true},
                    {.name = "pitch",
                     .type = FieldType::quantity,
                     .dim = u::length,
                     .unit = "m",
                     .limits = Limits::positive(),
                     .doc = "Cell pitch of a square cell (give area_F2 or pitch)",
                     .optional = true}},
                   "The cell footprint the paper states (default: the device card's)", true),
        section_of("activity",
                   {{.name = "input_density",
                     .type = FieldType::number,
                     .limits = Limits::fraction(),
                     .def = "0.5",
                     .doc = "Probability that an input bit is 1"},
                    {.name = "weight_sparsity",
                     .type = FieldType::number,
                     .limits = Limits{0.0, 1.0, false, true},
                     .def = "0",
                     .doc = "Fraction of zero weights"}},
                   "Activity the energy assumes (docs/macro-cards.md \"Assumed values\")"),
    };
    return f;
}

const FieldList& section(std::string_view name) {
    return config::section_fields(card(), name, "macro card");
}

config::CardDecl declaration() {
    return {"macro",
            "macro card",
            "One compute-in-memory macro as its paper describes it (macros/*.yaml; "
            "docs/macro-cards.md).",
            card(),
            {},
            {}};
}

}  // namespace synbench::circuit::macro_fields
