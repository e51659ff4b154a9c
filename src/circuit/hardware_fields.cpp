#include "circuit/hardware_fields.hpp"

#include "circuit/options.hpp"
#include "circuit/read_circuit.hpp"

namespace synbench::circuit::fields {

using config::FieldList;
using config::FieldSpec;
using config::FieldType;
using config::Limits;
namespace u = synbench::units;

namespace {

// The converters the network model can build: the registry's variants with a component model.
std::vector<std::string> network_converters() {
    std::vector<std::string> n;
    for (const auto& v : converter_variants())
        if (v.circuit) n.push_back(v.name);
    return n;
}

FieldSpec integer(const char* name, Limits lim, const char* def, const char* doc) {
    return {.name = name, .type = FieldType::integer, .limits = lim, .def = def, .doc = doc};
}

FieldSpec choice(const char* name, std::vector<std::string> choices, const char* def,
                 const char* doc) {
    return {.name = name,
            .type = FieldType::choice,
            .def = def,
            .choices = std::move(choices),
            .doc = doc};
}

// The input bits: their default is the data set's bit-planes (parse_hardware).
FieldSpec input_bits(const char* name) {
    return {.name = name,
            .type = FieldType::integer,
            .limits = Limits::between(1, 8),
            .doc =
                "Bit-serial input cycles per layer read (default and only value: the data "
                "set's bit-planes, 1 when binarised, else dataset.input_bits)",
            .optional = true};
}

FieldSpec alias(FieldSpec f, const char* of) {
    f.alias_of = of;
    return f;
}

const FieldSpec kAdcBits = integer("bits", Limits::between(1, 12), "8",
                                   "Partial-sum (read-circuit) resolution (within the range of "
                                   "the converter kind: docs/circuit-model.md)");
const FieldSpec kMux = integer("columns_per_converter", Limits::between(1, 1024), "16",
                               "Columns sharing one read circuit");

FieldSpec kind() {
    return choice("kind", network_converters(), "integrate_fire",
                  "Read circuit (the converter registry's variants with a component model)");
}

FieldSpec scheme() {
    return choice("scheme", weight_scheme_names(), "offset_column",
                  "How a signed weight sits in the array; networks: offset_column (one cell "
                  "against a reference column) or differential_columns (a pair)");
}

}  // namespace

const FieldList& hardware_input() {
    static const FieldList f{
        input_bits("bits"),
        choice("encoding", input_encoding_names(), "bit_serial",
               "How inputs are applied; networks: bit_serial (the others: macro cards only)"),
    };
    return f;
}

const FieldList& hardware_converter() {
    static const FieldList f{kind(), kAdcBits, kMux};
    return f;
}

const FieldList& hardware_weight() {
    static const FieldList f{scheme()};
    return f;
}

const FieldList& hardware() {
    static const FieldList f = [] {
        auto named = [](FieldSpec s, const char* name) {
            s.name = name;
            return s;
        };
        return FieldList{
            {.name = "enabled",
             .type = FieldType::flag,
             .def = "true",
             .doc = "Cost the training on the circuit model (false: software only)"},
            {.name = "macro",
             .type = FieldType::text,
             .doc = "A macro card (file or card name) the weight layers are tiled onto; it sets "
                    "the read fields (input, converter, weight and their aliases, clock, "
                    "max_array: not given with it; docs/macro-cards.md \"Networks on macros\")",
             .optional = true},
            {.name = "input",
             .type = FieldType::section,
             .doc = "Inputs (macro-card names)",
             .fields = hardware_input()},
            alias(input_bits("input_bits"), "input.bits"),
            {.name = "converter",
             .type = FieldType::section,
             .doc = "Read circuit (macro-card names)",
             .fields = hardware_converter()},
            alias(named(kAdcBits, "adc_bits"), "converter.bits"),
            alias(named(kind(), "read_circuit"), "converter.kind"),
            alias(named(kMux, "read_mux"), "converter.columns_per_converter"),
            integer("write_mux", Limits::between(1, 1024), "16",
                    "Columns sharing one write driver"),
            {.name = "clock",
             .type = FieldType::quantity,
             .dim = u::frequency,
             .unit = "Hz",
             .limits = Limits::positive(),
             .def = "2 GHz",
             .doc = "Clock of the periphery"},
            {.name = "weight",
             .type = FieldType::section,
             .doc = "Signed weights (macro-card names)",
             .fields = hardware_weight()},
            alias(choice("signed_weights", {"reference_column", "differential"}, "reference_column",
                         "reference_column (= weight.scheme offset_column) or differential (= "
                         "differential_columns)"),
                  "weight.scheme"),
            {.name = "max_array",
             .type = FieldType::list,
             .limits = Limits::between(8, 65536),
             .def = "[512, 512]",
             .doc = "Largest subarray as [rows, cols]; larger layers are tiled",
             .item = FieldType::integer},
            {.name = "hidden_threshold",
             .type = FieldType::number,
             .limits = Limits::fraction(),
             .def = "0.5",
             .doc = "Digitisation of hidden activations for the next layer's read"},
            choice("update", {"deterministic", "stochastic"}, "deterministic",
                   "Rounding of Δw to pulses"),
            {.name = "array_wire_width",
             .type = FieldType::quantity,
             .dim = u::length,
             .unit = "m",
             .limits = Limits::positive(),
             // (1e-7 m, not "100 nm": 100 × 1e-9 is not the double nearest to 1e-7, the
             // struct's default.)
             .def = "1e-7 m",
             .doc = "Array wire width, also the array's feature size F (reference: 100 nm)"},
            choice("ir_drop", {"none", "first_order", "exact"}, "none",
                   "IR drop in array reads: off, the first-order model, or the exact nodal solve "
                   "(docs/non-idealities.md)"),
            {.name = "ir_drop_wire_scale",
             .type = FieldType::number,
             .limits = Limits::non_negative(),
             .def = "1",
             .doc = "Multiplies the array wire resistance (sensitivity studies)"},
            choice("program", {"open_loop", "write_verify"}, "open_loop",
                   "How a weight update is programmed: open-loop pulses, or write-verify"),
            {.name = "verify_tolerance",
             .type = FieldType::number,
             .limits = Limits{0.0, 1.0, true, false},
             .def = "0.01",
             .doc = "Write-verify: |G − target| ≤ this × (Gmax − Gmin)"},
            integer("verify_max_pulses", Limits::between(0, 1000), "20",
                    "Write-verify: corrective pulses per cell and update, at most"),
            choice("backprop", {"array_transpose", "digital"}, "array_transpose",
                   "How the error is propagated back through a weight layer "
                   "(docs/training.md, \"Training periphery\")"),
            integer("error_bits", Limits::between(1, 16), "8",
                    "Resolution of the back-propagated error (bit-serial inputs)"),
            integer("state_word_bits", Limits::between(1, 64), "16",
                    "One optimizer-state / batch-buffer word (half precision: 16)"),
            integer("activation_bits", Limits::between(1, 8), "1",
                    "Bit-planes of a hidden activation read by the next layer (1: digitised at "
                    "hidden_threshold, the MLP's reference behaviour)"),
            choice("weight_range", {"unit", "initial"}, "unit",
                   "The logical weight of a full-scale cell, per weight layer: unit: ±1 in every "
                   "layer (the reference's mapping); initial: the layer's initial-weight bound "
                   "divided by initial_fill (docs/training.md, \"Weight range\")"),
            {.name = "initial_fill",
             .type = FieldType::number,
             .limits = Limits{0.0, 1.0, true, false},
             .def = "0.5",
             .doc = "weight_range: initial: the fraction of a cell's conductance range the "
                    "initial weights fill"},
            {.name = "adc_range",
             .type = FieldType::number,
             .limits = Limits{0.0, 1.0, true, false},
             .def = "1",
             .doc = "Fraction of a column's full-scale signal the partial-sum converter's levels "
                    "span (beyond it the output clips); 1: the full scale (docs/training.md, "
                    "\"Weight range\")"},
            // Inference estimate of a layer graph (sim/layer_mapping.hpp).
            {.name = "input_density",
             .type = FieldType::number,
             .limits = Limits::fraction(),
             .def = "0.5",
             .doc = "Assumed fraction of a weight layer's input bits that are 1 (layer-graph "
                    "estimate; no trained weights, so not measured)"},
            integer("duplication", Limits::between(1, 4096), "1",
                    "Copies of each weight layer's arrays, reading positions in parallel"),
            {.name = "per_layer",
             .type = FieldType::section,
             .doc = "Per-layer overrides of input_density and duplication (by layer name)",
             .optional = true,
             .many = true,
             .fields =
                 {
                     {.name = "layer",
                      .type = FieldType::text,
                      .doc = "Name of a weight layer of the graph"},
                     {.name = "input_density",
                      .type = FieldType::number,
                      .limits = Limits::fraction(),
                      .doc = "This layer's assumed input density",
                      .optional = true},
                     {.name = "duplication",
                      .type = FieldType::integer,
                      .limits = Limits::between(1, 4096),
                      .doc = "This layer's copies",
                      .optional = true},
                 }},
        };
    }();
    return f;
}

}  // namespace synbench::circuit::fields
