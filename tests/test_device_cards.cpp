// The card library in devices/ and the errors bad cards get.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "config/config.hpp"
#include "device/card.hpp"
#include "device/model.hpp"

using namespace synbench;
using Catch::Contains;

namespace {

const std::filesystem::path kRoot = SYNBENCH_SOURCE_DIR;

device::Card parse(const std::string& text) {
    auto doc = config::load_string(text, "card.yaml");
    config::Section s(doc);
    return device::parse_card(s);
}

// A valid exponential card with one line replaced by a regex substitution.
std::string base() {
    return "name: t\n"
           "source: {paper: test}\n"
           "model: exponential\n"
           "cell: {type: pseudo_crossbar_1t1r, access_resistance: 15 kOhm}\n"
           "conductance: {r_on: 26 MOhm, on_off_ratio: 12.5}\n"
           "ltp: {levels: 97, nl: 2.4, voltage: 3.2 V, pulse_width: 300 us}\n"
           "ltd: {levels: 100, nl: -4.88, voltage: -2.8 V, pulse_width: 300 us}\n"
           "read: {voltage: 0.5 V, pulse_width: 5 ns}\n";
}
std::string with(const std::string& pattern, const std::string& replacement) {
    return std::regex_replace(base(), std::regex(pattern), replacement);
}

}  // namespace

TEST_CASE("device cards: the library parses, names its sources and keeps the published numbers",
          "[device][cards]") {
    const char* expected[] = {"ag-asi",  "taox-hfox", "pcmo",         "alox-hfo2",
                              "gst-pcm", "epiram",    "hzo-fefet",    "taox-tio2",
                              "ideal",   "sram-6bit", "stt-mram-6bit"};
    for (const char* name : expected) {
        INFO(name);
        auto card = device::load_card(kRoot / "devices" / (std::string(name) + ".yaml"));
        CHECK_FALSE(card.source.paper.empty());
        CHECK_FALSE(card.source.notes.empty());
        CHECK(card.read_voltage == 0.5);
        CHECK(card.read_pulse_width == 5e-9);
        CHECK_NOTHROW(device::make_model(card));
    }
    // Spot checks against Table II / Table I of devices.md.
    auto pcmo = device::load_card(kRoot / "devices/pcmo.yaml");
    CHECK(pcmo.ltp.voltage == -2.0);  // PCMO potentiates with a negative pulse
    CHECK(pcmo.ltd.voltage == 2.0);
    CHECK(pcmo.ltp.pulse_width == Approx(1e-3));
    CHECK(*pcmo.ltd.nl_label == -6.76);
    auto tio2 = device::load_card(kRoot / "devices/taox-tio2.yaml");
    CHECK(tio2.ltp.levels == 102);
    CHECK(*tio2.ltp.nl_label == 1.85);
    CHECK(*tio2.ltd.nl_label == -1.79);
    CHECK(tio2.g_max == Approx(1 / 5e6));
    CHECK(tio2.g_min == Approx(1 / 10e6));
    CHECK(tio2.ltp.pulse_width == Approx(40e-3));
    CHECK(tio2.ltd.pulse_width == Approx(10e-3));
    auto gst = device::load_card(kRoot / "devices/gst-pcm.yaml");
    CHECK(*gst.ltd.nl_label == 2.4);  // positive LTD label, kept as published
    CHECK(gst.ltd.a_normalized > 0);
    auto hzo = device::load_card(kRoot / "devices/hzo-fefet.yaml");
    CHECK(hzo.ltd.a_normalized > 0);
    auto stt = device::load_card(kRoot / "devices/stt-mram-6bit.yaml");
    CHECK(stt.digital_bits == 6);
    CHECK(stt.ltp.levels == 63);
    CHECK(stt.g_max == Approx(1 / 3.5e3));
    auto ideal = device::load_card(kRoot / "devices/ideal.yaml");
    CHECK(ideal.variation.c2c == 0);
    CHECK(ideal.ltp.a_normalized == 0);
}

TEST_CASE("device cards: the common-range rule takes the overlap of per-direction ranges",
          "[device][cards]") {
    auto c = parse(with("ltp: \\{levels: 97,", "ltp: {levels: 97, g_min: 4 nS, g_max: 30 nS,"));
    CHECK(c.g_min == Approx(4e-9));
    CHECK(c.g_max == Approx(30e-9));
    auto d = parse(with("ltd: \\{levels: 100,", "ltd: {levels: 100, g_min: 5 nS, g_max: 50 nS,"));
    CHECK(d.g_min == Approx(5e-9));                    // larger of the two Gmin
    CHECK(d.g_max == Approx(1 / 26e6).epsilon(1e-9));  // smaller of the two Gmax
}

TEST_CASE("device cards: bad cards get located, explained errors", "[device][cards]") {
    SECTION("nonlinearity on a model without one") {
        CHECK_THROWS_WITH(parse(with("model: exponential", "model: linear")),
                          Contains("card.yaml:6:") && Contains("field 'ltp.nl'") &&
                              Contains("only the exponential model has a nonlinearity"));
    }
    SECTION("both nl and a") {
        CHECK_THROWS_WITH(parse(with("nl: 2.4,", "nl: 2.4, a: 0.5,")),
                          Contains("field 'ltp.a'") && Contains("not both"));
    }
    SECTION("a label the curve cannot reach") {
        CHECK_THROWS_WITH(parse(with("nl: 2.4", "nl: 12")), Contains("field 'ltp.nl'"));
    }
    SECTION("write voltage not above the read voltage") {
        CHECK_THROWS_WITH(parse(with("3.2 V", "0.4 V")),
                          Contains("field 'ltp'") && Contains("must exceed the read voltage"));
    }
    SECTION("non-identical pulses that turn unphysical") {
        CHECK_THROWS_WITH(parse(with("voltage: 3.2 V,", "voltage: 3.2 V, voltage_step: -0.1 V,")),
                          Contains("field 'ltp.voltage_step'"));
        CHECK_THROWS_WITH(parse(with("voltage: 3.2 V,", "voltage: 3.2 V, width_step: -10 us,")),
                          Contains("field 'ltp.width_step'"));
    }
    SECTION("ranges that do not overlap") {
        auto t = with("ltp: \\{levels: 97,", "ltp: {levels: 97, g_max: 5 nS,");
        t = std::regex_replace(t, std::regex("ltd: \\{levels: 100,"),
                               "ltd: {levels: 100, g_min: 6 nS,");
        CHECK_THROWS_WITH(parse(t), Contains("do not overlap"));
    }
    SECTION("variation on an ideal card") {
        auto t = std::regex_replace(base(), std::regex("nl: [-0-9.]+, "), "");
        t = std::regex_replace(t, std::regex("model: exponential"), "model: ideal") +
            "variation: {c2c: 2 %}\n";
        CHECK_THROWS_WITH(parse(t), Contains("card.yaml:9:") && Contains("field 'variation.c2c'") &&
                                        Contains("free of analog non-idealities"));
    }
    SECTION("d2d_nl on a model without a nonlinearity") {
        auto t = std::regex_replace(base(), std::regex("nl: [-0-9.]+, "), "");
        t = std::regex_replace(t, std::regex("model: exponential"), "model: soft_bounds") +
            "variation: {d2d_nl: 0.5}\n";
        CHECK_THROWS_WITH(parse(t), Contains("field 'variation.d2d_nl'"));
    }
    SECTION("stuck-at rates above 1") {
        CHECK_THROWS_WITH(parse(base() + "variation: {stuck_at_gmin: 60 %, stuck_at_gmax: 50 %}\n"),
                          Contains("exceed 1"));
    }
    SECTION("unknown model lists the known ones") {
        CHECK_THROWS_WITH(parse(with("model: exponential", "model: quantum")),
                          Contains("field 'model'") && Contains("soft_bounds"));
    }
    SECTION("digital levels that do not match the bits") {
        const std::string d =
            "name: d\nsource: {paper: x}\nmodel: digital\ncell: {type: digital_sram}\n"
            "conductance: {g_min: 1 uS, g_max: 2 uS}\ndigital: {bits: 6}\nltp: {levels: 64}\nltd: "
            "{}\n"
            "read: {voltage: 0.5 V, pulse_width: 5 ns}\n";
        CHECK_THROWS_WITH(parse(d), Contains("field 'ltp.levels'") && Contains("2^bits - 1 = 63"));
        CHECK_THROWS_WITH(
            parse(std::regex_replace(d, std::regex("ltp: \\{levels: 64\\}"), "ltp: {}") +
                  "drift: {nu: 0.1}\n"),
            Contains("field 'drift.nu'"));
        CHECK_THROWS_WITH(parse(std::regex_replace(d, std::regex("digital_sram"), "crossbar")),
                          Contains("needs a digital cell type"));
    }
    SECTION("look-up tables out of order or with the wrong sign") {
        auto t = std::regex_replace(base(), std::regex("nl: [-0-9.]+, "), "");
        t = std::regex_replace(t, std::regex("model: exponential"), "model: lookup");
        CHECK_THROWS_WITH(parse(t + "lookup:\n  ltp: [{g: 10 nS, dg: 1 nS}, {g: 5 nS, dg: 1 nS}]\n "
                                    " ltd: [{g: 5 nS, dg: -1 nS}, {g: 10 nS, dg: -1 nS}]\n"),
                          Contains("field 'lookup.ltp[1].g'") && Contains("strictly increasing"));
        CHECK_THROWS_WITH(parse(t + "lookup:\n  ltp: [{g: 5 nS, dg: 1 nS}, {g: 10 nS, dg: 1 nS}]\n "
                                    " ltd: [{g: 5 nS, dg: 1 nS}, {g: 10 nS, dg: -1 nS}]\n"),
                          Contains("LTD steps must be <= 0"));
        CHECK_THROWS_WITH(parse(t + "lookup:\n  ltp: [{g: 5 nS, dg: 1 nS}]\n  ltd: [{g: 5 nS, dg: "
                                    "-1 nS}, {g: 10 nS, dg: -1 nS}]\n"),
                          Contains("at least 2 rows"));
    }
}
