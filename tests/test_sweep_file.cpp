// Sweep files: parsing and its errors, point names, product vs zip, filter and exclude.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "config/config.hpp"
#include "sweep/filter.hpp"
#include "sweep/sweep_file.hpp"

using namespace synbench;

namespace {

sweep::Sweep parse(const std::string& text) { return sweep::parse_sweep(config::load_string(text, "s.yaml")); }

std::vector<std::string> names(const sweep::Sweep& sw) {
    std::vector<std::string> n;
    for (const auto& p : sw.points) n.push_back(p.name);
    return n;
}

// The message of the config::Error that parsing `text` throws ("" if none).
std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const config::Error& e) {
        return e.what();
    }
    return "";
}

const char* kBase = "tech: tech/32nm.yaml\nnetwork: networks/mlp-400-100-10.yaml\n";

}  // namespace

TEST_CASE("sweep file: product of axes, first axis slowest, points sorted by name", "[sweep]") {
    auto sw = parse(std::string(kBase) +
                    "set:\n  training.epochs: 2\n  training.learning_rate: [0.1, 0.05]\n"
                    "axes:\n  device: [devices/ag-asi.yaml, devices/taox-tio2.yaml]\n  training.optimizer: [sgd, adam, rmsprop]\n  seed: [1, 2]\n");
    REQUIRE(sw.points.size() == 12);
    CHECK(sw.combinations == 12);
    CHECK(sw.mode == "product");
    auto n = names(sw);
    CHECK(std::is_sorted(n.begin(), n.end()));
    CHECK(std::set<std::string>(n.begin(), n.end()).size() == 12);
    CHECK(n.front() == "device=ag-asi_optimizer=adam_seed=1");
    CHECK(n.back() == "device=taox-tio2_optimizer=sgd_seed=2");
    // Every combination exactly once.
    std::set<std::vector<std::size_t>> combos;
    for (const auto& p : sw.points) combos.insert(p.value);
    CHECK(combos.size() == 12);
    // The inputs of one point: base cards, base sets, then the axis values.
    const auto& p = *std::find_if(sw.points.begin(), sw.points.end(), [](const auto& q) { return q.name == "device=taox-tio2_optimizer=rmsprop_seed=2"; });
    CHECK(p.inputs.device->string() == "devices/taox-tio2.yaml");
    CHECK(p.inputs.tech->string() == "tech/32nm.yaml");
    CHECK(p.inputs.seed == 2u);
    REQUIRE(p.inputs.sets.size() == 3);
    CHECK(p.inputs.sets[0] == std::pair<std::string, std::string>{"training.epochs", "2"});
    CHECK(p.inputs.sets[1] == std::pair<std::string, std::string>{"training.learning_rate", "[0.1, 0.05]"});
    CHECK(p.inputs.sets[2] == std::pair<std::string, std::string>{"training.optimizer", "rmsprop"});
}

TEST_CASE("sweep file: zip pairs the i-th values — unequal lengths are an error at the axis", "[sweep]") {
    auto sw = parse(std::string(kBase) + "mode: zip\naxes:\n  device: [devices/a.yaml, devices/b.yaml, devices/c.yaml]\n  seed: [7, 8, 9]\n");
    CHECK(names(sw) == std::vector<std::string>{"device=a_seed=7", "device=b_seed=8", "device=c_seed=9"});
    auto e = error_of(std::string(kBase) + "mode: zip\naxes:\n  device: [devices/a.yaml, devices/b.yaml]\n  seed: [7, 8, 9]\n");
    CHECK_THAT(e, Catch::Contains("s.yaml:6:") && Catch::Contains("axes.seed") && Catch::Contains("equal length"));
}

TEST_CASE("sweep file: names are sanitized, stable and unique", "[sweep]") {
    CHECK(sweep::sanitize("a b/c_d") == "a-b-c-d");
    CHECK(sweep::sanitize("__x__") == "x");
    CHECK(sweep::sanitize("///") == "x");
    CHECK(sweep::sanitize("1e-3") == "1e-3");
    CHECK(sweep::sanitize("[0.4, 0.2]") == "0.4-0.2");
    // A point's name depends only on its own values: adding values to an axis keeps it.
    auto a = parse(std::string(kBase) + "axes:\n  device: [devices/ag-asi.yaml]\n  seed: [1]\n");
    auto b = parse(std::string(kBase) + "axes:\n  device: [devices/ag-asi.yaml, devices/x.yaml]\n  seed: [3, 1]\n");
    auto nb = names(b);
    CHECK(names(a) == std::vector<std::string>{"device=ag-asi_seed=1"});
    CHECK(std::count(nb.begin(), nb.end(), "device=ag-asi_seed=1") == 1);
    // Values that sanitize alike get a hash of their values appended: unique and deterministic.
    const std::string clash = std::string(kBase) + "axes:\n  training.optimizer: [\"a b\", \"a/b\", c]\n";
    auto c1 = names(parse(clash)), c2 = names(parse(clash));
    CHECK(c1 == c2);
    REQUIRE(c1.size() == 3);
    CHECK(std::set<std::string>(c1.begin(), c1.end()).size() == 3);
    CHECK(c1[0].rfind("optimizer=a-b-", 0) == 0);
    CHECK(c1[0].size() == std::string("optimizer=a-b-").size() + 8);
    CHECK(c1[2] == "optimizer=c");
    // Short keys: the last dotted component unless two axes share it.
    auto d = parse(std::string(kBase) + "axes:\n  tech.vdd: [0.9 V]\n  device.read.voltage: [0.5 V]\n  network.x.voltage: [1]\n");
    CHECK(d.axes[0].short_key == "vdd");
    CHECK(d.axes[1].short_key == "device.read.voltage");
    CHECK(d.axes[2].short_key == "network.x.voltage");
    CHECK(d.points[0].name == "vdd=0.9-V_device.read.voltage=0.5-V_network.x.voltage=1");
}

TEST_CASE("sweep file: filter expressions and exclude entries", "[sweep][filter]") {
    const std::string axes = "axes:\n  device: [devices/ag-asi.yaml, devices/taox.yaml]\n  training.optimizer: [sgd, adam]\n  seed: [1, 2, 3]\n";
    auto all = parse(std::string(kBase) + axes);
    CHECK(all.points.size() == 12);
    auto f = parse(std::string(kBase) + axes + "filter: \"optimizer == adam and seed < 3\"\n");
    CHECK(names(f) == std::vector<std::string>{"device=ag-asi_optimizer=adam_seed=1", "device=ag-asi_optimizer=adam_seed=2",
                                               "device=taox_optimizer=adam_seed=1", "device=taox_optimizer=adam_seed=2"});
    CHECK(f.combinations == 12);
    // A list is a conjunction; or/not/in/parentheses; card axes compare by stem or by path.
    auto g = parse(std::string(kBase) + axes + "filter:\n  - \"not (seed in [1, 2])\"\n  - \"device == devices/taox.yaml or training.optimizer != adam\"\n");
    CHECK(names(g) == std::vector<std::string>{"device=ag-asi_optimizer=sgd_seed=3", "device=taox_optimizer=adam_seed=3",
                                               "device=taox_optimizer=sgd_seed=3"});
    auto ex = parse(std::string(kBase) + axes + "exclude:\n  - {device: taox, optimizer: adam}\n  - {seed: [2, 3]}\n");
    CHECK(names(ex) == std::vector<std::string>{"device=ag-asi_optimizer=adam_seed=1", "device=ag-asi_optimizer=sgd_seed=1",
                                                "device=taox_optimizer=sgd_seed=1"});
    // Numbers compare as numbers: 1.0 == 1.
    auto h = parse(std::string(kBase) + axes + "filter: \"seed == 1.0\"\n");
    CHECK(h.points.size() == 4);

    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: \"optimiser == adam\"\n"),
               Catch::Contains("s.yaml:7:") && Catch::Contains("filter") && Catch::Contains("'optimiser' is not an axis"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: [\"seed <\"]\n"), Catch::Contains("filter[0]") && Catch::Contains("expected a value"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: \"optimizer < adam\"\n"), Catch::Contains("needs numbers on both sides"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: \"seed = 1\"\n"), Catch::Contains("did you mean '=='"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: \"seed == 9\"\n"), Catch::Contains("no points left"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "exclude:\n  - {optimiser: adam}\n"), Catch::Contains("exclude[0].optimiser") && Catch::Contains("not an axis"));
}

TEST_CASE("sweep file: errors name the file, line and field", "[sweep]") {
    CHECK_THAT(error_of(kBase), Catch::Contains("field 'axes'") && Catch::Contains("missing required field"));
    CHECK_THAT(error_of(std::string(kBase) + "axes:\n  seed: 3\n"), Catch::Contains("s.yaml:4:") && Catch::Contains("axes.seed") && Catch::Contains("list"));
    CHECK_THAT(error_of(std::string(kBase) + "axes:\n  seed: [1, x]\n"), Catch::Contains("axes.seed[1]") && Catch::Contains("non-negative integer"));
    CHECK_THAT(error_of(std::string(kBase) + "axes:\n  seed: [1, 2, 1]\n"), Catch::Contains("axes.seed[2]") && Catch::Contains("duplicate value"));
    CHECK_THAT(error_of(std::string(kBase) + "axes:\n  \"bad key!\": [1]\n"), Catch::Contains("dotted field path"));
    CHECK_THAT(error_of(std::string(kBase) + "axis:\n  seed: [1]\n"), Catch::Contains("s.yaml:3:") && Catch::Contains("did you mean 'axes'"));
    CHECK_THAT(error_of(std::string(kBase) + "mode: cross\naxes:\n  seed: [1]\n"), Catch::Contains("field 'mode'"));
    CHECK_THAT(error_of(std::string(kBase) + "set: 3\naxes:\n  seed: [1]\n"), Catch::Contains("field 'set'"));
}

TEST_CASE("sweep file: base seed and estimate flag", "[sweep]") {
    auto sw = parse(std::string(kBase) + "seed: 5\nestimate: true\naxes:\n  training.optimizer: [sgd]\n");
    CHECK(sw.estimate);
    REQUIRE(sw.points.size() == 1);
    CHECK(sw.points[0].inputs.sets.front() == std::pair<std::string, std::string>{"seed", "5"});
    CHECK_FALSE(sw.points[0].inputs.seed.has_value());
}
