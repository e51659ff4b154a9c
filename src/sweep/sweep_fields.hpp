// The fields of a sweep file (sweeps/*.yaml), declared once (config/fields.hpp): the parsers
// (sweep/sweep_file.cpp for sweeps over experiments, sweep/macro_sweep.cpp for sweeps over a macro
// card's fields) read them; `synbench cards schema sweep` and docs/card-reference.md are generated
// from them. A sweep file is one of the two forms (a macro sweep has `macro:`).
#pragma once

#include "config/fields.hpp"
#include "config/schema.hpp"

namespace synbench::sweep::fields {

const config::FieldList& experiment_sweep();  // base/tech/device/network, set, filter, ...
const config::FieldList& macro_sweep();       // macro: and the card's fields as axes

config::CardDecl declaration();

}  // namespace synbench::sweep::fields
