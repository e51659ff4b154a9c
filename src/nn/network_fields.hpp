// The fields of a network card (networks/*.yaml, and the network part of an experiment file),
// declared once (config/fields.hpp): the parser (network_card.cpp) reads them, the schema and
// docs/card-reference.md are generated from them. Each optimizer declares its own parameters in
// the optimizer registry (`optimizer_variants()`), the only list of optimizers.
#pragma once

#include "config/fields.hpp"
#include "config/schema.hpp"

namespace synbench::nn::fields {

const config::FieldList& network();   // top level (name, layers, dataset:, training:, hardware:)
const config::FieldList& dataset();   // dataset:
const config::FieldList& training();  // training: without the optimizers' parameters
// One layer of the graph form of `layers:` (a list of these mappings): the union of every layer
// type's fields, each marked with the types that have it.
const config::FieldList& layer();

// A layer type of the graph form: its card spelling (nn::kind_name), meaning, the fields it has
// besides `type`, `name` and `inputs`, and those of them it needs. The only list of layer types.
struct LayerTypeDecl {
    std::string type;
    std::string doc;
    std::vector<std::string> fields;
    std::vector<std::string> needs;
};
const std::vector<LayerTypeDecl>& layer_types();

// Adds to a network card's schema (config::schema_of(declaration())) one rule per layer type on
// the items of the graph form of `layers`: if `type` is T then the fields of other types are
// refused and T's needed fields required — what the parser refuses per layer.
void add_layer_type_rules(nlohmann::ordered_json& network_schema);

config::CardDecl declaration();

}  // namespace synbench::nn::fields

namespace synbench::nn {

// The optimizers, by name (what `training.optimizer` may say), each with its meaning and its own
// parameters (fields of `training:`); sorted as listed in the registry.
const std::vector<config::VariantSpec>& optimizer_variants();
std::vector<std::string> optimizer_names();

}  // namespace synbench::nn
