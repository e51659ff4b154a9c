// A card field declared once: its name, type, unit, default, allowed range, one-line meaning and,
// for a constant, where its value comes from. Variants (read circuits, device models, optimizers)
// list their fields as `std::vector<FieldSpec>`; the parser reads them through `config::Section`
// and `synbench cards schema` and the docs' card tables are generated from the same lists.
#pragma once

#include <optional>
#include <string_view>
#include <utility>
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
    std::string name{};
    FieldType type = FieldType::number;
    units::Dim dim{};                    // for quantities (and lists of quantities)
    std::string unit{};                  // the unit the docs show ("fJ", "V"); empty: SI / none
    Limits limits{};                     // allowed range of a number / quantity / integer
    std::optional<std::string> def{};    // default as written in a card ("50 fJ"); none: required
    std::vector<std::string> choices{};  // for `choice`
    std::string doc{};                   // one line: what it means
    std::string source{};                // for a constant: where its value comes from
    // Added for the schema and for reading by declaration (config/fields.cpp); all optional.
    bool optional = false;  // no default, yet not required: absent means "not given"
    bool bare_ok = false;   // a quantity may be a bare number, read in SI units of `dim`
    FieldType item = FieldType::number;  // list: the type of its items (number, quantity, integer)
    bool many = false;                   // section: a list of such mappings (table rows)
    bool named = false;  // section: a mapping from names (free keys) to mappings of `fields`
    std::vector<FieldSpec> fields{};  // section: its fields
    bool open = false;       // section whose fields are not declared here (any mapping passes;
                             // `item` text: its values are texts, list: non-empty lists)
    std::string variants{};  // when only some variants have it: "model: exponential"
    // Another name of the field at the dotted path `alias_of` (relative to this field's mapping):
    // give one of the two. The schema says so and refuses both given together.
    std::string alias_of{};
    // A text naming a card file of this kind ("device"), or that card inline (a mapping): the
    // schema refers to the kind's own schema (sim/card_schema.cpp).
    std::string card{};

    // Required: no default and not optional (sections: required when any field of theirs is).
    bool required() const { return !def && !optional; }
};

using FieldList = std::vector<FieldSpec>;

// A variant of a card (a device model, an optimizer): its name (the discriminator's value), a
// one-line meaning and the fields only it has, by the dotted path of the section they sit in ("" =
// the card's top level, "ltp" = the ltp: block). The registry of the variants is the only list.
struct VariantSpec {
    std::string name;
    std::string doc;
    std::vector<std::pair<std::string, FieldList>> fields;  // (section path, its fields)
    std::vector<std::string> needs;  // dotted fields this variant needs that others may omit
};

// The field `name` of a list; std::logic_error when it is not declared (a programming error).
const FieldSpec& field(const FieldList& list, std::string_view name);
// A section field: the mapping `name` holding `fields` (optional: absent means "not given").
FieldSpec section_of(const char* name, FieldList fields, const char* doc, bool optional = false);
// The fields of the section `name` of a list; std::logic_error naming `kind` ("device card")
// when the list has no such section (a programming error).
const FieldList& section_fields(const FieldList& list, std::string_view name,
                                std::string_view kind);
// The declaration's default read as a number (quantity in SI units, number, integer, flag 0/1).
double default_number(const FieldSpec& f);

}  // namespace synbench::config
