// data/converter-survey.yaml (tools/fit-adc-survey, B. Murmann's ADC survey at bmurmann/ADC-survey
// ddf3c1bb): the file parses, names its revision, and its typical energies land inside the energies
// of the published designs near the query point (hand-picked from data/converter-survey-rows.csv,
// listed below with their venue, year and paper number).
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <regex>
#include <string>

#include "units/units.hpp"

using namespace synbench;

namespace {
const std::string kFile = std::string(SYNBENCH_SOURCE_DIR) + "/data/converter-survey.yaml";

// E = at_reference · 10^(b (ENOB − 8)) · (node / 65 nm)^c · (f_nyq / 100 MHz)^d  (the file's
// `form`).
double energy(const YAML::Node& fam, double enob, double node_m, double fs_hz) {
    const auto e = fam["energy"];
    const double ref = units::parse_as(e["at_reference"].as<std::string>(), units::energy);
    return ref * std::pow(10.0, e["per_enob_bit"].as<double>() * (enob - 8.0)) *
           std::pow(node_m / 65e-9, e["node_exponent"].as<double>()) *
           std::pow(fs_hz / 100e6, e["rate_exponent"].as<double>());
}
double enob_of(const YAML::Node& fam, int nominal_bits) {
    return nominal_bits - fam["nominal_minus_enob"].as<double>();
}
}  // namespace

TEST_CASE("converter survey: the fit file names its revision, form and families",
          "[converter][data]") {
    const auto y = YAML::LoadFile(kFile);
    CHECK(y["source"]["repository"].as<std::string>() == "bmurmann/ADC-survey");
    CHECK(std::regex_match(y["source"]["commit"].as<std::string>(), std::regex("[0-9a-f]{40}")));
    CHECK(y["source"]["file"].as<std::string>() == "xls/ADCsurvey_rev20250609.xlsx");
    CHECK(y["form"].as<std::string>().find("log10(node / 65 nm)") != std::string::npos);
    CHECK(units::parse_as(y["reference"]["node"].as<std::string>(), units::length) ==
          Approx(65e-9));
    CHECK(units::parse_as(y["reference"]["sample_rate"].as<std::string>(), units::frequency) ==
          Approx(100e6));
    for (const char* f : {"sar", "flash", "time_domain", "other"}) {
        INFO(f);
        const auto fam = y["families"][f];
        REQUIRE(fam.IsMap());
        const int n = fam["designs"].as<int>();
        CHECK(n >= 15);
        CHECK(fam["energy"]["designs"].as<int>() == n);
        const double sigma = fam["energy"]["sigma_log10"].as<double>();
        CHECK(sigma > 0.1);  // published designs scatter by more than x1.25 at any fixed point
        CHECK(sigma < 1.0);  // and the fit explains them to within a decade
        // The pooled family holds every design of the others.
        if (std::string(f) != "other") CHECK(n < y["families"]["other"]["designs"].as<int>());
        // Converters use more energy at more bits (Walden: x2 per bit; the survey's slopes are
        // x1.4-x2).
        CHECK(fam["energy"]["per_enob_bit"].as<double>() > 0.1);
        CHECK(fam["energy"]["per_enob_bit"].as<double>() < 0.5);
    }
    CHECK(y["not_fitted"]["ramp"]["designs"].as<int>() < 15);
}

TEST_CASE("converter survey: typical energies lie among the published designs near the point",
          "[converter][data]") {
    const auto y = YAML::LoadFile(kFile);
    const auto sar = y["families"]["sar"], flash = y["families"]["flash"];
    // Hand check of the form with the file's rounded coefficients (SAR: 10.04 pJ, 0.283, 1.083,
    // 0.2009, nominal − ENOB 1.075; flash: 46.79 pJ, 0.3024, 2.137, 0.299, 0.9767). 8-bit SAR at 28
    // nm, 100 MS/s: ENOB 6.925, 10.04 pJ · 10^(0.283·−1.075) · (28/65)^1.083 = 2.0017 pJ.
    const double e_sar28 = energy(sar, enob_of(sar, 8), 28e-9, 100e6);
    CHECK(e_sar28 == Approx(2.0017e-12).epsilon(1e-4));
    // Published plain SARs within 1 ENOB bit and 2x node: 1.091 pJ (VLSI 2011 25.1, 40 nm) ... 6 pJ
    // (VLSI 2012 11.3, 28 nm); the others 2.083, 2.222, 2.55, 3.613 pJ (median 2.39 pJ).
    CHECK(e_sar28 > 1.091e-12);
    CHECK(e_sar28 < 6.0e-12);
    // 6-bit flash at 28 nm, 5 GS/s: ENOB 5.023, 46.79 pJ · 10^(0.3024·−2.977) · (28/65)^2.137 ·
    // 50^0.299 = 3.136 pJ.
    const double e_flash = energy(flash, enob_of(flash, 6), 28e-9, 5e9);
    CHECK(e_flash == Approx(3.136e-12).epsilon(1e-3));
    // Published flashes within 1 ENOB bit and 2x node: 1.7 pJ (VLSI 2013 21.3, 32 nm), 3.667 pJ
    // (VLSI 2012 4.1, 40 nm), 9.212 pJ (VLSI 2016 16.2, 28 nm).
    CHECK(e_flash > 1.7e-12);
    CHECK(e_flash < 9.212e-12);
    // 8-bit SAR at 130 nm, 10 MS/s: 6.647 pJ, among 1.2 pJ (VLSI 2015 3.2, 180 nm) ... 14.5 pJ
    // (ISSCC 2007 13.5, 90 nm).
    const double e_sar130 = energy(sar, enob_of(sar, 8), 130e-9, 10e6);
    CHECK(e_sar130 == Approx(6.647e-12).epsilon(1e-3));
    CHECK(e_sar130 > 1.2e-12);
    CHECK(e_sar130 < 14.5e-12);
    // Invariants of the fitted form: a finer node costs less energy, a faster converter more (SAR).
    CHECK(energy(sar, 7, 28e-9, 1e7) < energy(sar, 7, 40e-9, 1e7));
    CHECK(energy(sar, 7, 28e-9, 1e8) > energy(sar, 7, 28e-9, 1e7));
}
