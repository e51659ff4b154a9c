// Technology cards and transistor/wire primitives against hand-derived values (32 nm HP, 300 K:
// Vdd 0.9 V, I_on,n 1410 µA/µm, I_on,p 1220 µA/µm, I_off,n 100.3 nA/µm, I_off,p 100.1 nA/µm,
// C_ideal 3.767721e-10 F/m, C_fringe 4.713762e-10 F/m, k = 1.54; see tech/32nm.yaml).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "tech/card.hpp"
#include "tech/transistor.hpp"
#include "tech/wire.hpp"

using namespace synbench;
using Catch::Contains;

namespace {
std::string card_path(const std::string& node) {
    return std::string(SYNBENCH_SOURCE_DIR) + "/tech/" + node + ".yaml";
}
tech::Card card(const std::string& node,
                std::vector<std::pair<std::string, std::string>> sets = {}) {
    return tech::load_card(card_path(node), sets);
}
}  // namespace

TEST_CASE("tech: 32 nm HP card values and temperature interpolation", "[tech]") {
    auto t = card("32nm");
    CHECK(t.vdd == Approx(0.9));
    CHECK(t.node == Approx(32e-9));
    CHECK(t.ion_n == Approx(1410.0));  // A/m = µA/µm
    CHECK(t.ioff_p == Approx(100.1e-3 * 1e-6 / 1e-6));
    CHECK(t.c_overlap == Approx(0.2 * 3.767721e-10));
    // 305 K: halfway between the 300 K and 310 K entries (1410 and 1380 µA/µm; 100.3 and 120.4
    // nA/µm).
    auto t305 = card("32nm", {{"temperature", "305 K"}});
    CHECK(t305.ion_n == Approx(1395.0));
    CHECK(t305.ioff_n == Approx(110.35e-3));
    auto lstp = card("32nm", {{"flavour", "lstp"}});
    CHECK(lstp.ion_n == Approx(600.2));
    CHECK(lstp.r_on_factor == Approx(1.77));
}

TEST_CASE("tech: unsupported flavour or temperature is a clear error", "[tech]") {
    CHECK_THROWS_WITH(card("32nm", {{"temperature", "450 K"}}),
                      Contains("outside the current tables") && Contains("300 K to 400 K"));
    CHECK_THROWS_WITH(card("32nm", {{"temperature", "290 K"}}),
                      Contains("outside the current tables"));
    CHECK_THROWS_WITH(card("22nm", {{"flavour", "lp"}}),
                      Contains("no flavour 'lp'") && Contains("hp, lstp"));
    CHECK_THROWS_WITH(card("32nm", {{"wire.unknown", "1"}}), Contains("unknown"));
}

TEST_CASE("tech: every node's card loads in both flavours", "[tech]") {
    for (const char* n : {"130nm", "90nm", "65nm", "45nm", "32nm", "22nm", "14nm", "10nm", "7nm"})
        for (const char* f : {"hp", "lstp"}) {
            INFO(n << " " << f);
            auto t = card(n, {{"flavour", f}, {"temperature", "350 K"}});
            CHECK(t.vdd > 0.5);
            CHECK(t.ion_n > 0);
            CHECK(t.ioff_n > 0);
            CHECK((t.kind == tech::Kind::finfet) == (t.node < 20e-9));
        }
}

TEST_CASE("tech: transistor primitives at 32 nm HP", "[tech]") {
    auto t = card("32nm");
    const double wn = 64e-9;                    // minimum NMOS, 2F
    const double wp = 64e-9 * 1410.0 / 1220.0;  // balanced PMOS: 73.967 nm
    CHECK(tech::min_width(t, tech::Mos::n) == Approx(wn));
    CHECK(tech::min_width(t, tech::Mos::p) == Approx(wp));
    // R_on = 1.54 · 0.9 / (1410 A/m · 64 nm) = 15359 Ω
    CHECK(tech::on_resistance(t, wn, tech::Mos::n) == Approx(15359.04).epsilon(1e-6));
    CHECK(tech::width_for_resistance(t, 15359.04255, tech::Mos::n) == Approx(wn).epsilon(1e-6));
    // C_g = (1.2 · 3.767721e-10 + 4.713762e-10) · 64 nm = 5.9104e-17 F
    CHECK(tech::gate_cap(t, wn) == Approx(5.910417e-17).epsilon(1e-6));
    // Leakage: INV (64n·0.1003 + 73.97n·0.1001)/2 · 0.9 = 6.2205 nW; NAND2 2·73.97n·0.1001·0.48·0.9
    // = 6.3972 nW
    CHECK(tech::gate_leakage(t, tech::GateKind::inv, 1, wn, wp) ==
          Approx(6.22049e-9).epsilon(1e-5));
    CHECK(tech::gate_leakage(t, tech::GateKind::nand, 2, 2 * wn, wp) ==
          Approx(6.39716e-9).epsilon(1e-5));
    CHECK(tech::gate_leakage(t, tech::GateKind::nor, 2, wn, 2 * wp) ==
          Approx(2 * 64e-9 * 0.1003 * 0.95 * 0.9).epsilon(1e-6));
    CHECK(tech::gate_leakage(t, tech::GateKind::tg, 1, wn, wp) == 0.0);
    // Drain cap: positive, grows with width, includes the gate-edge sidewall.
    const double h = tech::standard_height(t);
    CHECK(h == Approx(28 * 32e-9));
    CHECK(tech::drain_cap(t, 2 * wn, h) > tech::drain_cap(t, wn, h));
    // Footprint of a minimum inverter at the standard height: 2 · (poly 1 + gap 2.8) · F = 243.2 nm
    // wide.
    auto fp = tech::gate_footprint(t, tech::GateKind::inv, 1, wn, wp, h);
    CHECK(fp.width == Approx(243.2e-9));
    CHECK(fp.height == Approx(896e-9));
    // NAND3: (3 + 1) stripes; a 3 µm NMOS folds into fingers and widens the cell.
    CHECK(tech::gate_footprint(t, tech::GateKind::nand, 3, 2 * wn, wp, h).width ==
          Approx(4 * 3.8 * 32e-9));
    CHECK(tech::gate_footprint(t, tech::GateKind::inv, 1, 3e-6, 0, h).width > fp.width);
}

TEST_CASE("tech: Horowitz delay", "[tech]") {
    auto t = card("32nm");
    const double tau = 1e-11;
    // Step input: tau · |ln 0.5|.
    CHECK(tech::horowitz(t, tau, std::numeric_limits<double>::infinity()).delay ==
          Approx(tau * std::log(2.0)));
    // A slow ramp slows the stage down.
    CHECK(tech::horowitz(t, tau, 1.0 / 1e-10).delay > tech::horowitz(t, tau, 1.0 / 1e-12).delay);
}

TEST_CASE("tech: FinFET widths come in whole fins", "[tech]") {
    auto t = card("14nm");
    // fin 23 nm high, 10 nm wide: 56 nm of effective width per fin.
    CHECK(tech::effective_width(t, 10e-9) == Approx(56e-9));
    CHECK(tech::effective_width(t, 60e-9) == Approx(112e-9));
}

TEST_CASE("tech: wire resistance and capacitance", "[tech]") {
    auto t = card("32nm");
    // 56 nm wide, AR 1.8, 4 nm barrier: conducting fraction 1 − 257.6·4/5644.8 = 0.81746;
    // R' = 2.63e-8 / 0.81746 / (1.8 · 56² nm²) = 5.6995e6 Ω/m.
    CHECK(tech::local_wire_resistance_per_m(t) == Approx(5.69955e6).epsilon(1e-5));
    // Array wire 100 nm (MLP+NeuroSim: ρ 2.73e-8, AR 2.3): 1.18696e6 Ω/m.
    CHECK(tech::array_wire_resistance_per_m(t, 100e-9) == Approx(1.186957e6).epsilon(1e-6));
    CHECK_THROWS_WITH(tech::array_wire_resistance_per_m(t, 5e-9), Contains("outside"));
    CHECK(tech::wire_cap_per_m(t) == Approx(0.2e-15 / 1e-6));
    // Copper: +0.45 %/K.
    auto hot = card("32nm", {{"temperature", "350 K"}});
    CHECK(tech::local_wire_resistance_per_m(hot) == Approx(5.69955e6 * 1.225).epsilon(1e-5));
}

TEST_CASE("tech: trends", "[tech][trend]") {
    auto t = card("32nm");
    const double wn = tech::min_width(t, tech::Mos::n), wp = tech::min_width(t, tech::Mos::p);
    SECTION("higher temperature, more leakage") {
        double prev = 0;
        for (const char* T : {"300 K", "330 K", "360 K", "400 K"}) {
            auto c = card("32nm", {{"temperature", T}});
            const double l = tech::gate_leakage(c, tech::GateKind::inv, 1, wn, wp);
            CHECK(l > prev);
            prev = l;
        }
    }
    SECTION("longer wire, more delay (repeated and not)") {
        const double r = tech::local_wire_resistance_per_m(t), c = tech::wire_cap_per_m(t);
        CHECK(tech::unrepeated_wire(t, 200e-6, r, c, 0).delay >
              tech::unrepeated_wire(t, 100e-6, r, c, 0).delay);
        CHECK(tech::repeated_wire(t, 2e-3, r, c).delay > tech::repeated_wire(t, 1e-3, r, c).delay);
        // Repeaters make a long wire linear instead of quadratic: faster than the bare line.
        CHECK(tech::repeated_wire(t, 5e-3, r, c).delay <
              tech::unrepeated_wire(t, 5e-3, r, c, 0).delay);
        CHECK(tech::repeated_wire(t, 5e-3, r, c).repeaters > 1);
    }
}
