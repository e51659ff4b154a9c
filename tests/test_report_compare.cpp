// `compare`: seed groups (mean ± sd, hand-computed), mismatch flags, sentences, the hardware vs
// CPU table, the written files, the command's exit codes, and files_identical.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "report/compare.hpp"
#include "report_fixture.hpp"

using namespace synbench;
using synbench::test::RunsCopy;
using synbench::test::slurp;

namespace {
std::vector<report::Run> load(const std::filesystem::path& root,
                              std::initializer_list<const char*> names) {
    std::vector<report::Run> v;
    for (auto n : names) v.push_back(report::load_run(root / n));
    return v;
}
int run_cli(const std::string& args, std::string* out = nullptr) {
    auto tmp =
        std::filesystem::temp_directory_path() / ("synbench-cli-out-" + std::to_string(::getpid()));
    int st = std::system(
        (std::string(SYNBENCH_CLI_PATH) + " " + args + " >" + tmp.string() + " 2>&1").c_str());
    if (out) *out = slurp(tmp);
    std::filesystem::remove(tmp);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
}  // namespace

TEST_CASE("compare: runs differing only in seed are grouped as mean ± sample sd",
          "[report][compare]") {
    auto runs =
        load(test::fixture_runs(), {"ag-asi-s1", "taox-tio2-s1", "ag-asi-s2", "software-s1"});
    auto groups = report::group_runs(runs);
    REQUIRE(groups.size() == 3);
    CHECK(groups[0].label == "Ag:a-Si");
    CHECK(groups[0].runs == std::vector<std::size_t>{0, 2});
    CHECK(groups[1].label == "TaOx/TiO2");
    CHECK(groups[2].label == "software MLP");
    CHECK_FALSE(groups[2].hardware);
    // Final accuracy 72 and 74: mean 73, sd = sqrt((1 + 1) / 1) = sqrt(2).
    auto acc = groups[0].of(runs, report::metric("final_accuracy_pct"));
    CHECK(acc.n == 2);
    CHECK(acc.mean == Approx(73.0));
    CHECK(acc.sd == Approx(std::sqrt(2.0)));
    // Training energy 12.6 mJ and 13.65 mJ: mean 13.125 mJ, sd = 1.05 mJ / sqrt(2).
    auto en = groups[0].of(runs, report::metric("energy_J"));
    CHECK(en.mean == Approx(13.125e-3));
    CHECK(en.sd == Approx(1.05e-3 / std::sqrt(2.0)));
    // EDP per run: 12.6 mJ × 6 s = 75.6 mJ·s and 13.65 mJ × 6.5 s = 88.725 mJ·s.
    CHECK(groups[0].of(runs, report::metric("edp_Js")).mean == Approx((75.6e-3 + 88.725e-3) / 2));
    // A single run has sd 0.
    CHECK(groups[1].of(runs, report::metric("final_accuracy_pct")).sd == 0.0);
}

TEST_CASE("compare: the differences are spelled out per pair", "[report][compare]") {
    auto runs = load(test::fixture_runs(), {"ag-asi-s1", "ag-asi-s2", "taox-tio2-s1"});
    auto s = report::pair_sentences(runs, report::group_runs(runs));
    REQUIRE(s.size() == 1);
    CHECK_THAT(
        s[0],
        Catch::Contains(
            "Ag:a-Si reaches 73.00 ± 1.41 % at 13.12 ± 0.742 mJ; TaOx/TiO2 85.00 % at 48.15 mJ"));
    // 48.15 / 13.125 = 3.669; latency 71.5 s / 6.25 s = 11.44.
    CHECK_THAT(s[0], Catch::Contains("3.67× more training energy") &&
                         Catch::Contains("11.4× more training latency"));
    CHECK_THAT(s[0], Catch::Contains("the same chip area (macro + training periphery)") &&
                         Catch::Contains("TaOx/TiO2 is 12.00 points more accurate"));
}

TEST_CASE("compare: different dataset files or technology cards are flagged loudly",
          "[report][compare]") {
    SECTION("same data, same tech: no mismatch") {
        auto runs = load(test::fixture_runs(), {"ag-asi-s1", "taox-tio2-s1", "software-s1"});
        for (const auto& f : report::find_flags(runs))
            CHECK((f.kind != "dataset" && f.kind != "tech"));
    }
    SECTION("dataset") {
        RunsCopy c;
        REQUIRE(test::replace_in_file(c / "taox-tio2-s1" / "manifest.json", "0fa7898d509279e4",
                                      "0000000000000000"));
        auto runs = load(c.root, {"ag-asi-s1", "taox-tio2-s1"});
        auto flags = report::find_flags(runs);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].kind == "dataset");
        CHECK_THAT(flags[0].message,
                   Catch::Contains("DIFFERENT DATASET FILES") &&
                       Catch::Contains("t10k-images-idx3-ubyte sha256 0fa7898d5092"));
        // Different data are never averaged together as seeds of one configuration.
        RunsCopy d;
        REQUIRE(test::replace_in_file(d / "ag-asi-s2" / "manifest.json", "0fa7898d509279e4",
                                      "0000000000000000"));
        auto seeds = load(d.root, {"ag-asi-s1", "ag-asi-s2"});
        CHECK(report::group_runs(seeds).size() == 2);
    }
    SECTION("tech") {
        RunsCopy c;
        REQUIRE(
            test::replace_in_file(c / "taox-tio2-s1" / "config.yaml", "vdd: 0.9 V", "vdd: 1.0 V"));
        auto flags = report::find_flags(load(c.root, {"ag-asi-s1", "taox-tio2-s1"}));
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].kind == "tech");
        CHECK_THAT(flags[0].message, Catch::Contains("DIFFERENT TECHNOLOGY CARDS") &&
                                         Catch::Contains("tech.vdd: 0.9 V vs 1.0 V"));
        report::CompareOptions opt;
        opt.runs = {c / "ag-asi-s1", c / "taox-tio2-s1"};
        opt.out = c.root / "cmp";
        report::compare_runs(opt);
        auto md = slurp(c.root / "cmp" / "comparison.md");
        CHECK(md.find("**⚠ WARNING:** MISMATCH (tech)") < md.find("## In words"));
    }
}

TEST_CASE("compare: writes md, html, tex and json with the hardware vs CPU table",
          "[report][compare]") {
    RunsCopy c;
    report::CompareOptions opt;
    opt.runs = {c / "ag-asi-s1", c / "ag-asi-s2", c / "taox-tio2-s1", c / "software-s1"};
    opt.out = c.root / "cmp";
    opt.cpu_power_W = 65.0;
    auto w = report::compare_runs(opt);
    for (auto* p : {&w.markdown, &w.html, &w.latex, &w.json}) CHECK(std::filesystem::exists(*p));
    auto j = nlohmann::json::parse(slurp(w.json));
    CHECK(j["groups"].size() == 3);
    CHECK(j["groups"][0]["metrics"]["final_accuracy_pct"]["mean"].get<double>() == Approx(73.0));
    CHECK(j["groups"][0]["metrics"]["final_accuracy_pct"]["sd"].get<double>() ==
          Approx(std::sqrt(2.0)));
    CHECK(j["groups"][0]["metrics"]["final_accuracy_pct"]["n"] == 2);
    auto md = slurp(w.markdown);
    CHECK(md.find("## Hardware vs conventional computer") != std::string::npos);
    // CPU energy: floor 18.462 mJ (test_cpu_baseline.cpp), 20 s × 5.6 W = 112 J (this machine),
    // 20 s × 45 W = 900 J (i7-10750H), 20 s × 65 W = 1.3 kJ (--cpu-power); a computer has one
    // bill, shown in both energy columns. Ag:a-Si whole-run energy, whole bill: (12.6 + 1.5) and
    // (13.65 + 1.5) mJ → mean 14.625 mJ; ratio range 0.018462 / 0.014625 = 1.26 … 1300 / 0.014625
    // = 8.889e4. Array dynamic: (3 + 9 + 1.5) and (3 + 10 + 1.5) mJ → 14 mJ; 1.32 … 9.286e4.
    CHECK(md.find("| 18.46 mJ | 18.46 mJ | — |") != std::string::npos);
    CHECK(md.find("CPU time × 5.6 W (this-machine) | 90.00 % | wall 12.5 s, CPU 20 s | 112 J | "
                  "112 J |") != std::string::npos);
    CHECK(md.find("CPU time × 45 W (i7-10750H) | 90.00 % | wall 12.5 s, CPU 20 s | 900 J |") !=
          std::string::npos);
    CHECK(md.find("CPU time × 65 W | 90.00 % | wall 12.5 s, CPU 20 s | 1.3 kJ |") !=
          std::string::npos);
    CHECK(md.find("| 14 mJ | 14.62 mJ | 1.32 … 9.29e+04; 1.26 … 8.89e+04 (vs software MLP) |") !=
          std::string::npos);
    // The paper's number stands in the array-dynamic column; no whole bill of it is published.
    CHECK(md.find("44.21 mJ (basis not stated; likely array dynamic) | not published | 9.67e+04") !=
          std::string::npos);
    CHECK(md.find("founding paper: CNN on a CPU (as published) | 96 % | — | 4.275 kJ") !=
          std::string::npos);
    CHECK(md.find("44.21 mJ") != std::string::npos);
    CHECK(md.find("RAPL") != std::string::npos);
    auto html = slurp(w.html);
    // Figures: accuracy, cumulative energy, 8 bar charts (energy on two bases); the accuracy one
    // has 3 groups × 3 epochs.
    CHECK(test::occurrences(html, "<svg ") == 10);
    CHECK(test::occurrences(test::svg_of(html, "cmp-accuracy"), "class=\"pt\"") == 9);
    CHECK(test::occurrences(test::svg_of(html, "cmp-energy"), "class=\"pt\"") ==
          6);  // hardware groups only
    auto tex = slurp(w.latex);
    CHECK(tex.find("final test accuracy (\\si{\\percent}) & \\num{73.00 +- 1.41} & \\num{85.00} & "
                   "\\num{90.00}") != std::string::npos);
    CHECK(tex.find("\\label{tab:cmp:side-by-side}") != std::string::npos);

    // Without a software run there is no baseline section.
    opt.runs = {c / "ag-asi-s1", c / "taox-tio2-s1"};
    opt.out = c.root / "cmp2";
    report::compare_runs(opt);
    CHECK(slurp(c.root / "cmp2" / "comparison.md").find("Hardware vs conventional computer") ==
          std::string::npos);
}

TEST_CASE("compare and report commands: exit codes and messages", "[report][compare][cli]") {
    RunsCopy c;
    std::string out;
    auto runs = (c / "ag-asi-s1").string() + " " + (c / "taox-tio2-s1").string();
    CHECK(run_cli("compare " + runs + " --out " + (c.root / "ok").string() + " --budget area=1mm2",
                  &out) == 0);
    CHECK_THAT(out, Catch::Contains("comparison: " + (c.root / "ok" / "comparison.html").string()));
    // TaOx/TiO2 trains for 71.5 s of write+read latency: over a 10 s budget → exit 3.
    CHECK(run_cli("compare " + runs + " --out " + (c.root / "b").string() + " --budget latency=10s",
                  &out) == 3);
    CHECK_THAT(out, Catch::Contains("71.5 s of       10 s: EXCEEDED by 61.5 s (615.0 % over)"));
    CHECK(run_cli("compare " + runs + " --out " + (c.root / "c").string() + " --budget latency=10",
                  &out) == 2);
    CHECK_THAT(out, Catch::Contains("--budget: field 'latency'"));
    std::filesystem::remove(c / "ag-asi-s1" / "epochs.json");
    CHECK(run_cli("report " + (c / "ag-asi-s1").string(), &out) == 2);
    CHECK_THAT(out, Catch::Contains("missing file 'epochs.json'"));
    CHECK(run_cli("report " + (c / "taox-tio2-s1").string(), &out) == 0);
}

TEST_CASE("files_identical: identical files, and the first differing CSV cell", "[report]") {
    RunsCopy c;
    auto a = c / "ag-asi-s1" / "epochs.csv";
    auto b = c.root / "copy.csv";
    std::filesystem::copy_file(a, b);
    CHECK(report::files_identical(a, b).identical);
    REQUIRE(test::replace_in_file(b, "\n2,70,", "\n2,70.5,"));
    auto d = report::files_identical(a, b);
    CHECK_FALSE(d.identical);
    CHECK(d.summary == "first difference at line 3 (epoch 2), column 'accuracy': 70 vs 70.5");
    test::spit(b, slurp(a).substr(0, slurp(a).rfind("3,72")));
    CHECK_THAT(report::files_identical(a, b).summary, Catch::Contains("ends at line 3"));
}
