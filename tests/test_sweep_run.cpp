// Running sweeps: sweep.csv order and content, failure recording, resume, estimate mode, reports.
// Training points are tiny (1 epoch of 100 images, 200 test images) on the cached MNIST.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "config/config.hpp"
#include "sim/costs.hpp"
#include "sim/experiment.hpp"
#include "report/run_directory.hpp"
#include "sim/run.hpp"
#include "sweep/driver.hpp"
#include "sweep/report.hpp"
#include "util/files.hpp"

using namespace synbench;
namespace fs = std::filesystem;

namespace {

std::string repo(const char* p) { return (fs::path(SYNBENCH_SOURCE_DIR) / p).string(); }

fs::path scratch(const std::string& name) {
    auto p = fs::temp_directory_path() / ("synbench-test-sweep-" + name);
    fs::remove_all(p);
    return p;
}

// 2 optimizers × (a real device, a missing one), 1 seed: 2 good points and 2 failing ones.
sweep::Sweep tiny_sweep(const std::string& tag, const std::string& extra = "", int epochs = 1) {
    std::string text = "name: tiny\ntech: " + repo("tech/32nm.yaml") +
                       "\nnetwork: " + repo("networks/mlp-400-100-10.yaml") +
                       "\nset:\n  training.epochs: " + std::to_string(epochs) +
                       "\n  training.images_per_epoch: 100\n  training.test_images: 200\n"
                       "axes:\n  device: [" +
                       repo("devices/ag-asi.yaml") + ", " + repo("devices/no-such-card.yaml") +
                       "]\n  training.optimizer: [sgd, adam]\n" + extra;
    auto dir = scratch("file-" + tag);  // one per test: ctest runs test cases in parallel
    fs::create_directories(dir);
    util::write_atomic(dir / "tiny.yaml", text);
    return sweep::load_sweep(dir / "tiny.yaml");
}

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

sweep::SweepOptions options(const fs::path& out, int jobs) {
    sweep::SweepOptions o;
    o.out = out;
    o.jobs = jobs;
    o.quiet = true;
    return o;
}

}  // namespace

TEST_CASE("sweep run: failing points are recorded, the others finish, rows in name order",
          "[sweep][run][threads]") {
    auto sw = tiny_sweep("fail");
    REQUIRE(sw.points.size() == 4);
    auto out = scratch("fail");
    auto opt = options(out, 2);
    auto res = sweep::run_local(sw, opt);
    sweep::write_outputs(sw, opt, res);
    CHECK(res.count("complete") == 2);
    CHECK(res.count("failed") == 2);
    for (const auto& r : res.results) {
        if (r.name.find("no-such-card") != std::string::npos) {
            CHECK(r.status == "failed");
            CHECK_THAT(r.error,
                       Catch::Contains("no-such-card.yaml") && Catch::Contains("cannot be read"));
            CHECK_FALSE(r.final_accuracy.has_value());
        } else {
            CHECK(r.status == "complete");
            REQUIRE(r.final_accuracy.has_value());
            CHECK(*r.final_accuracy >= 0);
            CHECK(*r.final_accuracy <= 100);
            CHECK(fs::exists(out / "points" / r.name / "summary.json"));
            CHECK(fs::exists(out / "points" / r.name /
                             "report.html"));  // rendered like `synbench train`
        }
        auto sp =
            nlohmann::json::parse(util::read_file(out / "points" / r.name / "sweep_point.json"));
        CHECK(sp["rank"] == 0);
        CHECK(sp["status"] == r.status);
    }
    auto csv = lines(util::read_file(out / "sweep.csv"));
    REQUIRE(csv.size() == 5);
    CHECK(csv[0] ==
          "point,device,training.optimizer,final_accuracy,area_m2,energy_J,latency_s,leakage_W,"
          "status,rank,error");
    CHECK(csv[1].rfind("device=ag-asi_optimizer=adam,", 0) == 0);
    CHECK(csv[2].rfind("device=ag-asi_optimizer=sgd,", 0) == 0);
    CHECK(csv[3].rfind("device=no-such-card_optimizer=adam,", 0) == 0);
    CHECK_THAT(csv[3], Catch::Contains(",,,,,failed,0,"));
    // The accuracy cell is the point's summary.json final_accuracy, printed exactly.
    auto s = nlohmann::json::parse(
        util::read_file(out / "points" / "device=ag-asi_optimizer=sgd" / "summary.json"));
    CHECK_THAT(csv[2],
               Catch::Contains(fmt::format(",sgd,{:.17g},", s["final_accuracy"].get<double>())));
    auto m = nlohmann::json::parse(util::read_file(out / "manifest.json"));
    CHECK(m["counts"]["failed"] == 2);
    CHECK(m["execution"]["ranks_used"] == nlohmann::json::array({0}));
    CHECK(fs::exists(out / "report.md"));
    CHECK_THAT(util::read_file(out / "report.html"),
               Catch::Contains("<svg") && Catch::Contains("Pareto"));

    // The rows do not depend on the number of workers.
    auto out1 = scratch("fail-j1");
    auto opt1 = options(out1, 1);
    sweep::write_outputs(sw, opt1, sweep::run_local(sw, opt1));
    CHECK(util::read_file(out1 / "sweep.csv") == util::read_file(out / "sweep.csv"));
}

TEST_CASE("sweep run: a stopped sweep resumes, skipping finished points", "[sweep][run]") {
    auto sw = tiny_sweep("resume", "filter: \"device == ag-asi\"\n");
    REQUIRE(sw.points.size() == 2);
    auto out = scratch("resume");
    auto opt = options(out, 1);
    opt.stop_after_points = 1;
    auto first = sweep::run_local(sw, opt);
    CHECK(first.count("complete") == 1);
    CHECK(first.count("not_run") == 1);
    const auto& done = sw.points[0].name;
    REQUIRE(first.results[0].status == "complete");
    auto summary = out / "points" / done / "summary.json";
    auto t_summary = fs::last_write_time(summary);
    auto first_summary = util::read_file(summary);

    opt.stop_after_points.reset();
    auto second = sweep::run_local(sw, opt);
    CHECK(second.count("complete") == 2);
    CHECK(second.results[0].skipped);
    CHECK_FALSE(second.results[1].skipped);
    CHECK(second.results[0].rank == 0);  // from the point's sweep_point.json
    CHECK(fs::last_write_time(summary) == t_summary);
    CHECK(util::read_file(summary) == first_summary);
    CHECK(second.results[0].final_accuracy == first.results[0].final_accuracy);

    // A point whose configuration changed (here: more test images) is not skipped.
    auto changed =
        tiny_sweep("resume2", "filter: \"device == ag-asi\"\nexclude: [{optimizer: sgd}]\n");
    changed.base.sets.emplace_back("training.test_images", "300");
    auto third = sweep::run_local(changed, opt);
    CHECK_FALSE(third.results[0].skipped);
    CHECK(third.results[0].status == "complete");
}

TEST_CASE("sweep run: an interrupted point is resumed from its checkpoint", "[sweep][run]") {
    auto sw = tiny_sweep("ckpt", "filter: \"device == ag-asi and optimizer == sgd\"\n", 2);
    REQUIRE(sw.points.size() == 1);
    const auto& p = sw.points[0];
    // The reference: the whole sweep in one go.
    auto ref = scratch("ckpt-ref");
    auto r0 = sweep::run_local(sw, options(ref, 1));
    REQUIRE(r0.results[0].status == "complete");
    // The same point stopped after its first epoch, as an interrupted sweep leaves it.
    auto out = scratch("ckpt");
    auto ex = sim::load_experiment(sweep::point_inputs(sw, p));
    sim::RunOptions ro;
    ro.out = out / "points" / p.name;
    ro.threads = 1;
    ro.quiet = true;
    ro.stop_after_epoch = 1;
    REQUIRE(report::run_training(ex, sim::cost_table(ex), ro).status == "interrupted");
    REQUIRE(fs::exists(out / "points" / p.name / "checkpoint" / "state.bin"));
    auto r = sweep::run_local(sw, options(out, 1));
    CHECK_FALSE(r.results[0].skipped);
    CHECK(r.results[0].status == "complete");
    auto m = nlohmann::json::parse(util::read_file(out / "points" / p.name / "manifest.json"));
    CHECK(m.contains("resumed_at"));  // resumed, not restarted
    CHECK(util::read_file(out / "points" / p.name / "epochs.csv") ==
          util::read_file(ref / "points" / p.name / "epochs.csv"));
}

TEST_CASE("sweep estimate: cost table per point, no run directories",
          "[sweep][estimate][threads]") {
    auto sw = tiny_sweep("estimate");
    auto out = scratch("estimate");
    auto opt = options(out, 2);
    opt.estimate = true;
    auto res = sweep::run_local(sw, opt);
    sweep::write_outputs(sw, opt, res);
    CHECK(res.count("complete") == 2);
    CHECK(res.count("failed") == 2);
    CHECK_FALSE(fs::exists(out / "points"));
    auto csv = lines(util::read_file(out / "sweep.csv"));
    CHECK(csv[0] ==
          "point,device,training.optimizer,area_m2,leakage_W,read_energy_per_image_J,read_latency_"
          "per_image_s,status,rank,error");
}

TEST_CASE("sweep estimate: the per-image inference formula", "[sweep][estimate]") {
    sim::ExperimentInputs in;
    in.tech = repo("tech/32nm.yaml");
    in.device = repo("devices/ag-asi.yaml");
    in.network = repo("networks/mlp-400-100-10.yaml");
    in.sets = {{"dataset.binarize", "null"}, {"dataset.input_bits", "4"}};
    auto ex = sim::load_experiment(in);
    circuit::CostTable t;
    t.layers.resize(2);
    for (auto& L : t.layers) {
        L.read_latency_per_bitplane_s = 1e-9;
        L.read_energy_per_bitplane_J = 1e-12;
        L.read_energy_per_active_row_J = 1e-15;
        L.read_cell_energy_per_S = 1e-6;
        L.tiles_c = 1;
    }
    const double g = 0.5 * (ex.device.g_min + ex.device.g_max);
    t.layers[0].read_latency_per_active_row_s = 1e-12;  // a row-by-row (SRAM) read
    auto e = sim::estimate_inference(ex, t);
    // Layer 1: 4 bit-planes, half of 400 rows driven in each, 100 data columns (the reference
    // column's cell is in E_row); layer 2: 1 bit-plane, 50 of 100 rows, 10 columns.
    const double want = 4 * (1e-12 + 200 * 1e-15 + 200 * 100 * g * 1e-6) +
                        1 * (1e-12 + 50 * 1e-15 + 50 * 10 * g * 1e-6);
    CHECK(e.energy_J == Approx(want).epsilon(1e-12));
    CHECK(e.latency_s == Approx(5e-9 + 4 * 200 * 1e-12).epsilon(1e-12));
}

TEST_CASE("sweep report: Pareto front and per-axis means", "[sweep][report]") {
    // Minimise x, maximise y: (1,5) (2,7) (3,6) (4,9) (2,4): front (1,5) (2,7) (4,9).
    std::vector<double> x{1, 2, 3, 4, 2}, y{5, 7, 6, 9, 4};
    CHECK(sweep::pareto_front(x, y, true) == std::vector<std::size_t>{0, 1, 3});
    // Minimise both: front (1,5) (2,4).
    CHECK(sweep::pareto_front(x, y, false) == std::vector<std::size_t>{0, 4});
    CHECK(sweep::pareto_front({}, {}, true).empty());

    auto sw = sweep::parse_sweep(config::load_string(
        "tech: t.yaml\naxes:\n  seed: [1, 2]\n  training.optimizer: [sgd, adam]\n", "s.yaml"));
    // Points in name order: opt=adam seed 1, sgd seed 1, adam seed 2, sgd seed 2 — look values up
    // by index.
    std::vector<double> m(sw.points.size());
    for (std::size_t i = 0; i < sw.points.size(); ++i) {
        const auto& v = sw.points[i].value;
        m[i] = 10.0 * static_cast<double>(v[0] + 1) +
               static_cast<double>(v[1]);  // seed 1 → 10/11, seed 2 → 20/21
    }
    auto e = sweep::axis_effect(sw, 0, m);
    REQUIRE(e.size() == 2);
    CHECK(e[0].value == "1");
    CHECK(e[0].n == 2);
    CHECK(e[0].mean == Approx(10.5));
    CHECK(e[1].mean == Approx(20.5));
    m[0] = std::nan("");  // a failed point does not count
    auto e2 = sweep::axis_effect(sw, 1, m);
    CHECK(e2[0].n + e2[1].n == 3);
}

TEST_CASE("sweep csv: rows follow point names whatever the order of the results", "[sweep]") {
    auto sw = sweep::parse_sweep(config::load_string(
        "tech: t.yaml\naxes:\n  training.optimizer: [sgd, adam, \"x,y\"]\n", "s.yaml"));
    sweep::SweepOutcome out;
    for (const auto& p : sw.points) {
        sweep::PointResult r;
        r.name = p.name;
        r.status = "complete";
        r.rank = 1;
        r.final_accuracy = 0.1;
        out.results.push_back(r);
    }
    out.results[2].status = "failed";
    out.results[2].error = "bad \"thing\", here";
    out.results[2].final_accuracy.reset();
    auto a = sweep::sweep_csv(sw, out, false);
    std::reverse(sw.points.begin(), sw.points.end());
    std::reverse(out.results.begin(), out.results.end());
    CHECK(sweep::sweep_csv(sw, out, false) == a);
    auto l = lines(a);
    REQUIRE(l.size() == 4);
    CHECK(l[1] == "optimizer=adam,adam,0.10000000000000001,,,,,complete,1,");
    CHECK(l[3] == "optimizer=x-y,\"x,y\",,,,,,failed,1,\"bad \"\"thing\"\", here\"");
}
