#include "sweep/sweep_fields.hpp"

namespace synbench::sweep::fields {

using config::FieldList;
using config::FieldSpec;
using config::FieldType;
using config::Limits;

namespace {

FieldSpec optional_text(const char* name, const char* doc) {
    return {.name = name, .type = FieldType::text, .doc = doc, .optional = true};
}

const FieldSpec kName = optional_text(
    "name",
    "Sweep name: the output folder results/<name> (default: the file's name without .yaml)");
const FieldSpec kDescription = optional_text("description", "One line about the sweep");
const FieldSpec kMode{.name = "mode",
                      .type = FieldType::choice,
                      .def = "product",
                      .choices = {"product", "zip"},
                      .doc =
                          "product: every combination of the axes' values (first axis slowest); "
                          "zip: the i-th value of every axis (lists of equal length)"};

FieldSpec axes(const char* doc) {
    return {.name = "axes",
            .type = FieldType::section,
            .doc = doc,
            .item = FieldType::list,
            .open = true};
}

}  // namespace

const FieldList& experiment_sweep() {
    static const FieldList f{
        kName,
        kDescription,
        optional_text("base",
                      "Experiment file the points start from (paths: relative to the "
                      "working directory, else to the sweep file's folder)"),
        optional_text("tech", "Tech card of the base experiment"),
        optional_text("device", "Device card of the base experiment"),
        optional_text("network", "Network card of the base experiment"),
        {.name = "seed",
         .type = FieldType::integer,
         .limits = Limits::non_negative(),
         .doc = "Base seed",
         .optional = true},
        {.name = "set",
         .type = FieldType::section,
         .doc = "Field overrides applied to every point (dotted field: value, as --set)",
         .optional = true,
         .open = true},
        {.name = "estimate",
         .type = FieldType::flag,
         .def = "false",
         .doc = "Circuit model only, no training (also --estimate)"},
        kMode,
        axes("Axes: tech, device, network (card paths), seed, or a dotted field path, each with a "
             "non-empty list of values"),
        {.name = "filter",
         .type = FieldType::list,
         .doc = "Keep the points where every expression holds (\"optimizer == adam and seed < 3\")",
         .optional = true,
         .item = FieldType::text},
        {.name = "exclude",
         .type = FieldType::section,
         .doc = "Drop the points matching every key of an entry (axis: value or [values])",
         .optional = true,
         .many = true,
         .open = true},
    };
    return f;
}

const FieldList& macro_sweep() {
    static const FieldList f{
        kName,
        kDescription,
        {.name = "macro",
         .type = FieldType::text,
         .doc = "The macro card whose fields the axes vary (relative to the sweep file's folder, "
                "else the working directory)"},
        kMode,
        axes("Axes: the macro card's own fields (array.rows, converter.bits, clock, ...), each "
             "with a non-empty list of scalar values"),
    };
    return f;
}

config::CardDecl declaration() {
    return {"sweep",
            "sweep file",
            "A sweep: points expanded from axes of values (sweeps/*.yaml; docs/sweeps.md). One of "
            "two forms: over experiments, or over one macro card's fields (`macro:`).",
            {},
            {},
            {{"experiment-sweep",
              "sweep over experiments",
              "Points are experiments (base + axis values), trained or estimated.",
              experiment_sweep(),
              {},
              {}},
             {"macro-sweep",
              "sweep over a macro card",
              "Points are the macro card with the axis values set, estimated.",
              macro_sweep(),
              {},
              {}}}};
}

}  // namespace synbench::sweep::fields
