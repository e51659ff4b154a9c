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

#include "config/fields.hpp"
#include "config/schema.hpp"
#include "device/card.hpp"
#include "device/fields.hpp"
#include "device/model.hpp"
#include "nn/network_card.hpp"
#include "nn/network_fields.hpp"
#include "nn/optimizer.hpp"
#include "sim/card_schema.hpp"
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

TEST_CASE("cards schema: every declared field is in the schema, every mapping closed",
          "[fields][schema]") {
    for (const auto& decl : sim::card_declarations()) {
        INFO(decl.kind);
        const auto schema = config::schema_of(decl);
        std::vector<std::pair<std::string, const FieldSpec*>> all;
        const auto merged = config::merged_fields(decl);  // (`all` points into it)
        walk(merged, "", all);
        CHECK(all.size() > 15);
        for (const auto& [path, f] : all) {
            INFO(path);
            const auto* s = schema_at(schema, path);
            REQUIRE(s != nullptr);
            CHECK((*s)["description"].get<std::string>().find(f->doc) == 0);
            if (f->def && f->type != FieldType::section) CHECK(s->contains("default"));
            if (f->type == FieldType::choice) CHECK((*s)["enum"].size() == f->choices.size());
            if (f->type == FieldType::section && !f->open) {
                const Json& m = s->contains("items") ? (*s)["items"] : *s;
                CHECK(m["additionalProperties"] == false);
            }
        }
        CHECK(schema["additionalProperties"] == false);
    }
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
    CHECK(test::run_cli_split("cards schema macro", &out, &err) == 2);
    CHECK_THAT(err, Catch::Contains("no schema for card kind 'macro'"));
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
