// JSON Schema and reference tables generated from field declarations (config/fields.hpp).
//
// The schema (draft 2020-12) of a card is the schema of its top-level FieldList: every mapping
// refuses keys it does not declare (additionalProperties: false), requires the fields without a
// default, states each field's unit, range, default, choices and meaning (+ source). A quantity is
// a string "50 fJ" matching the units of its dimension, or — where the parser accepts a bare
// number (`bare_ok`) — a number in SI units; `minimum`/`maximum` apply to bare numbers (a schema
// cannot convert units). Variants (device models, optimizers) are keyed on their discriminator
// field: the schema lists the union of their fields, each described with the variants that have
// it, and adds one `if`/`then` rule per variant that refuses the other variants' fields and
// requires the fields this variant needs (docs/card-reference.md, "Variants").
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "config/fields.hpp"

namespace synbench::config {

// A card kind's declaration: its fields, and its variants keyed on a dotted discriminator field.
struct VariantGroup {
    std::string discriminator;  // "model", "training.optimizer"
    std::vector<VariantSpec> variants;
};
struct CardDecl {
    std::string kind;   // "device"
    std::string title;  // "device card"
    std::string doc;
    FieldList fields;
    std::vector<VariantGroup> variants;
    // A kind written in one of several forms (a sweep file over experiments or over a macro
    // card): each form is a declaration of its own, the card validates against exactly one
    // (`oneOf`); `fields` and `variants` are then empty.
    std::vector<CardDecl> forms{};
};

// The schema of one field's value, and of a mapping of fields.
nlohmann::ordered_json schema_of(const FieldSpec& f);
nlohmann::ordered_json schema_of(const FieldList& fields);
// The schema of a card: its fields with its variants merged in and their rules.
nlohmann::ordered_json schema_of(const CardDecl& card);
// The card's fields with every variant's fields merged in at their sections (each described with
// the variants that have it): what the card may contain at all.
FieldList merged_fields(const CardDecl& card);

// The Markdown reference of a card: one table per mapping (dotted section names), then the
// variants with their fields.
std::string reference_markdown(const CardDecl& card);

}  // namespace synbench::config
