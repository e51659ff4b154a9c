// A card field declared once: its name, type, unit, default, allowed range, one-line meaning and,
// for a constant, where its value comes from. Variants (read circuits, device models, optimizers)
// list their fields as `std::vector<FieldSpec>`; the parser reads them through `config::Section`
// and `synbench cards schema` and the docs' card tables are generated from the same lists.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "units/units.hpp"

namespace synbench::config {

enum class FieldType {
    quantity,  // a number with a unit of `dim` ("50 fJ")
    number,    // a dimensionless real
    integer,
    flag,  // true / false
    text,
    choice,   // one of `choices`
    section,  // a nested mapping (its fields declared by its own list)
    list,     // a list of numbers or quantities
};

struct FieldSpec {
    std::string name;
    FieldType type = FieldType::number;
    units::Dim dim{};                  // for quantities (and lists of quantities)
    std::string unit;                  // the unit the docs show ("fJ", "V"); empty: SI / none
    Limits limits{};                   // allowed range of a number / quantity / integer
    std::optional<std::string> def;    // default as written in a card ("50 fJ"); none: required
    std::vector<std::string> choices;  // for `choice`
    std::string doc;                   // one line: what it means
    std::string source;                // for a constant: where its value comes from
};

using FieldList = std::vector<FieldSpec>;

}  // namespace synbench::config
