#include "device/fields.hpp"

#include <stdexcept>

#include "device/model.hpp"

namespace synbench::device::fields {

using config::FieldList;
using config::FieldSpec;
using config::FieldType;
using config::Limits;
using config::section_of;
namespace u = synbench::units;

namespace {

// An optional conductance bound (g_min / g_max), positive, in siemens.
FieldSpec optional_conductance(const char* name, const char* doc) {
    return {.name = name,
            .type = FieldType::quantity,
            .dim = u::conductance,
            .unit = "S",
            .limits = Limits::positive(),
            .doc = doc,
            .optional = true};
}

const FieldList& source_fields() {
    static const FieldList f{
        {.name = "paper", .type = FieldType::text, .doc = "The publication the numbers come from"},
        {.name = "doi", .type = FieldType::text, .def = "", .doc = "Its DOI"},
        {.name = "via",
         .type = FieldType::text,
         .def = "",
         .doc = "Where the numbers were read (e.g. a table of a review or manual)"},
        {.name = "notes",
         .type = FieldType::text,
         .def = "",
         .doc = "How the numbers were derived"},
    };
    return f;
}

const FieldList& cell_fields() {
    static const FieldList f{
        {.name = "type",
         .type = FieldType::choice,
         .choices = {"crossbar", "pseudo_crossbar_1t1r", "digital_sram", "digital_nvm"},
         .doc = "Cell and array organisation (digital types for model: digital only)"},
        {.name = "width",
         .type = FieldType::number,
         .limits = Limits::positive(),
         .doc = "Cell width in feature sizes F (default 2 for crossbar, 4 otherwise)",
         .optional = true},
        {.name = "height",
         .type = FieldType::number,
         .limits = Limits::positive(),
         .doc = "Cell height in feature sizes F (default 2 for crossbar, 4 otherwise)",
         .optional = true},
        {.name = "access_resistance",
         .type = FieldType::quantity,
         .dim = u::resistance,
         .unit = "Ohm",
         .limits = Limits::non_negative(),
         .doc = "On-resistance of the 1T1R access transistor at minimum width (required for "
                "pseudo_crossbar_1t1r; default 0 otherwise)",
         .optional = true},
    };
    return f;
}

const FieldList& conductance_fields() {
    static const FieldList f{
        {.name = "r_on",
         .type = FieldType::quantity,
         .dim = u::resistance,
         .unit = "Ohm",
         .limits = Limits::positive(),
         .doc = "On-state resistance 1/G_max (give with on_off_ratio, or g_min with g_max)",
         .optional = true},
        {.name = "on_off_ratio",
         .type = FieldType::number,
         .limits = Limits{1.0, std::nullopt, true, false},
         .doc = "G_max / G_min (with r_on)",
         .optional = true},
        optional_conductance("g_min", "Minimum conductance (with g_max)"),
        optional_conductance("g_max", "Maximum conductance (with g_min)"),
    };
    return f;
}

const FieldList& digital_fields() {
    static const FieldList f{
        {.name = "bits",
         .type = FieldType::integer,
         .limits = Limits::between(0, 16),
         .doc = "Bits per weight (model: digital needs at least 1; 0 for the analog models)",
         .optional = true},
        {.name = "bits_per_cell",
         .type = FieldType::integer,
         .limits = Limits::between(1, 8),
         .def = "1",
         .doc = "Bits one cell stores (SRAM, STT-MRAM: 1)"},
    };
    return f;
}

const FieldList& read_fields() {
    static const FieldList f{
        {.name = "voltage",
         .type = FieldType::quantity,
         .dim = u::voltage,
         .unit = "V",
         .limits = Limits::positive(),
         .doc = "Read voltage"},
        {.name = "pulse_width",
         .type = FieldType::quantity,
         .dim = u::time,
         .unit = "s",
         .limits = Limits::positive(),
         .doc = "Read pulse of the paper's measurement (provenance only: the read window is the "
                "read circuit's)",
         .optional = true},
    };
    return f;
}

FieldSpec fraction(const char* name, const char* doc) {
    return {.name = name,
            .type = FieldType::quantity,
            .dim = u::dimensionless,
            .limits = Limits::fraction(),
            .def = "0",
            .doc = doc,
            .bare_ok = true};
}

const FieldList& variation_fields() {
    static const FieldList f{
        fraction("c2c",
                 "Cycle-to-cycle σ of one pulse's conductance change, as a fraction of "
                 "G_max − G_min (e.g. 3.5 %)"),
        fraction("d2d_gmax", "Device-to-device σ of G_max, relative"),
        fraction("d2d_gmin", "Device-to-device σ of G_min, relative"),
        fraction("read_noise", "σ of one read, relative to the conductance read"),
        fraction("stuck_at_gmin", "Fraction of cells stuck at G_min"),
        fraction("stuck_at_gmax", "Fraction of cells stuck at G_max"),
    };
    return f;
}

const FieldList& drift_fields() {
    static const FieldList f{
        {.name = "nu",
         .type = FieldType::number,
         .limits = Limits::between(0, 1),
         .def = "0",
         .doc = "Drift exponent: G(t) = G(t0) (t/t0)^-nu (0 = no drift)"},
        {.name = "nu_sigma",
         .type = FieldType::number,
         .limits = Limits::between(0, 1),
         .def = "0",
         .doc = "Device-to-device spread of nu (absolute)"},
        {.name = "t0",
         .type = FieldType::quantity,
         .dim = u::time,
         .unit = "s",
         .limits = Limits::positive(),
         .def = "1 s",
         .doc = "Reference time after programming"},
    };
    return f;
}

}  // namespace

const FieldList& direction() {
    static const FieldList f{
        {.name = "levels",
         .type = FieldType::integer,
         .limits = Limits::between(1, 1 << 20),
         .doc = "Pulses for a full sweep of this direction (model: digital: 2^bits − 1, may be "
                "omitted)",
         .optional = true},
        {.name = "voltage",
         .type = FieldType::quantity,
         .dim = u::voltage,
         .unit = "V",
         .limits = Limits::between(-100, 100),
         .doc = "Write voltage, signed as published (model: digital: default 0 V)",
         .optional = true},
        {.name = "pulse_width",
         .type = FieldType::quantity,
         .dim = u::time,
         .unit = "s",
         .limits = Limits::positive(),
         .doc = "Write pulse width (model: digital: default 1 ns)",
         .optional = true},
        {.name = "voltage_step",
         .type = FieldType::quantity,
         .dim = u::voltage,
         .unit = "V",
         .limits = Limits::between(-10, 10),
         .def = "0 V",
         .doc = "Non-identical pulses: added to |voltage| per pulse"},
        {.name = "width_step",
         .type = FieldType::quantity,
         .dim = u::time,
         .unit = "s",
         .def = "0 s",
         .doc = "Non-identical pulses: added to pulse_width per pulse"},
        optional_conductance(
            "g_min", "Lower end of the range this direction's data cover, if published apart"),
        optional_conductance(
            "g_max", "Upper end of the range this direction's data cover, if published apart"),
    };
    return f;
}

const FieldSpec& nonlinearity_label() {
    static const FieldSpec f{.name = "nl",
                             .type = FieldType::number,
                             .limits = Limits::between(-9.0, 9.0),
                             .doc =
                                 "Nonlinearity label (sign: docs/devices.md, \"Conventions\"); "
                                 "give nl or a",
                             .optional = true};
    return f;
}

const FieldSpec& nonlinearity_a() {
    static const FieldSpec f{.name = "a",
                             .type = FieldType::number,
                             .doc = "Normalized nonlinearity A / Pmax (0 = linear); give nl or a",
                             .optional = true};
    return f;
}

const FieldSpec& d2d_nl() {
    static const FieldSpec f{.name = "d2d_nl",
                             .type = FieldType::number,
                             .limits = Limits::non_negative(),
                             .def = "0",
                             .doc = "Device-to-device σ of the nonlinearity label (absolute)"};
    return f;
}

const FieldList& lookup_row() {
    static const FieldList f{
        {.name = "g",
         .type = FieldType::quantity,
         .dim = u::conductance,
         .unit = "S",
         .limits = Limits::non_negative(),
         .doc = "Conductance of this row (rows by strictly increasing g, inside the device's "
                "range)"},
        {.name = "dg",
         .type = FieldType::quantity,
         .dim = u::conductance,
         .unit = "S",
         .doc = "Signed mean change per pulse at g (LTP >= 0, LTD <= 0)"},
        {.name = "dg_sigma",
         .type = FieldType::quantity,
         .dim = u::conductance,
         .unit = "S",
         .limits = Limits::non_negative(),
         .def = "0 S",
         .doc = "Spread (σ) of the change per pulse"},
    };
    return f;
}

const FieldSpec& lookup() {
    static const FieldSpec f = [] {
        FieldSpec rows{.name = "",
                       .type = FieldType::section,
                       .doc = "",
                       .many = true,
                       .fields = lookup_row()};
        FieldSpec ltp = rows, ltd = rows;
        ltp.name = "ltp";
        ltp.doc = "LTP rows: mean ΔG per pulse against G (at least 2)";
        ltd.name = "ltd";
        ltd.doc = "LTD rows: mean ΔG per pulse against G (at least 2)";
        return FieldSpec{.name = "lookup",
                         .type = FieldType::section,
                         .doc = "Measured look-up tables of the change per pulse",
                         .fields = {ltp, ltd}};
    }();
    return f;
}

const FieldList& card() {
    static const FieldList f{
        {.name = "name", .type = FieldType::text, .doc = "Device name as reports show it"},
        section_of("source", source_fields(), "Where the card's numbers come from"),
        {.name = "model",
         .type = FieldType::choice,
         .choices = model_names(),
         .doc = "Device model (the registry's variants, below)"},
        section_of("cell", cell_fields(), "Cell type and footprint"),
        section_of("conductance", conductance_fields(),
                   "Conductance range: r_on with on_off_ratio, or g_min with g_max"),
        section_of("digital", digital_fields(), "Digital weights (model: digital)"),
        section_of("ltp", direction(), "Potentiation (conductance up) pulses"),
        section_of("ltd", direction(), "Depression (conductance down) pulses"),
        section_of("read", read_fields(), "Read conditions"),
        section_of("variation", variation_fields(), "Variation and faults (analog models)"),
        section_of("drift", drift_fields(), "Conductance drift (analog models)"),
        {.name = "endurance",
         .type = FieldType::number,
         .limits = Limits::positive(),
         .doc = "Programming cycles a cell endures",
         .optional = true},
        {.name = "half_select_disturb",
         .type = FieldType::quantity,
         .dim = u::dimensionless,
         .limits = Limits::between(0, 1),
         .def = "0",
         .doc = "Relative ΔG per half-selected pulse (crossbar cells only)",
         .bare_ok = true},
    };
    return f;
}

const FieldList& section(std::string_view name) {
    return config::section_fields(card(), name, "device card");
}

config::CardDecl declaration() {
    return {
        "device",
        "device card",
        "A synaptic device: what it is, with the paper each number comes from (devices/*.yaml).",
        card(),
        {{"model", model_variants()}},
        {}};
}

}  // namespace synbench::device::fields
