// The fields of a technology card (tech/*.yaml), declared once (config/fields.hpp): the parser
// (tech/card.cpp) reads them, `synbench cards schema tech` and docs/card-reference.md are
// generated from them.
#pragma once

#include <string_view>

#include "config/fields.hpp"
#include "config/schema.hpp"

namespace synbench::tech::fields {

const config::FieldList& card();     // the top level, with its sections
const config::FieldList& flavour();  // one flavour of flavours: (flavours.NAME)
const config::FieldList& table();    // a table of flavours.NAME.currents: {unit, values}
// The fields of a section of card() ("junction", "wire", "design", ...) or of flavour()
// ("fin", "currents"); of design() ("design.sram", ...) by dotted name.
const config::FieldList& section(std::string_view dotted);

config::CardDecl declaration();

}  // namespace synbench::tech::fields
