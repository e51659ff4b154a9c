// The fields of a macro card (macros/*.yaml), declared once (config/fields.hpp): the parser
// (circuit/macro_card.cpp) reads them, `synbench cards schema macro` and docs/card-reference.md
// are generated from them (docs/macro-cards.md explains what each models).
#pragma once

#include <string_view>

#include "config/fields.hpp"
#include "config/schema.hpp"

namespace synbench::circuit::macro_fields {

const config::FieldList& card();  // the top level, with its sections
// The fields of a section of card() ("array", "weight", "converter", ...).
const config::FieldList& section(std::string_view name);

config::CardDecl declaration();

}  // namespace synbench::circuit::macro_fields
