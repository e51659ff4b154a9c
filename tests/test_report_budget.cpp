// Budgets: parsing with units, margins against a run summary (hand-computed), clear errors.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "report/budget.hpp"
#include "report/run_data.hpp"
#include "report_fixture.hpp"

using namespace synbench;

TEST_CASE("budget: items with units parse to SI", "[report][budget]") {
    auto b = report::parse_budget("area=1mm2,energy=10mJ,latency=1s,leakage=100uW");
    CHECK(*b.area_m2 == Approx(1e-6));
    CHECK(*b.energy_J == Approx(1e-2));
    CHECK(*b.latency_s == Approx(1.0));
    CHECK(*b.leakage_W == Approx(1e-4));
    auto c = report::parse_budget(" energy = 2.5 uJ ");
    CHECK(*c.energy_J == Approx(2.5e-6));
    CHECK_FALSE(c.area_m2);
}

TEST_CASE("budget: bad budget strings give errors naming the item and what was expected",
          "[report][budget]") {
    auto msg = [](const char* text) {
        try {
            report::parse_budget(text);
        } catch (const config::Error& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    CHECK_THAT(msg("area=1"),
               Catch::Contains("--budget: field 'area'") && Catch::Contains("e.g. area=1 mm2"));
    CHECK_THAT(msg("area=1 mJ"), Catch::Contains("field 'area'") && Catch::Contains("energy"));
    CHECK_THAT(msg("power=1W"), Catch::Contains("unknown budget item 'power'") &&
                                    Catch::Contains("leakage=<100 uW>"));
    CHECK_THAT(msg("leakge=1uW"), Catch::Contains("did you mean 'leakage'"));
    CHECK_THAT(msg("energy=10mJ,energy=5mJ"), Catch::Contains("field 'energy': given twice"));
    CHECK_THAT(msg("area"), Catch::Contains("'area' has no '='"));
    CHECK_THAT(msg(""), Catch::Contains("empty budget"));
    CHECK_THAT(msg("area=1mm2,,energy=1J"), Catch::Contains("empty item"));
    CHECK_THAT(msg("energy=-1mJ"), Catch::Contains("must be a positive energy"));
}

TEST_CASE("budget: margins against a run summary", "[report][budget]") {
    auto run = report::load_run(test::fixture_runs() / "ag-asi-s1");
    // Fixture totals: area 0.02 mm², leakage 100 µW, energy 12.6 mJ, latency 1.5 s + 4.5 s = 6 s.
    auto check = report::check_budget(
        report::parse_budget("area=1mm2,energy=10mJ,latency=10s,leakage=100uW"),
        report::totals_from_summary(run.summary));
    REQUIRE(check.lines.size() == 4);
    const auto& area = check.lines[0];
    CHECK(area.item == "area");
    CHECK_FALSE(area.exceeded);
    CHECK(area.margin == Approx(0.98e-6));
    CHECK(area.margin_fraction == Approx(0.98));
    const auto& energy = check.lines[1];
    CHECK(energy.exceeded);
    CHECK(energy.margin == Approx(-2.6e-3));
    CHECK(energy.margin_fraction == Approx(-0.26));
    const auto& latency = check.lines[2];
    CHECK_FALSE(latency.exceeded);
    CHECK(*latency.actual == Approx(6.0));
    CHECK(latency.margin_fraction == Approx(0.4));
    CHECK_FALSE(check.lines[3].exceeded);  // exactly at the budget: passes
    CHECK(check.exceeded());
    auto text = report::format_budget(check);
    CHECK_THAT(text, Catch::Contains("EXCEEDED by 2.6 mJ (26.0 % over)"));
    CHECK_THAT(text, Catch::Contains("ok, margin 4 s (40.0 %)"));
    auto j = report::budget_json(check);
    CHECK(j["exceeded"] == true);
    CHECK(j["items"][1]["status"] == "exceeded");
    CHECK(j["items"][1]["margin_J"].get<double>() == Approx(-2.6e-3));

    auto pass = report::check_budget(report::parse_budget("energy=12.7mJ"),
                                     report::totals_from_summary(run.summary));
    CHECK_FALSE(pass.exceeded());
}

TEST_CASE("budget: an estimate has only area and leakage — energy and latency are not applicable",
          "[report][budget]") {
    auto check = report::check_budget(report::parse_budget("area=1mm2,energy=1nJ,leakage=50uW"),
                                      report::totals_from_estimate(2e-6, 1e-5));
    REQUIRE(check.lines.size() == 3);
    CHECK(check.lines[0].exceeded);  // 2 mm² > 1 mm²
    CHECK(check.lines[0].margin_fraction == Approx(-1.0));
    CHECK_FALSE(check.lines[1].actual);
    CHECK_FALSE(check.lines[1].exceeded);
    CHECK(check.lines[2].margin == Approx(4e-5));
    CHECK_THAT(report::format_budget(check), Catch::Contains("not applicable"));
}

TEST_CASE("budget: a software-mode run has no hardware quantities to check", "[report][budget]") {
    auto run = report::load_run(test::fixture_runs() / "software-s1");
    auto check = report::check_budget(report::parse_budget("area=1um2,energy=1fJ"),
                                      report::totals_from_summary(run.summary));
    CHECK_FALSE(check.exceeded());
    CHECK_FALSE(check.lines[0].actual);
}
