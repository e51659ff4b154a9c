// The computer baseline bracketed (issue 14, step 5): the floating-point count against a hand
// derivation, the floor against Horowitz's energies, powercap counters from a fake directory
// (wrap-around, sub-zones not added twice), the train command writing energy_counters.json, and
// the comparison's range and Table 1.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "report/compare.hpp"
#include "report/cpu_baseline.hpp"
#include "report_fixture.hpp"

using namespace synbench;
using synbench::test::RunsCopy;
using synbench::test::slurp;

namespace {

report::CpuEnergyData data() {
    auto f = report::find_cpu_energy();
    REQUIRE(f);
    return report::load_cpu_energy(*f);
}

void zone(const std::filesystem::path& dir, const std::string& z, const std::string& name,
          double energy_uj, double range_uj) {
    std::filesystem::create_directories(dir / z);
    std::ofstream(dir / z / "name") << name << "\n";
    std::ofstream(dir / z / "energy_uj") << std::fixed << energy_uj << "\n";
    std::ofstream(dir / z / "max_energy_range_uj") << std::fixed << range_uj << "\n";
}

}  // namespace

TEST_CASE("cpu baseline: floating-point operations of the 400-100-10 software run, by hand",
          "[report][cpu]") {
    // W = 400·100 + 100·10 = 41 000 weights, 1 000 of them in layer 2.
    // SGD, batch 1, per image: forward 41 000 × (mul + add), backward 1 000 × (mul + add),
    // gradient 41 000 mul, update 41 000 × (mul + add) → 124 000 mul, 83 000 add.
    report::SoftwareShape s;
    s.layers = {400, 100, 10};
    s.train_images = 8000;
    s.steps = 8000;
    s.test_images = 0;
    auto f = report::software_flops(s);
    CHECK(f.multiplies == 8000.0 * 124000);
    CHECK(f.adds == 8000.0 * 83000);
    // One test image: 41 000 × (mul + add).
    s.train_images = s.steps = 0;
    s.test_images = 1;
    f = report::software_flops(s);
    CHECK(f.multiplies == 41000);
    CHECK(f.adds == 41000);
    // Adam, batch 20, one batch: per image 83 000 mul (forward, backward, gradient) and 83 000
    // add (forward, backward, accumulation); per step 41 000 × (10 + 1 for the average) mul and
    // 41 000 × 4 add.
    s.test_images = 0;
    s.train_images = 20;
    s.steps = 1;
    s.batch = 20;
    s.optimizer = "adam";
    f = report::software_flops(s);
    CHECK(f.multiplies == 20.0 * 83000 + 41000.0 * 11);
    CHECK(f.adds == 20.0 * 83000 + 41000.0 * 4);
    CHECK_THROWS_WITH(report::optimizer_ops("lion"),
                      Catch::Contains("optimizer 'lion'") && Catch::Contains("adadelta"));
}

TEST_CASE("cpu baseline: data file, floor and CPU-time range of the fixture's software run",
          "[report][cpu]") {
    auto d = data();
    CHECK(d.fp_multiply_J == Approx(3.7e-12));
    CHECK(d.fp_add_J == Approx(0.9e-12));
    REQUIRE(d.preset("i7-10750H"));
    CHECK(d.preset("i7-10750H")->power_W == 45);
    REQUIRE(d.preset("this-machine"));
    CHECK(d.paper.hardware_energy_J == Approx(0.04421));
    CHECK(d.paper.computer_energy_J == Approx(4275));
    // The fixture: 3 epochs × 8000 images, SGD batch 1, 10 000 test images per epoch, CPU 20 s.
    // Multiplies 3 × (8000 × 124 000 + 10 000 × 41 000) = 4.206e9, adds 3 × (8000 × 83 000 +
    // 10 000 × 41 000) = 3.222e9; floor = 4.206e9 × 3.7 pJ + 3.222e9 × 0.9 pJ = 18.4620 mJ.
    auto run = report::load_run(test::fixture_runs() / "software-s1");
    auto b = report::cpu_bracket({&run}, d, {"i7-10750H"}, 65.0);
    CHECK(b.flops.multiplies == Approx(4.206e9));
    CHECK(b.flops.adds == Approx(3.222e9));
    CHECK(b.floor_J == Approx(18.4620e-3).epsilon(1e-6));
    REQUIRE(b.estimates.size() == 2);
    CHECK(b.estimates[0].energy_J == Approx(900));   // 20 s × 45 W
    CHECK(b.estimates[1].energy_J == Approx(1300));  // 20 s × 65 W
    CHECK(b.high_J() == Approx(1300));
    CHECK_FALSE(b.measured_J);
    CHECK_THROWS_WITH(report::cpu_bracket({&run}, d, {"pentium"}, std::nullopt),
                      Catch::Contains("no preset 'pentium'") && Catch::Contains("i7-10750H"));
    CHECK(report::ratio_range(1.2624, 6.154e4) == "1.26 … 6.15e+04");
}

TEST_CASE("cpu baseline: powercap counters from a fake directory, wrap-around, sub-zones",
          "[report][cpu]") {
    RunsCopy c;
    auto dir = c.root / "powercap";
    zone(dir, "intel-rapl:0", "package-0", 1'000'000, 262'143'328'850);
    zone(dir, "intel-rapl:0:0", "core", 500'000, 262'143'328'850);  // part of package 0
    zone(dir, "intel-rapl:1", "package-1", 9'000'000, 10'000'000);
    std::filesystem::create_directories(dir / "intel-rapl:2");  // no counters: skipped
    auto before = report::read_energy_counters(dir);
    REQUIRE(before.size() == 2);
    CHECK(before[0].zone == "intel-rapl:0");
    CHECK(before[0].name == "package-0");
    zone(dir, "intel-rapl:0", "package-0", 3'500'000, 262'143'328'850);  // +2.5 J
    zone(dir, "intel-rapl:0:0", "core", 2'000'000, 262'143'328'850);
    zone(dir, "intel-rapl:1", "package-1", 500'000, 10'000'000);  // wrapped: +1.5 J
    auto after = report::read_energy_counters(dir);
    auto d = report::energy_between(before, after);
    CHECK(d.zones == 2);
    CHECK(d.wrapped == 1);
    CHECK(d.energy_J == Approx(4.0));
    CHECK(report::read_energy_counters(c.root / "absent").empty());

    // Recorded into a run directory, the comparison shows the measurement as an estimate.
    REQUIRE(report::record_energy_counters(c / "software-s1", dir, before, after, false));
    auto j = nlohmann::json::parse(slurp(c / "software-s1" / "energy_counters.json"));
    CHECK(j["energy_J"].get<double>() == Approx(4.0));
    CHECK(j["sessions"] == 1);
    REQUIRE(report::record_energy_counters(c / "software-s1", dir, before, after, true));
    j = nlohmann::json::parse(slurp(c / "software-s1" / "energy_counters.json"));
    CHECK(j["energy_J"].get<double>() == Approx(8.0));  // a resumed session adds its energy
    CHECK(j["sessions"] == 2);
    CHECK_FALSE(report::record_energy_counters(c / "ag-asi-s1", dir, {}, after, false));
    auto run = report::load_run(c / "software-s1");
    auto b = report::cpu_bracket({&run}, data(), {"this-machine"}, std::nullopt);
    REQUIRE(b.measured_J);
    CHECK(*b.measured_J == Approx(8.0));
    CHECK(b.estimates[0].label.find("energy counters") != std::string::npos);
}

TEST_CASE("cpu baseline: train reads the counters of --energy-counters around the run",
          "[report][cpu][cli]") {
    RunsCopy c;
    auto dir = c.root / "powercap";
    zone(dir, "intel-rapl:0", "package-0", 1'000'000, 262'143'328'850);
    auto out = c.root / "sw";
    std::string cmd = std::string(SYNBENCH_CLI_PATH) +
                      " train --tech tech/32nm.yaml --device devices/ag-asi.yaml --network "
                      "networks/mlp-400-100-10.yaml --set hardware.enabled=false --set "
                      "training.epochs=1 --set training.images_per_epoch=50 --set "
                      "training.test_images=50 --quiet --no-report --energy-counters " +
                      dir.string() + " --out " + out.string() + " >/dev/null 2>&1";
    int st = std::system(("cd " + std::string(SYNBENCH_SOURCE_DIR) + " && " + cmd).c_str());
    REQUIRE(WIFEXITED(st));
    REQUIRE(WEXITSTATUS(st) == 0);
    // The fake counter does not move: 0 J over one zone, recorded.
    auto j = nlohmann::json::parse(slurp(out / "energy_counters.json"));
    CHECK(j["energy_J"].get<double>() == 0.0);
    CHECK(j["zones_text"] == "intel-rapl:0 package-0");
}

TEST_CASE("compare --paper-table: Table 1 reproduced with every basis and the reading",
          "[report][cpu][compare]") {
    RunsCopy c;
    report::CompareOptions opt;
    opt.runs = {c / "ag-asi-s1", c / "taox-tio2-s1", c / "software-s1"};
    opt.out = c.root / "cmp";
    opt.paper_table = true;
    opt.cpu_presets = {"i7-10750H"};
    auto w = report::compare_runs(opt);
    auto md = slurp(w.markdown);
    REQUIRE(md.find("## The founding paper's Table 1, reproduced") != std::string::npos);
    CHECK(md.find("| array dynamic (read + write) | + training periphery | whole bill (+ leakage) "
                  "|") != std::string::npos);
    // The software row: floor 18.46 mJ … 20 s × 45 W = 900 J.
    CHECK(md.find("| software MLP on this computer (CPU) | sgd | 90.00 % |") != std::string::npos);
    CHECK(md.find("18.46 mJ … 900 J") != std::string::npos);
    CHECK(md.find("44.21 mJ (basis not stated)") != std::string::npos);
    CHECK(md.find("9.67e+04 (published ÷ published)") != std::string::npos);
    CHECK(md.find("Reading. The founding paper's TiO₂ device parameters are not published") !=
          std::string::npos);
    CHECK(md.find("devices/taox-tio2.yaml") != std::string::npos);
    auto j = nlohmann::json::parse(slurp(w.json));
    REQUIRE(j["cpu_baseline"].size() == 1);
    CHECK(j["cpu_baseline"][0]["floor_J"].get<double>() == Approx(18.4620e-3).epsilon(1e-6));
    CHECK(j["cpu_baseline"][0]["high_J"].get<double>() == Approx(900));
}
