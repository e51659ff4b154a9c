// The trainer's part of the bad-input catalogue (docs/bad-input.md, "Output" and "Trainer"): run
// directories that cannot be used, corrupt or foreign checkpoints, and the numerical guards —
// a non-finite weight, conductance or cost is reported with where it arose and never written.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <sstream>

#include "data/mnist_fetch.hpp"
#include "run_fixture.hpp"
#include "nn/dataset.hpp"
#include "sim/costs.hpp"
#include "report/run_directory.hpp"
#include "sim/run.hpp"
#include "report/run_files.hpp"
#include "sim/trainer.hpp"
#include "util/files.hpp"

using namespace synbench;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

sim::Experiment tiny(const test::Sets& extra = {}) {
    return test::reference_experiment({{"training.epochs", "2"},
                                       {"training.images_per_epoch", "50"},
                                       {"training.test_images", "50"}},
                                      extra);
}

fs::path scratch(const std::string& name) { return test::scratch("guard-" + name); }

sim::RunOptions opts(const fs::path& out, bool resume = false) {
    sim::RunOptions o;
    o.out = out;
    o.threads = 1;
    o.quiet = true;
    o.resume = resume;
    return o;
}

const nn::Mnist& mnist(const sim::Experiment& ex) {
    static const nn::Mnist m =
        nn::load_mnist(data::resolve_data_dir(std::nullopt), ex.network.preprocess);
    return m;
}

// The trainer's state as bytes: magic (8), header (3 × 8), then per layer the weights (length +
// data), ...
std::string saved(const sim::Trainer& t) {
    std::ostringstream o;
    t.save(o);
    return o.str();
}

}  // namespace

TEST_CASE("bad input: run directories that cannot be used", "[bad-input][run]") {
    const auto ex = tiny();
    auto base = scratch("dirs");
    fs::create_directories(base);
    util::write_atomic(base / "file", "x");
    // Under a regular file (CI runs as root, so permissions cannot make a path unwritable).
    CHECK_THROWS_WITH(report::run_training(ex, sim::cost_table(ex), opts(base / "file" / "run")),
                      Contains("file/run: cannot create the run directory: Not a directory"));
    // The run directory is itself a regular file: refused, and the file is left alone.
    CHECK_THROWS_WITH(report::run_training(ex, sim::cost_table(ex), opts(base / "file")),
                      Contains("file: exists and is not a directory"));
    CHECK(util::read_file(base / "file") == "x");
    // --resume of a directory without a checkpoint.
    fs::create_directories(base / "empty");
    CHECK_THROWS_WITH(report::run_training(ex, sim::cost_table(ex), opts(base / "empty", true)),
                      Contains("empty: nothing to resume (no checkpoint/state.bin)"));
}

TEST_CASE("bad input: a corrupt or foreign checkpoint", "[bad-input][run]") {
    const auto ex = tiny();
    sim::Trainer t(ex, mnist(ex).train);
    const std::string good = saved(t);
    auto load = [&](const sim::Experiment& e, const std::string& bytes) {
        sim::Trainer other(e, mnist(e).train);
        std::istringstream in(bytes);
        other.load(in);
    };
    CHECK_NOTHROW(load(ex, good));
    std::string foreign = good;
    foreign[0] = 'X';
    CHECK_THROWS_WITH(load(ex, foreign), "not a synbench checkpoint");
    CHECK_THROWS_WITH(load(ex, good.substr(0, good.size() / 2)), "checkpoint is truncated");
    // A checkpoint of a deeper network.
    const auto deep =
        tiny({{"layers", "[400, 50, 20, 10]"}, {"training.learning_rate", "[0.4, 0.2, 0.1]"}});
    CHECK_THROWS_WITH(load(ex, saved(sim::Trainer(deep, mnist(deep).train))),
                      "checkpoint does not match this network");
    // Same depth, other widths: the first vector's size gives it away.
    const auto wide = tiny({{"layers", "[400, 64, 10]"}});
    CHECK_THROWS_WITH(load(ex, saved(sim::Trainer(wide, mnist(wide).train))),
                      "checkpoint does not match this configuration (vector size)");
}

TEST_CASE("numerical guard: a non-finite weight is reported with the layer and cell",
          "[bad-input][run]") {
    const auto ex = tiny();
    sim::Trainer t(ex, mnist(ex).train);
    CHECK_NOTHROW(t.check_finite(0));
    std::string bytes = saved(t);
    // Layer 1's weight vector starts after magic (8) + header (24) + its length (8); cell (row 2,
    // column 5) is index 2 · 100 + 5.
    const std::size_t at = 8 + 24 + 8 + (2 * 100 + 5) * sizeof(double);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::memcpy(bytes.data() + at, &nan, sizeof nan);
    std::istringstream in(bytes);
    t.load(in);
    CHECK_THROWS_WITH(t.check_finite(6),
                      Contains("numerical failure after epoch 7: weight/conductance of layer 1 "
                               "cell (row 2, column 5) is not "
                               "finite (weight nan, G "));
}

TEST_CASE("numerical guard: a non-finite cost stops the run and nothing non-finite is written",
          "[bad-input][run]") {
    const auto ex = tiny();
    auto table = sim::cost_table(ex);
    table.layers[0].read_energy_per_active_row_J = std::numeric_limits<double>::infinity();
    auto dir = scratch("nan-cost");
    CHECK_THROWS_WITH(
        report::run_training(ex, table, opts(dir)),
        "numerical failure in the hardware accounting of epoch 1 (a cost is not finite)");
    // The manifest says what happened; no epoch row was written.
    const auto manifest = util::read_file(dir / "manifest.json");
    CHECK_THAT(manifest, Contains("\"status\": \"failed\""));
    CHECK_THAT(manifest, Contains("numerical failure in the hardware accounting of epoch 1"));
    CHECK_FALSE(fs::exists(dir / "epochs.csv"));
}

TEST_CASE("numerical guard: a non-finite number is found before it reaches a JSON file",
          "[bad-input]") {
    nlohmann::ordered_json j;
    j["energy_J"] = {{"read", 1.0}, {"write", 2.0}};
    j["epochs"] = nlohmann::ordered_json::array({{{"accuracy", 50.0}}, {{"accuracy", 51.0}}});
    CHECK_FALSE(report::non_finite_field(j).has_value());
    j["epochs"][1]["accuracy"] = std::nan("");
    CHECK(report::non_finite_field(j) == std::optional<std::string>("epochs[1].accuracy"));
    j["epochs"][1]["accuracy"] = 51.0;
    j["energy_J"]["write"] = -std::numeric_limits<double>::infinity();
    CHECK(report::non_finite_field(j) == std::optional<std::string>("energy_J.write"));
}

TEST_CASE("bad input: --resume of a directory that is not a run", "[bad-input][run]") {
    auto dir = scratch("not-a-run");
    fs::create_directories(dir);
    auto log = scratch("not-a-run.log");
    const int st = std::system((std::string(SYNBENCH_CLI_PATH) + " train --resume " + dir.string() +
                                " >" + log.string() + " 2>&1")
                                   .c_str());
    REQUIRE(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 2);
    CHECK(util::read_file(log) ==
          "error: " + dir.string() + ": no config.yaml, not a run directory\n");
    CHECK(fs::is_empty(dir));
}
