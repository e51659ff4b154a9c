// The card kinds whose fields are declared (config/fields.hpp), with their JSON Schema and the
// Markdown card reference (docs/card-reference.md) generated from the declarations.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "config/schema.hpp"

namespace synbench::sim {

// device, network (in this order).
std::vector<config::CardDecl> card_declarations();
// The declaration of one kind; nothing when the kind has none.
std::optional<config::CardDecl> card_declaration(const std::string& kind);
std::vector<std::string> schema_kinds();

// The JSON Schema of one kind (with $schema and $id); `kind` empty: every kind as one document
// with $defs, a card validating against any of them.
nlohmann::ordered_json card_schema(const std::string& kind = "");

// docs/card-reference.md, generated.
std::string card_reference_markdown();

}  // namespace synbench::sim
