// Sweep files: parsing and its errors, point names, product vs zip, filter and exclude.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "config/config.hpp"
#include "sweep/filter.hpp"
#include "sweep/sweep_file.hpp"

using namespace synbench;

namespace {

sweep::Sweep parse(const std::string& text) {
    return sweep::parse_sweep(config::load_string(text, "s.yaml"));
}

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
                    "axes:\n  device: [devices/ag-asi.yaml, devices/taox-tio2.yaml]\n  "
                    "training.optimizer: [sgd, adam, rmsprop]\n  seed: [1, 2]\n");
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
    const auto& p = *std::find_if(sw.points.begin(), sw.points.end(), [](const auto& q) {
        return q.name == "device=taox-tio2_optimizer=rmsprop_seed=2";
    });
    const auto in = sweep::point_inputs(sw, p);
    CHECK(in.device->string() == "devices/taox-tio2.yaml");
    CHECK(in.tech->string() == "tech/32nm.yaml");
    CHECK(in.seed == 2u);
    REQUIRE(in.sets.size() == 3);
    CHECK(in.sets[0] == std::pair<std::string, std::string>{"training.epochs", "2"});
    CHECK(in.sets[1] ==
          std::pair<std::string, std::string>{"training.learning_rate", "[0.1, 0.05]"});
    CHECK(in.sets[2] == std::pair<std::string, std::string>{"training.optimizer", "rmsprop"});
}

TEST_CASE("sweep file: zip pairs the i-th values — unequal lengths are an error at the axis",
          "[sweep]") {
    auto sw = parse(std::string(kBase) +
                    "mode: zip\naxes:\n  device: [devices/a.yaml, devices/b.yaml, "
                    "devices/c.yaml]\n  seed: [7, 8, 9]\n");
    CHECK(names(sw) ==
          std::vector<std::string>{"device=a_seed=7", "device=b_seed=8", "device=c_seed=9"});
    auto e = error_of(
        std::string(kBase) +
        "mode: zip\naxes:\n  device: [devices/a.yaml, devices/b.yaml]\n  seed: [7, 8, 9]\n");
    CHECK_THAT(e, Catch::Contains("s.yaml:6:") && Catch::Contains("axes.seed") &&
                      Catch::Contains("equal length"));
}

TEST_CASE("sweep file: names are sanitized, stable and unique", "[sweep]") {
    CHECK(sweep::sanitize("a b/c_d") == "a-b-c-d");
    CHECK(sweep::sanitize("__x__") == "x");
    CHECK(sweep::sanitize("///") == "x");
    CHECK(sweep::sanitize("1e-3") == "1e-3");
    CHECK(sweep::sanitize("[0.4, 0.2]") == "0.4-0.2");
    // A point's name depends only on its own values: adding values to an axis keeps it.
    auto a = parse(std::string(kBase) + "axes:\n  device: [devices/ag-asi.yaml]\n  seed: [1]\n");
    auto b = parse(std::string(kBase) +
                   "axes:\n  device: [devices/ag-asi.yaml, devices/x.yaml]\n  seed: [3, 1]\n");
    auto nb = names(b);
    CHECK(names(a) == std::vector<std::string>{"device=ag-asi_seed=1"});
    CHECK(std::count(nb.begin(), nb.end(), "device=ag-asi_seed=1") == 1);
    // Values that sanitize alike get a hash of their values appended: unique and deterministic.
    const std::string clash =
        std::string(kBase) + "axes:\n  training.optimizer: [\"a b\", \"a/b\", c]\n";
    auto c1 = names(parse(clash)), c2 = names(parse(clash));
    CHECK(c1 == c2);
    REQUIRE(c1.size() == 3);
    CHECK(std::set<std::string>(c1.begin(), c1.end()).size() == 3);
    CHECK(c1[0].rfind("optimizer=a-b-", 0) == 0);
    CHECK(c1[0].size() == std::string("optimizer=a-b-").size() + 8);
    CHECK(c1[2] == "optimizer=c");
    // Short keys: the last dotted component unless two axes share it.
    auto d = parse(
        std::string(kBase) +
        "axes:\n  tech.vdd: [0.9 V]\n  device.read.voltage: [0.5 V]\n  network.x.voltage: [1]\n");
    CHECK(d.axes[0].short_key == "vdd");
    CHECK(d.axes[1].short_key == "device.read.voltage");
    CHECK(d.axes[2].short_key == "network.x.voltage");
    CHECK(d.points[0].name == "vdd=0.9-V_device.read.voltage=0.5-V_network.x.voltage=1");
}

TEST_CASE("sweep file: filter expressions and exclude entries", "[sweep][filter]") {
    const std::string axes =
        "axes:\n  device: [devices/ag-asi.yaml, devices/taox.yaml]\n  training.optimizer: [sgd, "
        "adam]\n  seed: [1, 2, 3]\n";
    auto all = parse(std::string(kBase) + axes);
    CHECK(all.points.size() == 12);
    auto f = parse(std::string(kBase) + axes + "filter: \"optimizer == adam and seed < 3\"\n");
    CHECK(names(f) == std::vector<std::string>{"device=ag-asi_optimizer=adam_seed=1",
                                               "device=ag-asi_optimizer=adam_seed=2",
                                               "device=taox_optimizer=adam_seed=1",
                                               "device=taox_optimizer=adam_seed=2"});
    CHECK(f.combinations == 12);
    // A list is a conjunction; or/not/in/parentheses; card axes compare by stem or by path.
    auto g = parse(std::string(kBase) + axes +
                   "filter:\n  - \"not (seed in [1, 2])\"\n  - \"device == devices/taox.yaml or "
                   "training.optimizer != adam\"\n");
    CHECK(names(g) == std::vector<std::string>{"device=ag-asi_optimizer=sgd_seed=3",
                                               "device=taox_optimizer=adam_seed=3",
                                               "device=taox_optimizer=sgd_seed=3"});
    auto ex = parse(std::string(kBase) + axes +
                    "exclude:\n  - {device: taox, optimizer: adam}\n  - {seed: [2, 3]}\n");
    CHECK(names(ex) == std::vector<std::string>{"device=ag-asi_optimizer=adam_seed=1",
                                                "device=ag-asi_optimizer=sgd_seed=1",
                                                "device=taox_optimizer=sgd_seed=1"});
    // Numbers compare as numbers: 1.0 == 1.
    auto h = parse(std::string(kBase) + axes + "filter: \"seed == 1.0\"\n");
    CHECK(h.points.size() == 4);

    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: \"optimiser == adam\"\n"),
               Catch::Contains("s.yaml:7:") && Catch::Contains("filter") &&
                   Catch::Contains("'optimiser' is not an axis"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: [\"seed <\"]\n"),
               Catch::Contains("filter[0]") && Catch::Contains("expected a value"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: \"optimizer < adam\"\n"),
               Catch::Contains("needs numbers on both sides"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: \"seed = 1\"\n"),
               Catch::Contains("did you mean '=='"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "filter: \"seed == 9\"\n"),
               Catch::Contains("no points left"));
    CHECK_THAT(error_of(std::string(kBase) + axes + "exclude:\n  - {optimiser: adam}\n"),
               Catch::Contains("exclude[0].optimiser") && Catch::Contains("not an axis"));
}

TEST_CASE("sweep file: errors name the file, line and field", "[sweep]") {
    CHECK_THAT(error_of(kBase),
               Catch::Contains("field 'axes'") && Catch::Contains("missing required field"));
    CHECK_THAT(
        error_of(std::string(kBase) + "axes:\n  seed: 3\n"),
        Catch::Contains("s.yaml:4:") && Catch::Contains("axes.seed") && Catch::Contains("list"));
    CHECK_THAT(error_of(std::string(kBase) + "axes:\n  seed: [1, x]\n"),
               Catch::Contains("axes.seed[1]") && Catch::Contains("non-negative integer"));
    CHECK_THAT(error_of(std::string(kBase) + "axes:\n  seed: [1, 2, 1]\n"),
               Catch::Contains("axes.seed[2]") && Catch::Contains("duplicate value"));
    CHECK_THAT(error_of(std::string(kBase) + "axes:\n  \"bad key!\": [1]\n"),
               Catch::Contains("dotted field path"));
    CHECK_THAT(error_of(std::string(kBase) + "axis:\n  seed: [1]\n"),
               Catch::Contains("s.yaml:3:") && Catch::Contains("did you mean 'axes'"));
    CHECK_THAT(error_of(std::string(kBase) + "mode: cross\naxes:\n  seed: [1]\n"),
               Catch::Contains("field 'mode'"));
    CHECK_THAT(error_of(std::string(kBase) + "set: 3\naxes:\n  seed: [1]\n"),
               Catch::Contains("field 'set'"));
}

TEST_CASE("sweep file: base seed and estimate flag", "[sweep]") {
    auto sw =
        parse(std::string(kBase) + "seed: 5\nestimate: true\naxes:\n  training.optimizer: [sgd]\n");
    CHECK(sw.estimate);
    REQUIRE(sw.points.size() == 1);
    const auto in0 = sweep::point_inputs(sw, sw.points[0]);
    CHECK(in0.sets.front() == std::pair<std::string, std::string>{"seed", "5"});
    CHECK_FALSE(in0.seed.has_value());
}

TEST_CASE(
    "sweep file: filter nesting is bounded, deeper nesting is an error naming the limit, not a "
    "crash",
    "[sweep][filter][bad-input]") {
    const std::string axes = "axes:\n  seed: [1, 2]\n";
    auto nested = [&](int depth, bool parens) {
        std::string e;
        for (int i = 0; i < depth; ++i) e += parens ? "(" : "not ";
        e += "seed == 1";
        if (parens) e += std::string(static_cast<std::size_t>(depth), ')');
        return std::string(kBase) + axes + "filter: \"" + e + "\"\n";
    };
    // At the limit: parsed and evaluated (an even number of `not`s keeps seed 1).
    CHECK(names(parse(nested(sweep::kMaxFilterDepth, false))) ==
          std::vector<std::string>{"seed=1"});
    CHECK(names(parse(nested(sweep::kMaxFilterDepth, true))) == std::vector<std::string>{"seed=1"});
    // One level more, and the probe's 100 000 levels (a stack overflow before): a clear error.
    for (int depth : {sweep::kMaxFilterDepth + 1, 100000})
        for (bool parens : {false, true}) {
            const auto msg = error_of(nested(depth, parens));
            CHECK_THAT(msg, Catch::Contains("s.yaml:5:9") &&
                                Catch::Contains("nested more than 100 levels"));
            CHECK(msg.size() < 400);  // the expression is quoted as an excerpt
        }
}

TEST_CASE(
    "sweep file: planning is linear: one point per kept combination, no copy of the base per point",
    "[sweep][bad-input]") {
    // 200 000 seeds: the plan holds exactly that many points, each with one index per axis, and
    // the inputs are built per point on demand (a point's size does not grow with the base).
    const std::size_t n = 200000;
    std::string text = std::string(kBase) +
                       "device: devices/ag-asi.yaml\nset: {training.epochs: 2}\naxes:\n  seed: [";
    for (std::size_t i = 0; i < n; ++i) text += (i ? "," : "") + std::to_string(i);
    text += "]\n";
    auto sw = parse(text);
    CHECK(sw.combinations == n);
    REQUIRE(sw.points.size() == n);
    CHECK(sw.points.front().value.size() == 1);
    CHECK(sw.points.back().value.size() == 1);
    CHECK(sweep::point_inputs(sw, sw.points[12345]).seed ==
          std::stoull(sw.points[12345].name.substr(5)));
    // A duplicate far down the list is still found (by a set, not by pairwise comparison).
    CHECK_THAT(error_of(std::string(kBase) + "axes:\n  seed: [" +
                        [] {
                            std::string v;
                            for (int i = 0; i < 50000; ++i) v += std::to_string(i) + ",";
                            return v + "49999";
                        }() +
                        "]\n"),
               Catch::Contains("axes.seed[50000]") && Catch::Contains("duplicate value '49999'"));
    // A product beyond the limit is refused before it is enumerated.
    std::string big = std::string(kBase) + "axes:\n";
    for (const char* k : {"a", "b", "c"}) {
        big += std::string("  training.") + k + ": [";
        for (int i = 0; i < 200; ++i) big += (i ? "," : "") + std::to_string(i);
        big += "]\n";
    }
    CHECK_THAT(error_of(big), Catch::Contains("more than 2000000 combinations"));
}

TEST_CASE("sweep file: every axis value is checked while planning, a bad one names the point",
          "[sweep][bad-input]") {
    auto sw = parse(
        "tech: tech/32nm.yaml\ndevice: devices/ag-asi.yaml\nnetwork: networks/mlp-400-100-10.yaml\n"
        "axes:\n  hardware.adc_bits: [5, -3]\n  seed: [1, 2, 3]\n");
    REQUIRE(sw.points.size() == 6);
    int checked = 0;
    try {
        sweep::check_points(sw, [&](const sim::Experiment&) { ++checked; });
        FAIL("a bad axis value passed");
    } catch (const config::Error& e) {
        CHECK_THAT(e.what(),
                   Catch::Contains("s.yaml") && Catch::Contains("point 'adc-bits=3_seed=1'") &&
                       Catch::Contains("hardware.adc_bits: -3") && Catch::Contains("out of range"));
    }
    CHECK(checked == 0);  // points sort by name: adc-bits=-3 comes first, and nothing ran before it
    // Good values: one configuration per axis value (seeds are not loaded): 2, not 6.
    auto ok = parse(
        "tech: tech/32nm.yaml\ndevice: devices/ag-asi.yaml\nnetwork: networks/mlp-400-100-10.yaml\n"
        "axes:\n  hardware.adc_bits: [5, 6]\n  seed: [1, 2, 3]\n");
    checked = 0;
    sweep::check_points(ok, [&](const sim::Experiment&) { ++checked; });
    CHECK(checked == 2);
    // A product of 3 x 3 values, points in name order: adc-bits=5 with read-mux 16, 4, 8 (each
    // brings a new read_mux value), then adc-bits=6 and 7 with read-mux=16: 5 loads (at most the 6
    // values), not 9.
    auto product = parse(
        "tech: tech/32nm.yaml\ndevice: devices/ag-asi.yaml\nnetwork: networks/mlp-400-100-10.yaml\n"
        "axes:\n  hardware.adc_bits: [5, 6, 7]\n  hardware.read_mux: [4, 8, 16]\n");
    checked = 0;
    sweep::check_points(product, [&](const sim::Experiment&) { ++checked; });
    CHECK(checked == 5);
    // A card that does not exist is left to its point (docs/sweeps.md): not a planning error.
    auto missing = parse(
        "tech: tech/32nm.yaml\nnetwork: networks/mlp-400-100-10.yaml\naxes:\n  device: "
        "[devices/ag-asi.yaml, devices/nope.yaml]\n");
    checked = 0;
    sweep::check_points(missing, [&](const sim::Experiment&) { ++checked; });
    CHECK(checked == 1);
}
