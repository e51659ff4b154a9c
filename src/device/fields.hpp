// The fields of a device card, declared once (config/fields.hpp): the parser (card.cpp) reads
// them, `synbench cards schema device` and docs/card-reference.md are generated from them. Fields
// that only some device models have are declared by those models in the model registry
// (registry.cpp, `model_variants()`).
#pragma once

#include "config/fields.hpp"
#include "config/schema.hpp"

namespace synbench::device::fields {

// The card's top level, with its sections (source, cell, conductance, digital, ltp, ltd, read,
// variation, drift); `ltp` and `ltd` hold `direction()`.
const config::FieldList& card();
// One programming direction (ltp: / ltd:) without the model-specific fields.
const config::FieldList& direction();
// The fields of a section of card() ("cell", "variation", ...).
const config::FieldList& section(std::string_view name);

// Model-specific fields (listed by the models that have them in the registry).
const config::FieldSpec& nonlinearity_label();  // ltp/ltd `nl` (exponential)
const config::FieldSpec& nonlinearity_a();      // ltp/ltd `a` (exponential)
const config::FieldSpec& d2d_nl();              // variation `d2d_nl` (exponential)
const config::FieldSpec& lookup();              // `lookup:` tables (lookup)
const config::FieldList& lookup_row();          // one row of a lookup table

// The device card's declaration (fields + the model registry's variants), for the schema and
// the docs.
config::CardDecl declaration();

}  // namespace synbench::device::fields
