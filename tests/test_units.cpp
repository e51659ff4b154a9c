#include <catch2/catch.hpp>

#include "units/units.hpp"

namespace u = synbench::units;
using Catch::Detail::Approx;
using u::describe;
using u::format_human;
using u::format_si;
using u::parse_as;
using u::si_symbol;
using u::UnitError;

TEST_CASE("units: prefixed symbols parse into SI", "[units]") {
    CHECK(parse_as("300 us", u::time) == Approx(300e-6));
    CHECK(parse_as("26 MOhm", u::resistance) == Approx(26e6));
    CHECK(parse_as("3.2 V", u::voltage) == Approx(3.2));
    CHECK(parse_as("-2.8V", u::voltage) == Approx(-2.8));
    CHECK(parse_as("2 GHz", u::frequency) == Approx(2e9));
    CHECK(parse_as("100 nm", u::length) == Approx(100e-9));
    CHECK(parse_as("15 kOhm", u::resistance) == Approx(15e3));
    CHECK(parse_as("5 ms", u::time) == Approx(5e-3));
    CHECK(parse_as("1 min", u::time) == Approx(60));
    CHECK(parse_as("1 d", u::time) == Approx(86400));
    CHECK(parse_as("3.5 %", u::dimensionless) == Approx(0.035));
    CHECK(parse_as("1e-9 S", u::conductance) == Approx(1e-9));
    CHECK(parse_as("38.462 nS", u::conductance) == Approx(38.462e-9));
}

TEST_CASE("units: compound units compute their dimension", "[units]") {
    CHECK(parse_as("0.2 fF/um", u::capacitance_per_length) == Approx(0.2e-15 / 1e-6));
    CHECK(parse_as("1410 uA/um", u::current_per_length) == Approx(1410e-6 / 1e-6));
    CHECK(parse_as("2.73e-8 Ohm*m", u::resistivity) == Approx(2.73e-8));
    CHECK(parse_as("1e-3 F/m^2", u::capacitance_per_area) == Approx(1e-3));
    CHECK(parse_as("1e-3 F/m2", u::capacitance_per_area) == Approx(1e-3));
    CHECK(parse_as("6.06e-10 F/m", u::capacitance_per_length) == Approx(6.06e-10));
    CHECK(parse_as("1 um^2", u::area) == Approx(1e-12));
}

TEST_CASE("units: wrong or missing units are rejected with a reason", "[units]") {
    CHECK_THROWS_WITH(parse_as("26 MV", u::resistance),
                      Catch::Contains("is a voltage, expected a resistance"));
    CHECK_THROWS_WITH(parse_as("26", u::resistance), Catch::Contains("has no unit"));
    CHECK(parse_as("26", u::resistance, true) == 26);
    CHECK_THROWS_WITH(parse_as("3 furlongs", u::length), Catch::Contains("unknown unit"));
    CHECK_THROWS_WITH(parse_as("abc", u::length), Catch::Contains("does not start with a number"));
    CHECK_THROWS_WITH(parse_as("", u::length), Catch::Contains("empty"));
    CHECK_THROWS_WITH(parse_as("1e999 V", u::voltage), Catch::Contains("out of range"));
    CHECK_THROWS_AS(parse_as("1 V/s/m", u::voltage), UnitError);
}

TEST_CASE("units: formatting round-trips", "[units]") {
    for (double v : {300e-6, 26e6, 3.0769e-9, 0.1, 1.0 / 3.0}) {
        CHECK(parse_as(format_si(v, u::time), u::time) == v);
    }
    CHECK(format_human(300e-6, u::time) == "300 us");
    CHECK(format_human(26e6, u::resistance) == "26 MOhm");
    CHECK(si_symbol(u::capacitance_per_length) == "F/m");
    CHECK(describe(u::voltage) == "voltage");
}
