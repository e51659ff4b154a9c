// Paper-ready figures and tables: log axes where devices differ by decades, SI-prefixed ticks,
// font sizes at a column's width, LaTeX with siunitx, PDF copies.
#include <catch2/catch.hpp>

#include <cmath>
#include <regex>

#include "report/compare.hpp"
#include "report/report.hpp"
#include "report/svg.hpp"
#include "report_fixture.hpp"

using namespace synbench;
using synbench::test::RunsCopy;
using synbench::test::slurp;
namespace svg = synbench::report::svg;

namespace {

// cy of every point of one series, in order.
std::vector<double> cys(const std::string& s, int series) {
    std::vector<double> out;
    std::regex re("class=\"pt\" data-series=\"" + std::to_string(series) +
                  "\"[^>]*cy=\"([-0-9.]+)\"");
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
        out.push_back(std::stod((*it)[1]));
    return out;
}

// The texts of tick labels.
std::vector<std::string> tick_texts(const std::string& s) {
    std::vector<std::string> out;
    std::regex re("class=\"tick\">([^<]*)</text>");
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1]);
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

svg::LineChart energy_chart(double ratio) {
    svg::LineChart c;
    c.id = "e";
    c.title = "Cumulative training energy vs epoch";
    c.xlabel = "epoch";
    c.ylabel = "training energy so far";
    c.y_unit = "J";
    c.series.push_back({"Ag:a-Si", {1, 2, 3}, {1e-3, 2e-3, 3e-3}, {}, {}, false});
    c.series.push_back(
        {"TaOx/TiO2", {1, 2, 3}, {ratio * 1e-3, ratio * 2e-3, ratio * 3e-3}, {}, {}, false});
    return c;
}

}  // namespace

TEST_CASE("figures: a log axis when the devices differ by 10× or more (the 99× main comparison)",
          "[report][figures]") {
    // The rule, on both sides of its threshold (peaks 3 mJ vs ratio × 3 mJ).
    CHECK(svg::wants_log({{1e-3, 2e-3, 3e-3}, {0.099, 0.198, 0.297}}));           // 99×
    CHECK(svg::wants_log({{1e-3, 2e-3, 3e-3}, {0.01, 0.02, 0.03}}));              // 10×
    CHECK_FALSE(svg::wants_log({{1e-3, 2e-3, 3e-3}, {9.9e-3, 0.0198, 0.0297}}));  // 9.9×
    CHECK_FALSE(svg::wants_log({{0, 2e-3}, {0.099, 0.198}}));  // a zero: no log axis
    CHECK_FALSE(svg::wants_log({{1e-3, 1.0}}));                // one series: its own growth
    CHECK(svg::wants_log({{1e-3}, {0.099}}));                  // bars: one value per group

    // 99×: decades 1 mJ … 1 J over the 210-unit plot, 70 per decade. Ag:a-Si's 1 → 3 mJ rises
    // 70·log10(3) = 33.4 units (16 % of the plot); on a linear axis it would rise 1.4 units.
    auto c = energy_chart(99);
    c.log_y = svg::wants_log({c.series[0].y, c.series[1].y});
    REQUIRE(c.log_y);
    auto s = svg::line_chart(c);
    CHECK(s.find("data-log=\"true\"") != std::string::npos);
    auto small = cys(s, 0), big = cys(s, 1);
    REQUIRE(small.size() == 3);
    REQUIRE(big.size() == 3);
    CHECK(small[0] - small[2] == Approx(70 * std::log10(3.0)).margin(0.02));
    CHECK(small[0] - big[0] == Approx(70 * std::log10(99.0)).margin(0.02));
    auto t = tick_texts(s);
    CHECK(has(t, "1 mJ"));
    CHECK(has(t, "10 mJ"));
    CHECK(has(t, "100 mJ"));
    CHECK(has(t, "1 J"));

    // The same data on a linear axis: the smaller device is a flat line at zero.
    c.log_y = false;
    auto lin = svg::line_chart(c);
    CHECK(lin.find("data-log=\"false\"") != std::string::npos);
    auto flat = cys(lin, 0);
    CHECK(flat[0] - flat[2] < 3);
    CHECK(lin.find("(mJ)") != std::string::npos);

    // Bars: the energy figure of a comparison whose devices differ by ≥ 10× gets a log axis.
    svg::HBars b;
    b.id = "b";
    b.title = "Training energy";
    b.xlabel = "training energy";
    b.labels = {"TaOx/TiO2", "Ag:a-Si"};
    b.values = {0.3373, 0.3373 / 99};
    b.unit = "J";
    b.log = svg::wants_log({{b.values[0]}, {b.values[1]}});
    auto hb = svg::hbars(b);
    CHECK(hb.find("data-log=\"true\"") != std::string::npos);
    CHECK(has(tick_texts(hb), "1 mJ"));
    CHECK(has(tick_texts(hb), "1 J"));
}

TEST_CASE("figures: the fixture comparison switches exactly its ≥ 10× figures to log axes",
          "[report][figures]") {
    // Fixture means: latency Ag:a-Si 6.25 s vs TaOx/TiO2 71.5 s (11.4×) → log; training energy
    // 13.125 vs 48.15 mJ (3.7×) → linear; EDP 0.0822 vs 3.44 J·s (42×) → log.
    RunsCopy c;
    report::CompareOptions opt;
    opt.runs = {c / "ag-asi-s1", c / "ag-asi-s2", c / "taox-tio2-s1"};
    opt.out = c.root / "cmp";
    auto w = report::compare_runs(opt);
    auto fig = [&](const std::string& id) { return slurp(opt.out / "figures" / (id + ".svg")); };
    CHECK(fig("cmp-latency").find("data-log=\"true\"") != std::string::npos);
    CHECK(fig("cmp-edp").find("data-log=\"true\"") != std::string::npos);
    CHECK(fig("cmp-energy-total").find("data-log=\"false\"") != std::string::npos);
    CHECK(fig("cmp-energy").find("data-log=\"false\"") != std::string::npos);
    CHECK(has(tick_texts(fig("cmp-latency")), "10 s"));
}

TEST_CASE("figures: ticks are rounded with SI prefixes, never e-notation, never below zero",
          "[report][figures]") {
    CHECK(svg::si(0.0123, "J") == "12.3 mJ");
    CHECK(svg::si(1e-3, "J") == "1 mJ");
    CHECK(svg::si(4.2e-7, "s") == "420 ns");
    CHECK(svg::si(2e4, "") == "20k");
    svg::LineChart c;
    c.id = "p";
    c.title = "t";
    c.xlabel = "x";
    c.ylabel = "energy";
    c.y_unit = "J";
    c.series.push_back({"a", {1, 2, 3}, {1e-12, 3e-12, 5e-12}, {}, {}, false});
    auto s = svg::line_chart(c);
    CHECK(s.find("energy (pJ)") != std::string::npos);
    auto t = tick_texts(s);
    REQUIRE(!t.empty());
    for (const auto& x : t) CHECK(x.find('e') == std::string::npos);
    CHECK(has(t, "5"));
    // No unit: a prefix letter instead of e-notation.
    c.y_unit.clear();
    c.series[0].y = {2e4, 5e4, 8e4};
    t = tick_texts(svg::line_chart(c));
    CHECK(has(t, "40k"));
    for (const auto& x : t) CHECK(x.find("e+") == std::string::npos);
    // A ± band wider than the values: an energy axis still starts at zero.
    c.y_unit = "J";
    c.series[0].y = {1e-3, 2e-3, 1e-3};
    c.series[0].err = {3e-3, 3e-3, 3e-3};
    t = tick_texts(svg::line_chart(c));
    REQUIRE(!t.empty());
    for (const auto& x : t) CHECK(x.rfind("-", 0) != 0);
    CHECK(has(t, "0"));
}

TEST_CASE("figures: every text is at least 8 pt when a figure is 3.5 in wide",
          "[report][figures]") {
    RunsCopy runs;
    auto out = report::render_run(runs / "ag-asi-s1");
    report::CompareOptions opt;
    opt.runs = {runs / "ag-asi-s1", runs / "taox-tio2-s1", runs / "software-s1"};
    opt.out = runs.root / "cmp";
    auto w = report::compare_runs(opt);
    auto figs = out.figures;
    figs.insert(figs.end(), w.figures.begin(), w.figures.end());
    REQUIRE(figs.size() == 15);  // the comparison draws training energy on two bases
    std::regex vb("viewBox=\"0 0 ([0-9.]+) ");
    std::regex fsz("font-size=\"([0-9.]+)\"");
    for (const auto& f : figs) {
        auto s = slurp(f);
        std::smatch m;
        REQUIRE(std::regex_search(s, m, vb));
        double width = std::stod(m[1]);
        CHECK(width == 420);
        std::size_t n = 0;
        for (auto it = std::sregex_iterator(s.begin(), s.end(), fsz); it != std::sregex_iterator();
             ++it, ++n) {
            double pt = std::stod((*it)[1]) * 252 / width;  // 3.5 in = 252 pt
            CHECK(pt >= 8);
        }
        CHECK(n > 5);
    }
}

TEST_CASE("latex: siunitx columns, long times in days, run-prefixed labels, wide tables split",
          "[report][latex]") {
    report::Doc d;
    d.title = "t";
    d.table({"times",
             "Times",
             {"run", "training time", "energy"},
             {{"a", "3.4 Ms", "12 mJ"}, {"b", "36 ks", "1.2 J"}, {"c", "—", "5 µJ"}},
             {},
             true});
    report::Table wide{"wide", "Wide", {"epoch"}, {}, {}, true};
    for (int j = 0; j < 14; ++j) wide.header.push_back("energy " + std::to_string(j));
    wide.rows.push_back({"1"});
    for (int j = 0; j < 14; ++j) wide.rows[0].push_back("1.5 mJ");
    d.table(wide);
    auto tex = report::to_latex(d, "note", "my run/1");
    // 3.4e6 s = 39.35 d; 36000 s = 0.4167 d; four significant figures.
    CHECK(tex.find("(\\si{\\day})") != std::string::npos);
    CHECK(tex.find("a & 39.35 & 0.01200 \\\\") != std::string::npos);
    CHECK(tex.find("b & 0.4167 & 1.200 \\\\") != std::string::npos);
    CHECK(tex.find("c & {---} & 5.000e") == std::string::npos);
    CHECK(tex.find("c & {---} & 0.000005000 \\\\") != std::string::npos);
    CHECK(tex.find("(\\si{\\joule})") != std::string::npos);
    CHECK(tex.find("S[table-format=2.4]") != std::string::npos);
    CHECK(tex.find("\\label{tab:my-run-1:times}") != std::string::npos);
    // 15 columns do not fit 345 pt: parts, each with the first column, labels -2, -3 ...
    CHECK(tex.find("\\caption{Wide (part 1 of ") != std::string::npos);
    CHECK(tex.find("\\label{tab:my-run-1:wide-2}") != std::string::npos);
    CHECK(test::occurrences(tex, "\\begin{table}") == test::occurrences(tex, "\\end{table}"));
}

TEST_CASE("pdf: figures get PDF copies from rsvg-convert, and without it a note says why",
          "[report][figures]") {
    RunsCopy runs;
    auto out = report::render_run(runs / "ag-asi-s1");
    auto none = report::write_pdfs(out.figures, "/nonexistent/rsvg-convert");
    CHECK(none.pdfs.empty());
    CHECK_THAT(none.note, Catch::Contains("was not found") && Catch::Contains("librsvg2-bin"));
    for (const auto& f : out.figures)
        CHECK_FALSE(std::filesystem::exists(std::filesystem::path(f).replace_extension(".pdf")));
    if (!std::filesystem::exists("/usr/bin/rsvg-convert")) {
        WARN("rsvg-convert is not installed (librsvg2-bin): the PDF half of this test did not run");
        return;
    }
    auto pdf = report::write_pdfs(out.figures);
    CHECK(pdf.note.empty());
    REQUIRE(pdf.pdfs.size() == out.figures.size());
    for (const auto& p : pdf.pdfs) CHECK(slurp(p).rfind("%PDF-", 0) == 0);
}

TEST_CASE("figures: 125 epochs' labels keep apart, long labels are shortened, not clipped",
          "[report][figures]") {
    svg::StackedBars c;
    c.id = "energy";
    c.title = "Training energy per epoch, by block";
    c.xlabel = "epoch";
    c.ylabel = "energy (mJ)";
    c.segments = {"read", "write", "leakage"};
    c.values.assign(3, std::vector<double>(125, 1.0));
    for (int k = 1; k <= 125; ++k) c.categories.push_back(std::to_string(k));
    auto s = svg::stacked_bars(c);
    // x positions of the epoch labels (the tick texts under the plot that are whole numbers > 0).
    std::regex re(
        "<text x=\"([0-9.]+)\" y=\"[0-9.]+\" font-size=\"14\" text-anchor=\"middle\" "
        "[^>]*class=\"tick\">([0-9]+)</text>");
    std::vector<std::pair<double, std::string>> lab;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
        lab.emplace_back(std::stod((*it)[1]), (*it)[2]);
    REQUIRE(lab.size() >= 5);
    CHECK(lab.size() <= 12);
    CHECK(lab.front().second == "1");
    for (std::size_t i = 1; i < lab.size(); ++i) {
        double gap = lab[i].first - lab[i - 1].first;
        CHECK(gap >=
              (svg::text_width(lab[i].second, 14) + svg::text_width(lab[i - 1].second, 14)) / 2 +
                  4);
    }
    // A bar label too long for its column: shortened with "…", the full text as its tooltip.
    svg::HBars b;
    b.id = "area";
    b.title = "Area by block";
    b.xlabel = "area (mm²)";
    std::string longname = "macro / neuron_periphery / layer1 / a block with a very long name";
    b.labels = {longname, "x"};
    b.values = {1, 2};
    b.texts = {"1 mm² (33.3 %)", "2 mm² (66.7 %)"};
    auto h = svg::hbars(b);
    CHECK(h.find("<title>" + longname + "</title>") != std::string::npos);
    CHECK(h.find(">" + longname + "</text>") == std::string::npos);
    CHECK(h.find("…</text>") != std::string::npos);
    // The value texts are whole: "2 mm² (66.7 %)" printed as is.
    CHECK(h.find("2 mm² (66.7 %)</text>") != std::string::npos);
}
