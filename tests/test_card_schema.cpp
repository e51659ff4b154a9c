// Card fields declared once (config/fields.hpp): the parser reads through the declarations, the
// JSON Schema is generated from them and the registries are the only lists of variants (issue 12
// steps 5 and 6). The schema's validation of every shipped card with an independent validator is
// the CTest "cards: every card validates against its JSON Schema" (tools/check-card-schema).
#include <catch2/catch.hpp>

#include <filesystem>
#include <algorithm>
#include <functional>
#include <regex>
#include <set>

#include "circuit/hardware_fields.hpp"
#include "circuit/macro_card.hpp"
#include "circuit/macro_fields.hpp"
#include "circuit/options.hpp"
#include "config/fields.hpp"
#include "config/schema.hpp"
#include "device/card.hpp"
#include "device/fields.hpp"
#include "device/model.hpp"
#include "nn/network_card.hpp"
#include "nn/network_fields.hpp"
#include "nn/optimizer.hpp"
#include "sim/card_schema.hpp"
#include "tech/card.hpp"
#include "tech/fields.hpp"
#include "util/files.hpp"
#include "run_fixture.hpp"

using namespace synbench;
using config::FieldSpec;
using config::FieldType;
using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

config::Document doc_of(const std::string& text) { return config::load_string(text, "t.yaml"); }

std::string error_of(const std::function<void()>& f) {
    try {
        f();
        return "ok";
    } catch (const config::Error& e) {
        return e.what();
    }
}

// Every (dotted path, field) of a field list, sections included.
void walk(const config::FieldList& list, const std::string& prefix,
          std::vector<std::pair<std::string, const FieldSpec*>>& out) {
    for (const auto& f : list) {
        const auto path = prefix.empty() ? f.name : prefix + "." + f.name;
        out.emplace_back(path, &f);
        if (f.type == FieldType::section) walk(f.fields, path, out);
    }
}

// The schema of the mapping at a dotted path (through arrays of mappings).
const Json* schema_at(const Json& s, const std::string& path) {
    const Json* cur = &s;
    std::size_t at = 0;
    while (at <= path.size()) {
        auto dot = path.find('.', at);
        auto key = path.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
        if (cur->contains("items")) cur = &(*cur)["items"];
        // A mapping of named mappings (a tech card's flavours): the schema of each.
        if (!cur->contains("properties") && cur->contains("additionalProperties") &&
            (*cur)["additionalProperties"].is_object())
            cur = &(*cur)["additionalProperties"];
        if (!cur->contains("properties") || !(*cur)["properties"].contains(key)) return nullptr;
        cur = &(*cur)["properties"][key];
        if (dot == std::string::npos) break;
        at = dot + 1;
    }
    return cur;
}

std::vector<fs::path> cards_in(const char* folder) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(fs::path(SYNBENCH_SOURCE_DIR) / folder))
        if (e.path().extension() == ".yaml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("fields: a section reads a field by its declaration (type, unit, range, default)",
          "[fields]") {
    const FieldSpec t0{.name = "t0",
                       .type = FieldType::quantity,
                       .dim = units::time,
                       .unit = "s",
                       .limits = config::Limits::positive(),
                       .def = "1 ms"};
    const FieldSpec n{
        .name = "n", .type = FieldType::integer, .limits = config::Limits::between(1, 8)};
    {
        auto d = doc_of("n: 3\n");
        config::Section s(d);
        CHECK(s.read_number(t0) == 1e-3);  // the declared default, parsed with its unit
        CHECK(s.read_integer(n) == 3);
        s.finish();
        CHECK(config::to_yaml(s.resolved()) == "t0: 0.001 s\nn: 3\n");
    }
    {
        auto d = doc_of("t0: 300 us\nn: 9\n");
        config::Section s(d);
        CHECK(s.read_number(t0) == Approx(300e-6).epsilon(1e-15));
        CHECK(error_of([&] { s.read_integer(n); }) ==
              "t.yaml:2:4: field 'n': value 9 is out of range: expected in [1, 8]");
    }
    {
        auto d = doc_of("t0: 3 V\n");
        config::Section s(d);
        CHECK_THAT(error_of([&] { s.read_number(t0); }),
                   Catch::StartsWith("t.yaml:1:5: field 't0': "));
        CHECK(error_of([&] { s.read_integer(n); }) ==
              "t.yaml:1:1: field 'n': missing required field (expected an integer)");
    }
}

TEST_CASE("fields: a quantity's schema pattern accepts its dimension's units only", "[fields]") {
    const FieldSpec v{.name = "v", .type = FieldType::quantity, .dim = units::voltage};
    const auto s = config::schema_of(v);
    REQUIRE(s.contains("pattern"));
    const std::regex re(s["pattern"].get<std::string>(), std::regex::ECMAScript);
    for (const char* ok : {"3.2 V", "-2.8 V", "500 mV", "1e-3 kV", ".5V", "+1 uV"})
        CHECK(std::regex_match(std::string(ok), re));
    for (const char* bad : {"3.2", "3.2 s", "three V", "3.2 VV", "3.2 Ohm", "V"})
        CHECK_FALSE(std::regex_match(std::string(bad), re));
    // A dimensionless quantity: the number alone, or with % / ppm.
    const FieldSpec c{.name = "c", .type = FieldType::quantity, .bare_ok = true};
    const auto sc = config::schema_of(c);
    const std::regex rc(sc["anyOf"][1]["pattern"].get<std::string>(), std::regex::ECMAScript);
    for (const char* ok : {"3.5 %", "0.035", "35000 ppm"})
        CHECK(std::regex_match(std::string(ok), rc));
    CHECK_FALSE(std::regex_match(std::string("3.5 V"), rc));
    CHECK(sc["anyOf"][0] == Json({{"type", "number"}}));
}

namespace {
// A kind's declarations: the card's, or each of its forms (a sweep file's two).
std::vector<config::CardDecl> forms_of(const config::CardDecl& d) {
    return d.forms.empty() ? std::vector<config::CardDecl>{d} : d.forms;
}
}  // namespace

TEST_CASE("cards schema: every declared field is in the schema, every mapping closed",
          "[fields][schema]") {
    std::vector<std::string> kinds;
    for (const auto& card : sim::card_declarations()) {
        kinds.push_back(card.kind);
        const auto printed = sim::card_schema(card.kind);
        std::size_t fields = 0;
        for (std::size_t i = 0; i < forms_of(card).size(); ++i) {
            const auto decl = forms_of(card)[i];
            INFO(card.kind << " " << decl.kind);
            const Json& schema = card.forms.empty() ? printed : printed["oneOf"][i];
            std::vector<std::pair<std::string, const FieldSpec*>> all;
            const auto merged = config::merged_fields(decl);  // (`all` points into it)
            walk(merged, "", all);
            fields += all.size();
            for (const auto& [path, f] : all) {
                INFO(path);
                const auto* s = schema_at(schema, path);
                REQUIRE(s != nullptr);
                CHECK((*s)["description"].get<std::string>().find(f->doc) == 0);
                if (f->def && f->type != FieldType::section) CHECK(s->contains("default"));
                if (f->type == FieldType::choice) CHECK((*s)["enum"].size() == f->choices.size());
                if (f->type == FieldType::section && !f->open) {
                    const Json& m = s->contains("items") ? (*s)["items"]
                                    : (*s)["additionalProperties"].is_object()
                                        ? (*s)["additionalProperties"]
                                        : *s;
                    CHECK(m["additionalProperties"] == false);
                }
                // An alias says so and is refused together with the field it names.
                if (!f->alias_of.empty())
                    CHECK_THAT((*s)["description"].get<std::string>(),
                               Catch::Contains("Alias of `" + f->alias_of + "`"));
                // A card by path or inline: the inline form is that kind's schema.
                if (!f->card.empty()) CHECK((*s)["anyOf"][1]["$ref"] == "#/$defs/" + f->card);
            }
            CHECK(schema["additionalProperties"] == false);
        }
        CHECK(fields > 15);
    }
    CHECK(kinds == std::vector<std::string>{"tech", "device", "network", "macro", "sweep"});
    // A macro card's inline device card is checked against the device schema.
    CHECK(sim::card_schema("macro")["$defs"]["device"]["properties"]["model"]["enum"].size() ==
          device::model_names().size());
    // The hardware block: every alias refused together with its macro-card name.
    const auto hw = sim::card_schema("network")["properties"]["hardware"];
    CHECK(hw["allOf"].size() == 5);
    CHECK(hw["allOf"][0] == Json::parse(R"({"not": {"required": ["input_bits", "input"],
                                          "properties": {"input": {"required": ["bits"]}}}})"));
}

TEST_CASE("cards schema: the variants are the registries' (device models, optimizers)",
          "[fields][schema]") {
    const auto dev = sim::card_schema("device");
    // The model enum is the registry.
    std::vector<std::string> models;
    for (const auto& m : dev["properties"]["model"]["enum"]) models.push_back(m);
    CHECK(models == device::model_names());
    CHECK(device::model_variants().size() == device::model_registry().size());
    // One rule per variant that has one: exponential's own fields are refused elsewhere.
    std::size_t refusing_nl = 0;
    for (const auto& rule : dev["allOf"]) {
        const auto model = rule["if"]["properties"]["model"]["const"].get<std::string>();
        const auto& then = rule["then"];
        const bool refuses = then.contains("properties") && then["properties"].contains("ltp") &&
                             then["properties"]["ltp"]["properties"].contains("nl");
        CHECK(refuses == (model != "exponential"));
        refusing_nl += refuses;
        if (model == "digital") CHECK(then["properties"]["digital"]["required"] == Json({"bits"}));
        if (model == "lookup") CHECK(then["required"].dump().find("lookup") != std::string::npos);
    }
    CHECK(refusing_nl == device::model_names().size() - 1);
    CHECK(dev["properties"]["ltp"]["properties"]["nl"]["description"].get<std::string>().find(
              "(model: exponential only)") != std::string::npos);

    // Optimizers: the registry is what the card may name, and each one builds.
    const auto net = sim::card_schema("network");
    std::vector<std::string> opts;
    for (const auto& o : net["properties"]["training"]["properties"]["optimizer"]["enum"])
        opts.push_back(o);
    CHECK(opts == nn::optimizer_names());
    for (const auto& name : nn::optimizer_names()) {
        nn::OptimizerSpec spec;
        spec.name = name;
        spec.learning_rate = {0.1};
        CHECK_NOTHROW(nn::Optimizer(spec, {4}));
    }
    // epsilon is adam's (among others), not sgd's or momentum's.
    CHECK(net["properties"]["training"]["properties"]["epsilon"]["description"]
              .get<std::string>()
              .find("(training.optimizer: adagrad, rmsprop, adam, adadelta only)") !=
          std::string::npos);
}

TEST_CASE("cards schema: every field a shipped card's parse records is declared",
          "[fields][schema]") {
    // The parser reads what is declared: the resolved card (every field read, defaults filled in)
    // holds only declared fields, at their declared places.
    const auto decl = device::fields::declaration();
    std::vector<std::pair<std::string, const FieldSpec*>> all;
    const auto merged = config::merged_fields(decl);  // (`all` points into it)
    walk(merged, "", all);
    std::set<std::string> declared;
    for (const auto& [p, f] : all) declared.insert(p);
    std::size_t cards = 0;
    for (const auto& p : cards_in("devices")) {
        INFO(p.string());
        const auto card = device::load_card(p);
        std::function<void(const YAML::Node&, const std::string&)> check =
            [&](const YAML::Node& n, const std::string& at) {
                for (auto it = n.begin(); it != n.end(); ++it) {
                    const auto key = it->first.Scalar();
                    const auto path = at.empty() ? key : at + "." + key;
                    if (path.rfind("lookup.", 0) == 0) continue;  // table rows: checked below
                    CHECK(declared.count(path) == 1);
                    if (it->second.IsMap()) check(it->second, path);
                }
            };
        check(card.resolved, "");
        ++cards;
    }
    CHECK(cards == cards_in("devices").size());
    CHECK(cards >= 10);
}

namespace {
// Every key of a parse's resolved tree is a declared field at its declared place; `seen` gets
// their paths (a named mapping's entries as NAME.*, a list's as NAME[]).
void check_declared(const YAML::Node& n, const config::FieldList& list, const std::string& at,
                    std::set<std::string>& seen) {
    for (auto it = n.begin(); it != n.end(); ++it) {
        const auto key = it->first.Scalar();
        INFO(at + key);
        const auto f =
            std::find_if(list.begin(), list.end(), [&](auto& x) { return x.name == key; });
        REQUIRE(f != list.end());
        seen.insert(at + key);
        const YAML::Node v = it->second;
        if (f->type != FieldType::section || f->open || !v.IsDefined() || v.IsNull()) continue;
        if (f->named) {
            for (auto e = v.begin(); e != v.end(); ++e)
                check_declared(e->second, f->fields, at + key + ".*.", seen);
        } else if (f->many) {
            for (auto e = v.begin(); e != v.end(); ++e)
                check_declared(*e, f->fields, at + key + "[].", seen);
        } else {
            check_declared(v, f->fields, at + key + ".", seen);
        }
    }
}

// Every declared path, as check_declared names them.
void declared_paths(const config::FieldList& list, const std::string& at,
                    std::set<std::string>& out) {
    for (const auto& f : list) {
        out.insert(at + f.name);
        if (f.type != FieldType::section || f.open) continue;
        declared_paths(f.fields, at + f.name + (f.named ? ".*." : f.many ? "[]." : "."), out);
    }
}

// The declared fields no parse of `seen` read.
std::vector<std::string> unread(const config::FieldList& list, const std::set<std::string>& seen) {
    std::set<std::string> all;
    declared_paths(list, "", all);
    std::vector<std::string> out;
    for (const auto& p : all)
        if (!seen.count(p)) out.push_back(p);
    return out;
}
}  // namespace

TEST_CASE("cards schema: the tech, macro and hardware parsers read exactly what is declared",
          "[fields][schema]") {
    // Every field a parse records is declared at its place, and every declared field is read by
    // the parse of some shipped card (a declaration the parser ignores would be refused by the
    // parser's finish() while the schema accepts it); the exceptions are listed with the reason.
    std::set<std::string> seen;
    for (const auto& p : cards_in("tech")) {
        INFO(p.string());
        check_declared(tech::load_card(p).resolved, tech::fields::card(), "", seen);
    }
    CHECK(seen.size() > 80);
    CHECK(unread(tech::fields::card(), seen) == std::vector<std::string>{});
    seen.clear();
    for (const auto& p : cards_in("macros")) {
        INFO(p.string());
        check_declared(circuit::load_macro_card(p).resolved, circuit::macro_fields::card(), "",
                       seen);
    }
    CHECK(unread(circuit::macro_fields::card(), seen) == std::vector<std::string>{});
    seen.clear();
    for (const auto& p : cards_in("networks")) {
        INFO(p.string());
        auto d = config::load_file(p);
        config::Section s(d);
        auto hw = s.section("hardware");
        check_declared(circuit::parse_hardware(hw).resolved, circuit::fields::hardware(), "", seen);
    }
    // The shipped network cards use the flat names (the macro-card names are read by the test
    // below), no hardware.macro (a reference recorded only when given; tests/test_macro*.cpp) and
    // no per-layer estimate override (tests/test_layer_mapping.cpp).
    CHECK(unread(circuit::fields::hardware(), seen) ==
          std::vector<std::string>{"converter.bits", "converter.columns_per_converter",
                                   "converter.kind", "input.bits", "input.encoding", "macro",
                                   "per_layer[].duplication", "per_layer[].input_density",
                                   "per_layer[].layer", "weight.scheme"});
}

TEST_CASE("fields: hardware aliases and macro-card names read the same, never both", "[fields]") {
    auto parse = [](const std::string& text) {
        auto d = config::load_string(text, "hw.yaml");
        config::Section s(d);
        return circuit::parse_hardware(s);
    };
    const auto flat = parse(
        "adc_bits: 5\nread_circuit: sar\nread_mux: 8\n"
        "signed_weights: differential\ninput_bits: 2\n");
    const auto named = parse(
        "converter: {bits: 5, kind: sar, columns_per_converter: 8}\n"
        "weight: {scheme: differential_columns}\ninput: {bits: 2}\n");
    for (const auto& h : {flat, named}) {
        CHECK(h.adc_bits == 5);
        CHECK(h.read_circuit == "sar");
        CHECK(h.read_mux == 8);
        CHECK(h.signed_weights == circuit::SignedWeights::differential);
        CHECK(h.input_bits == 2);
    }
    CHECK(error_of([&] { parse("adc_bits: 5\nconverter: {bits: 5}\n"); }) ==
          "hw.yaml:1:11: field 'adc_bits': given twice: as 'adc_bits' and as 'converter.bits' "
          "(its macro-card name); keep one");
    // The declared defaults (hardware_fields.cpp) are the struct's.
    const auto def = parse("{}\n");
    const circuit::HardwareOptions h0;
    CHECK(def.array_wire_width == h0.array_wire_width);
    CHECK(def.clock == h0.clock);
    CHECK(def.max_rows == h0.max_rows);
    CHECK(def.max_cols == h0.max_cols);
    CHECK(def.read_mux == h0.read_mux);
    CHECK(def.adc_bits == h0.adc_bits);
    CHECK(def.read_circuit == h0.read_circuit);
    CHECK(def.verify_tolerance == h0.verify_tolerance);
    CHECK(def.state_word_bits == h0.state_word_bits);
}

TEST_CASE("fields: an optimizer's parameters belong to it", "[fields]") {
    const auto net =
        util::read_file(fs::path(SYNBENCH_SOURCE_DIR) / "tests/data/bad-input/network.yaml");
    auto parse = [](const std::string& text) {
        auto d = config::load_string(text, "net.yaml");
        config::Section s(d);
        auto n = nn::parse_network(s);
        return std::make_pair(n, s.resolved());
    };
    auto with = [&](const std::string& extra) {
        auto at = net.find("  learning_rate:");
        REQUIRE(at != std::string::npos);
        return std::string(net).insert(at, extra);
    };
    // sgd: another optimizer's parameter at its default passes (old run directories list it),
    // at any other value it is an error naming the optimizers that have it.
    CHECK(error_of([&] { parse(with("  beta1: 0.9\n")); }) == "ok");
    CHECK_THAT(error_of([&] { parse(with("  beta1: 0.5\n")); }),
               Catch::Contains("field 'training.beta1': 'beta1' is a parameter of optimizer "
                               "adam, not of this card's optimizer 'sgd': remove it (or choose "
                               "one of those optimizers)"));
    // adam: its own parameters, declared defaults filled in, no other optimizer's in the result.
    auto at = net.find("optimizer: sgd");
    REQUIRE(at != std::string::npos);
    auto adam = std::string(net).replace(at, 14, "optimizer: adam\n  beta1: 0.8");
    auto [n, resolved] = parse(adam);
    CHECK(n.training.optimizer.beta1 == 0.8);
    CHECK(n.training.optimizer.beta2 == 0.9);
    CHECK(n.training.optimizer.epsilon == 1e-5);
    CHECK(resolved["training"]["epsilon"].as<double>() == 1e-5);
    CHECK_FALSE(resolved["training"]["momentum"].IsDefined());
    CHECK_FALSE(resolved["training"]["rho"].IsDefined());
}

TEST_CASE("docs: the card reference lists every declared field", "[fields][schema]") {
    const auto md = sim::card_reference_markdown();
    for (const auto& decl : sim::card_declarations()) {
        std::vector<std::pair<std::string, const FieldSpec*>> all;
        const auto merged = config::merged_fields(decl);  // (`all` points into it)
        walk(merged, "", all);
        for (const auto& [path, f] : all) {
            INFO(decl.kind << " " << path);
            CHECK(md.find("| `" + f->name + "` |") != std::string::npos);
        }
    }
}

TEST_CASE("cli: cards schema, list and show, config show", "[fields][cli]") {
    std::string out, err;
    // The schema is JSON with the draft named; a kind without declarations is refused by name.
    REQUIRE(test::run_cli_split("cards schema network", &out, &err) == 0);
    const auto net = Json::parse(out);
    CHECK(net["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    CHECK(net["properties"]["training"]["required"] ==
          Json({"epochs", "images_per_epoch", "learning_rate"}));
    CHECK(test::run_cli_split("cards schema experiment", &out, &err) == 2);
    CHECK_THAT(err, Catch::Contains("no schema for card kind 'experiment': the kinds whose "
                                    "fields are declared are tech, device, network, macro, sweep"));
    REQUIRE(test::run_cli_split("cards schema macro", &out, &err) == 0);
    CHECK(Json::parse(out)["required"] ==
          Json({"name", "source", "tech", "device", "array", "rows_active", "weight", "input",
                "converter", "output", "clock"}));
    // The listing is the card folders of the search path: every device card, by name.
    REQUIRE(test::run_cli_split("cards list device", &out, &err) == 0);
    for (const auto& p : cards_in("devices"))
        CHECK_THAT(out, Catch::Contains("device  " + p.stem().string() + " "));
    CHECK(static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n')) ==
          cards_in("devices").size());
    // show: the card's text after the file it resolves to.
    REQUIRE(test::run_cli_split("cards show taox-tio2", &out, &err) == 0);
    const auto file = fs::path(SYNBENCH_SOURCE_DIR) / "devices/taox-tio2.yaml";
    CHECK(out == "# device card: " + fs::canonical(file).string() + "\n" + util::read_file(file));
    CHECK(test::run_cli_split("cards show no-such-card", &out, &err) == 2);
    CHECK_THAT(err, Catch::Contains("no card 'no-such-card'"));
    // config show: the resolved configuration with overrides and defaults, without running.
    REQUIRE(test::run_cli_split("config show --tech 32nm --device ag-asi --network mlp-400-100-10 "
                                "--set training.epochs=3",
                                &out, &err) == 0);
    CHECK_THAT(out, Catch::Contains("\ntraining:\n  epochs: 3\n  images_per_epoch: 8000\n"));
    CHECK_THAT(out, Catch::Contains("  test_images: 0\n"));  // a default filled in
    CHECK_THAT(out, !Catch::Contains("momentum"));           // not the SGD card's parameter
    CHECK(test::run_cli_split("config show --tech 32nm --device ag-asi --network mlp-400-100-10 "
                              "--set training.beta1=0.5",
                              &out, &err) == 2);
    CHECK_THAT(err, Catch::Contains("'beta1' is a parameter of optimizer adam"));
}
