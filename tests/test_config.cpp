#include <catch2/catch.hpp>

#include "config/config.hpp"

using namespace synbench;
using Catch::Contains;

namespace {
config::Document doc(const char* text) { return config::load_string(text, "card.yaml"); }
}  // namespace

TEST_CASE("config: fields are read with units, defaults and ranges", "[config]") {
    auto d = doc("name: x\nr_on: 26 MOhm\nlevels: 97\nsub:\n  v: 3.2 V\n");
    config::Section s(d);
    CHECK(s.text("name") == "x");
    CHECK(s.quantity("r_on", units::resistance, config::Limits::positive()) == 26e6);
    CHECK(s.integer("levels") == 97);
    CHECK(s.number("c2c", {}, 0.0) == 0.0);
    auto sub = s.section("sub");
    CHECK(sub.quantity("v", units::voltage) == 3.2);
    sub.finish();
    s.finish();
    auto r = s.resolved();
    CHECK(r["r_on"].as<std::string>() == "26000000 Ohm");
    CHECK(r["c2c"].as<double>() == 0.0);
    CHECK(r["sub"]["v"].as<std::string>() == "3.2 V");  // nested resolved values reach the parent
}

TEST_CASE("config: errors name file, line, field and what was expected", "[config]") {
    SECTION("unknown field with did-you-mean") {
        auto d = doc("name: x\nr_onn: 26 MOhm\n");
        config::Section s(d);
        s.text("name");
        s.maybe_quantity("r_on", units::resistance);
        CHECK_THROWS_WITH(
            s.finish(),
            Contains("card.yaml:2:1: field 'r_onn': unknown field (did you mean 'r_on'?)"));
    }
    SECTION("missing field") {
        auto d = doc("name: x\n");
        config::Section s(d);
        CHECK_THROWS_WITH(
            s.quantity("r_on", units::resistance),
            Contains("field 'r_on': missing required field (expected a resistance in Ohm)"));
    }
    SECTION("wrong type") {
        auto d = doc("levels: [1, 2]\n");
        config::Section s(d);
        CHECK_THROWS_WITH(
            s.integer("levels"),
            Contains("card.yaml:1:9: field 'levels': expected an integer, got a list"));
    }
    SECTION("wrong unit") {
        auto d = doc("a: 1\nr_on: 26 MV\n");
        config::Section s(d);
        CHECK_THROWS_WITH(
            s.quantity("r_on", units::resistance),
            Contains("card.yaml:2:7: field 'r_on': '26 MV' is a voltage, expected a resistance"));
    }
    SECTION("out of range") {
        auto d = doc("sub:\n  c2c: -1\n");
        config::Section s(d);
        auto sub = s.section("sub");
        CHECK_THROWS_WITH(
            sub.number("c2c", config::Limits::between(0, 1)),
            Contains("card.yaml:2:8: field 'sub.c2c': -1 is out of range: expected in [0, 1]"));
    }
    SECTION("bad choice") {
        auto d = doc("optimizer: adamm\n");
        config::Section s(d);
        CHECK_THROWS_WITH(s.choice("optimizer", {"sgd", "adam"}),
                          Contains("'adamm' is not one of: sgd, adam (did you mean 'adam'?)"));
    }
    SECTION("syntax error") {
        CHECK_THROWS_WITH(config::load_string("a: [1, 2\n", "bad.yaml"), Contains("bad.yaml:"));
        CHECK_THROWS_WITH(config::load_string("", "empty.yaml"),
                          Contains("empty.yaml: the file is empty"));
        CHECK_THROWS_WITH(config::load_string("- 1\n- 2\n", "list.yaml"),
                          Contains("expected a mapping"));
    }
    SECTION("unreadable file") {
        CHECK_THROWS_WITH(config::load_file("/nonexistent/x.yaml"),
                          Contains("/nonexistent/x.yaml: cannot be read"));
    }
}

TEST_CASE("config: --set overrides address any key and are named in errors", "[config]") {
    auto d = doc("training:\n  optimizer: sgd\n  epochs: 3\n");
    config::apply_override(d, "training.optimizer", "adam");
    config::apply_override(d, "training.epochs", "x");
    config::Section s(d);
    auto t = s.section("training");
    CHECK(t.choice("optimizer", {"sgd", "adam"}) == "adam");
    CHECK_THROWS_WITH(
        t.integer("epochs"),
        Contains("--set training.epochs: field 'training.epochs': expected an integer, got 'x'"));
    auto [k, v] = config::split_assignment("a.b=[1, 2]");
    CHECK(k == "a.b");
    CHECK(v == "[1, 2]");
    CHECK_THROWS_AS(config::split_assignment("novalue"), config::Error);
}

TEST_CASE("config: merged fields keep their own file in errors", "[config]") {
    auto base = doc("training:\n  epochs: 3\n  optimizer: sgd\n");
    auto over = config::load_string("training:\n  epochs: bad\n", "exp.yaml");
    config::merge_over(base, over.root, "exp.yaml");
    config::Section s(base);
    auto t = s.section("training");
    CHECK(t.choice("optimizer", {"sgd"}) == "sgd");
    CHECK_THROWS_WITH(t.integer("epochs"), Contains("exp.yaml:2:11: field 'training.epochs'"));
}

TEST_CASE("config: edit distance", "[config]") {
    CHECK(config::edit_distance("kitten", "sitting") == 3);
    CHECK(config::edit_distance("", "abc") == 3);
    CHECK(config::edit_distance("same", "same") == 0);
}
