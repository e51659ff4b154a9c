// The fields of a network card's `hardware:` block (circuit/options.cpp reads them), declared once
// (config/fields.hpp): `synbench cards schema network` and docs/card-reference.md show them. The
// macro-card names (`input.bits`, `converter.kind`, `weight.scheme`, ...) and today's flat names
// (`input_bits`, `read_circuit`, `signed_weights`, ...) are both declared, each flat name as an
// alias of the other (docs/circuit-model.md "Hardware block").
#pragma once

#include "config/fields.hpp"

namespace synbench::circuit::fields {

const config::FieldList& hardware();            // the block's top level, with its sections
const config::FieldList& hardware_input();      // hardware.input
const config::FieldList& hardware_converter();  // hardware.converter
const config::FieldList& hardware_weight();     // hardware.weight

}  // namespace synbench::circuit::fields
