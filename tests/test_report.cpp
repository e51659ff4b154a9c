// The per-run report, rendered from the hand-written fixture run directories in tests/data/runs/.
#include <catch2/catch.hpp>

#include "report/report.hpp"
#include "report_fixture.hpp"

using namespace synbench;
using synbench::test::occurrences;
using synbench::test::RunsCopy;
using synbench::test::slurp;
using synbench::test::svg_of;

TEST_CASE("report: a run renders every file, atomically written into the run directory",
          "[report]") {
    RunsCopy runs;
    auto out = report::render_run(runs / "ag-asi-s1");
    for (const char* f :
         {"report.md", "report.html", "tables.tex", "figures/accuracy.svg", "figures/energy.svg",
          "figures/energy-dynamic.svg", "figures/area.svg", "figures/device.svg"})
        CHECK(std::filesystem::exists(runs / "ag-asi-s1" / f));
    CHECK(out.figures.size() == 5);
    CHECK(out.warnings.empty());
}

TEST_CASE("report: the HTML holds one SVG per figure, each with its data points", "[report]") {
    RunsCopy runs;
    report::render_run(runs / "ag-asi-s1");
    auto html = slurp(runs / "ag-asi-s1" / "report.html");
    CHECK(occurrences(html, "<svg ") == 5);
    // 3 epochs in epochs.csv → 3 points.
    auto acc = svg_of(html, "accuracy");
    CHECK(occurrences(acc, "class=\"pt\"") == 3);
    CHECK(acc.find("data-y=\"72\"") != std::string::npos);
    // Energy: 3 epochs × (read layer1, read layer2, write layer1, write layer2, leakage) = 15 bars.
    CHECK(occurrences(svg_of(html, "energy"), "class=\"bar\"") == 15);
    // The dynamic panel: the same without leakage, 12 bars on its own scale (epoch 1: 5 mJ).
    auto dyn = svg_of(html, "energy-dynamic");
    CHECK(occurrences(dyn, "class=\"bar\"") == 12);
    CHECK(dyn.find("leakage") == std::string::npos);
    // Area: macro + 3 blocks + 5 sub-blocks in summary.json.
    CHECK(occurrences(svg_of(html, "area"), "class=\"bar\"") == 9);
    // Device: Ag:a-Si card has 97 LTP and 100 LTD pulses → 98 + 101 points.
    CHECK(occurrences(svg_of(html, "device"), "class=\"pt\"") == 199);
    // Self-contained: no script, stylesheet link, image source or URL other than the SVG namespace.
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(occurrences(html, "http") == occurrences(html, "http://www.w3.org/2000/svg"));
}

TEST_CASE("report: Markdown and LaTeX carry the numbers with units", "[report]") {
    RunsCopy runs;
    report::render_run(runs / "ag-asi-s1");
    auto md = slurp(runs / "ag-asi-s1" / "report.md");
    // Epoch 3: 72 %, 500 ms read, 1 s write, 1 mJ read, 2 mJ write, 150 µJ leakage, 3.15 mJ,
    // pulses, test pass 200 ms and 500 µJ (every declared epoch cost, sim/results.hpp).
    CHECK(md.find("| 3 | 72.00 % | 500 ms | 1 s | 1 mJ | 2 mJ | 150 µJ | 3.15 mJ | 20000 | 21000 | "
                  "200 ms | 500 µJ |") != std::string::npos);
    // Totals: 5.25 + 4.2 + 3.15 = 12.6 mJ, the whole bill (this run predates the training
    // periphery: none); the array-dynamic basis is read 3 + write 9 = 12 mJ.
    CHECK(md.find("| training energy, basis whole bill (+ leakage) | 12.6 mJ |") !=
          std::string::npos);
    CHECK(md.find("| training energy, basis array dynamic (read + write) | 12 mJ |") !=
          std::string::npos);
    CHECK(md.find("training energy on each basis: array dynamic (read + write) 12 mJ") !=
          std::string::npos);
    CHECK(md.find("![Test-set accuracy after each of the 3 epochs.](figures/accuracy.svg)") !=
          std::string::npos);
    auto tex = slurp(runs / "ag-asi-s1" / "tables.tex");
    CHECK(occurrences(tex, "\\toprule") == occurrences(tex, "\\bottomrule"));
    CHECK(occurrences(tex, "\\begin{table}") >= 4);
    // siunitx: the unit with the quantity, four significant figures, labels with the run's name.
    CHECK(tex.find("final test accuracy (\\si{\\percent}) & \\num{72.00}") != std::string::npos);
    CHECK(tex.find("training energy, basis whole bill (+ leakage) (\\si{\\milli\\joule}) & "
                   "\\num{12.60}") != std::string::npos);
    CHECK(tex.find("area (macro) (\\si{\\milli\\metre\\squared}) & \\num{0.02000}") !=
          std::string::npos);
    CHECK(tex.find("leakage power (macro) (\\si{\\micro\\watt}) & \\num{100.0}") !=
          std::string::npos);
    CHECK(tex.find("\\label{tab:ag-asi-s1:results}") != std::string::npos);
    CHECK(tex.find("\\label{tab:results}") == std::string::npos);
    // Per epoch: S columns with the unit in the header (epoch 3 write energy 2 mJ → 2.000).
    CHECK(tex.find("S[table-format=") != std::string::npos);
    CHECK(tex.find("write\\\\energy\\\\(\\si{\\milli\\joule})") != std::string::npos);
    // Breakdown: layer1 write cells = 0.75 × 0.4 × 9 mJ = 2.7 mJ, 30 % of the write energy.
    CHECK(tex.find("training write energy & layer1/cells & \\SI{2.700}{\\milli\\joule} & 30.00") !=
          std::string::npos);
}

TEST_CASE("report: the device curve comes from config.yaml's card and spans Gmin..Gmax",
          "[report]") {
    auto c = report::device_curves(test::fixture_runs() / "ag-asi-s1" / "config.yaml");
    double gmax = 1 / 26e6, gmin = gmax / 12.5;  // r_on 26 MOhm, on/off 12.5
    REQUIRE(c.ltp_g.size() == 98);
    REQUIRE(c.ltd_g.size() == 101);
    CHECK(c.ltp_g.front() == Approx(gmin).epsilon(1e-9));
    CHECK(c.ltp_g.back() == Approx(gmax).epsilon(1e-9));
    CHECK(c.ltd_g.front() == Approx(gmax).epsilon(1e-9));
    CHECK(c.ltd_g.back() == Approx(gmin).epsilon(1e-9));
    for (std::size_t i = 1; i < c.ltp_g.size(); ++i) CHECK(c.ltp_g[i] > c.ltp_g[i - 1]);
    for (std::size_t i = 1; i < c.ltd_g.size(); ++i) CHECK(c.ltd_g[i] < c.ltd_g[i - 1]);
}

TEST_CASE("report: a software-mode run has no hardware figures and says why", "[report]") {
    RunsCopy runs;
    auto out = report::render_run(runs / "software-s1");
    auto html = slurp(runs / "software-s1" / "report.html");
    CHECK(occurrences(html, "<svg ") == 2);  // accuracy and device
    CHECK(occurrences(svg_of(html, "accuracy"), "class=\"pt\"") == 3);
    CHECK(html.find("Software mode") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(runs / "software-s1" / "figures" / "energy.svg"));
}

TEST_CASE("report: a run directory missing a file is a clear error naming it", "[report]") {
    RunsCopy runs;
    for (const char* f :
         {"summary.json", "epochs.csv", "config.yaml", "manifest.json", "epochs.json"}) {
        RunsCopy fresh;
        std::filesystem::remove(fresh / "ag-asi-s1" / f);
        try {
            report::render_run(fresh / "ag-asi-s1");
            FAIL("no error for a missing " << f);
        } catch (const report::Error& e) {
            std::string m = e.what();
            CHECK(m.find(std::string("missing file '") + f + "'") != std::string::npos);
        }
    }
    CHECK_THROWS_WITH(report::render_run(runs / "no-such-run"),
                      Catch::Contains("not a run directory"));
}

TEST_CASE("report: malformed files are errors naming file, line and column", "[report]") {
    RunsCopy runs;
    auto csv = runs / "ag-asi-s1" / "epochs.csv";
    REQUIRE(test::replace_in_file(csv, "\n2,70,", "\n2,seventy,"));
    CHECK_THROWS_WITH(
        report::render_run(runs / "ag-asi-s1"),
        Catch::Contains("epochs.csv:3:3: column 'accuracy': 'seventy' is not a number"));
    RunsCopy r2;
    test::spit(r2 / "ag-asi-s1" / "summary.json", "{\"device\": \"x\"}");
    CHECK_THROWS_WITH(report::render_run(r2 / "ag-asi-s1"),
                      Catch::Contains("summary.json: missing key 'tech'"));
    RunsCopy r3;
    REQUIRE(test::replace_in_file(r3 / "ag-asi-s1" / "epochs.csv", "ltd_pulses,", "ltd_pulsez,"));
    CHECK_THROWS_WITH(report::render_run(r3 / "ag-asi-s1"),
                      Catch::Contains("header lacks column 'ltd_pulses'"));
    // Broken JSON and YAML: the position with the file, never the library's own prefix.
    RunsCopy r4;
    test::spit(r4 / "ag-asi-s1" / "summary.json", "{\"a\": ");
    CHECK_THROWS_WITH(report::render_run(r4 / "ag-asi-s1"),
                      Catch::Contains("summary.json:1:") &&
                          Catch::Contains("not valid JSON: syntax error") &&
                          !Catch::Contains("json.exception"));
    RunsCopy r5;
    test::spit(r5 / "ag-asi-s1" / "config.yaml", "a: [1,\n b: {");
    CHECK_THROWS_WITH(report::render_run(r5 / "ag-asi-s1"), Catch::Contains("config.yaml:2:") &&
                                                                Catch::Contains("not valid YAML") &&
                                                                !Catch::Contains("yaml-cpp"));
}

TEST_CASE("report: an incomplete run and an inconsistent breakdown are flagged in the report",
          "[report]") {
    RunsCopy runs;
    auto dir = runs / "ag-asi-s1";
    REQUIRE(
        test::replace_in_file(dir / "summary.json", "\"complete\": true", "\"complete\": false"));
    REQUIRE(test::replace_in_file(dir / "manifest.json", "\"status\": \"complete\"",
                                  "\"status\": \"interrupted\""));
    // epoch 1's read energy breakdown no longer adds up to epochs.csv.
    REQUIRE(test::replace_in_file(dir / "epochs.json", "\"cells\": 0.0004,", "\"cells\": 0.0014,"));
    auto out = report::render_run(dir);
    REQUIRE(out.warnings.size() == 2);
    CHECK_THAT(out.warnings[0], Catch::Contains("not complete (status 'interrupted'"));
    CHECK_THAT(out.warnings[1], Catch::Contains("epoch 1: the per-block breakdown"));
    CHECK(slurp(dir / "report.html").find("class=\"warning\"") != std::string::npos);
}

TEST_CASE("report: a hardware run with zero costs is warned about, not shown as free", "[report]") {
    RunsCopy runs;
    auto dir = runs / "ag-asi-s1";
    REQUIRE(test::replace_in_file(dir / "summary.json", "\"area_m2\": 2e-08", "\"area_m2\": 0"));
    auto out = report::render_run(dir);
    REQUIRE(out.warnings.size() == 1);
    CHECK(out.warnings[0] ==
          "this hardware run reports zero area: a cost the circuit model did not provide, not a "
          "free one");
    CHECK_FALSE(std::filesystem::exists(dir / "figures" / "area.svg"));
}

TEST_CASE(
    "report: out-of-range values in a run's files are refused with file:line:column, never "
    "rendered",
    "[report][bad-input]") {
    // The probe's edits of epochs.csv (NaN, -50 and 1e308 accuracies) and their kin: each a
    // replacement of row 2's start "2,70,8000,0.5,1.5,0.001," (line 3) and the message expected.
    struct Case {
        std::string to, message;
    };
    const std::vector<Case> cases{
        {"2,nan,8000,0.5,1.5,0.001,",
         "epochs.csv:3:3: column 'accuracy': 'nan' is not a finite number"},
        {"2,-50,8000,0.5,1.5,0.001,",
         "epochs.csv:3:3: column 'accuracy': -50 is not a percentage (expected 0 to 100)"},
        {"2,1e308,8000,0.5,1.5,0.001,",
         "epochs.csv:3:3: column 'accuracy': 1e308 is not a percentage"},
        {"2,100.5,8000,0.5,1.5,0.001,",
         "epochs.csv:3:3: column 'accuracy': 100.5 is not a percentage"},
        {"2,70,8000,0.5,1.5,-inf,",
         "epochs.csv:3:19: column 'read_energy_J': '-inf' is not a finite number"},
        {"2,70,8000,-0.5,1.5,0.001,", "epochs.csv:3:11: column 'read_latency_s': -0.5 is negative"},
    };
    for (const auto& c : cases) {
        RunsCopy runs;
        REQUIRE(test::replace_in_file(runs / "ag-asi-s1" / "epochs.csv",
                                      "\n2,70,8000,0.5,1.5,0.001,", "\n" + c.to));
        CHECK_THROWS_WITH(report::render_run(runs / "ag-asi-s1"), Catch::Contains(c.message));
    }
    // Limits are inclusive: 0 % and 100 % are accuracies.
    RunsCopy ok;
    REQUIRE(test::replace_in_file(ok / "ag-asi-s1" / "epochs.csv", "\n2,70,", "\n2,100,"));
    REQUIRE(test::replace_in_file(ok / "ag-asi-s1" / "epochs.csv", "\n1,60,", "\n1,0,"));
    CHECK_NOTHROW(report::render_run(ok / "ag-asi-s1"));
    RunsCopy r2;
    REQUIRE(test::replace_in_file(r2 / "ag-asi-s1" / "summary.json", "\"final_accuracy\": 72.0",
                                  "\"final_accuracy\": -50"));
    CHECK_THROWS_WITH(
        report::render_run(r2 / "ag-asi-s1"),
        Catch::Contains("summary.json: key 'final_accuracy': -50 is not a percentage"));
}
