// Issue 13 step 3: the physical read-outs of macro cards (charge, voltage_sense, cco) against
// hand-derived values and the identities of their first-order models.
#include <catch2/catch.hpp>
#include <cmath>

#include "circuit/logic.hpp"
#include "circuit/readout_physics.hpp"
#include "tech/card.hpp"
#include "tech/transistor.hpp"

using namespace synbench;
using namespace synbench::circuit;
using Catch::Detail::Approx;

namespace {
const std::string root = SYNBENCH_SOURCE_DIR;

ReadoutConstants constants() { return load_readout_constants(root + "/data/macro-readout.yaml"); }

Readout run(const tech::Card& t, const std::string& kind, int bits, double mu, double v = 0.5,
            double clock = 1e9) {
    return physical_readout(t, constants(), ReadoutSpec{kind, bits, v, clock, mu});
}
}  // namespace

TEST_CASE("readout physics: the shipped constants", "[macro][readout]") {
    const auto k = constants();
    CHECK(k.comparator_gates == 12);
    CHECK(k.thermal_noise_factor == 12);
    CHECK(k.gm_over_id == 15);
    CHECK(k.settle_fraction == 0.5);
    CHECK(k.ring_stages == 5);
}

TEST_CASE("readout physics: SAR DAC switching factor by hand", "[macro][readout]") {
    // N = 1: 2^0·1 = 1; N = 2: 2^1·1 + 2^-1·3 = 3.5; N = 3: 2^2·1 + 2^0·3 + 2^-2·7 = 8.75.
    CHECK(sar_dac_switching_factor(1) == Approx(1.0));
    CHECK(sar_dac_switching_factor(2) == Approx(3.5));
    CHECK(sar_dac_switching_factor(3) == Approx(8.75));
    // N = 10: 1363.33 (≈ 1.33 × the 1024 unit capacitors: Ginsburg and Chandrakasan 2007).
    CHECK(sar_dac_switching_factor(10) == Approx(1363.334).epsilon(1e-6));
}

TEST_CASE("readout physics: sampling capacitor is the larger of 2^N unit gates and kT/C",
          "[macro][readout]") {
    const auto t = tech::load_card(root + "/tech/32nm.yaml");
    const double c_g = tech::gate_cap(t, tech::min_width(t, tech::Mos::n));
    // 4 bits at 0.5 V: kT/C bound 12·k·300 K·4^4/0.25 V² = 0.0509 fF, far below 16 unit gates.
    CHECK(run(t, "charge", 4, 0.5).c_sample == Approx(16 * c_g).epsilon(1e-12));
    // 12 bits at 0.5 V: 12·1.380649e-23·300·4^12/0.25 = 3.3355 pF, above 4096 gates (< 1 pF).
    REQUIRE(4096 * c_g < 3.3e-12);
    CHECK(run(t, "charge", 12, 0.5).c_sample == Approx(3.33554e-12).epsilon(1e-5));
    CHECK(run(t, "voltage_sense", 12, 0.5).c_sample == Approx(3.33554e-12).epsilon(1e-5));
    // Halving the full scale quadruples the kT/C bound.
    CHECK(run(t, "charge", 12, 0.5, 0.25).c_sample == Approx(4 * 3.33554e-12).epsilon(1e-5));
}

TEST_CASE("readout physics: charge read-out energy by hand and linear in the mean input",
          "[macro][readout]") {
    const auto t = tech::load_card(root + "/tech/32nm.yaml");
    const int N = 6;
    const double V = 0.5, vdd = t.vdd;
    const double w = tech::min_width(t, tech::Mos::n), c_g = tech::gate_cap(t, w);
    const double c_s = 64 * c_g;
    const double settle = c_s * 7 * std::log(2.0) * vdd / 15;
    const double e_cmp = 12 * c_g * vdd * vdd;
    const double e_cnt = counter(t, N, 0).read_energy;
    // mu = 0: sampling only, C_s·V·Vdd + one settling.
    CHECK(run(t, "charge", N, 0).energy_J == Approx(c_s * V * vdd + settle).epsilon(1e-12));
    // mu = 1: twice the charge, 64 steps each settled, compared and counted.
    CHECK(run(t, "charge", N, 1).energy_J ==
          Approx(2 * c_s * V * vdd + 65 * settle + 64 * (e_cmp + e_cnt)).epsilon(1e-12));
    const double e0 = run(t, "charge", N, 0).energy_J, e1 = run(t, "charge", N, 1).energy_J;
    CHECK(run(t, "charge", N, 0.25).energy_J == Approx(0.75 * e0 + 0.25 * e1).epsilon(1e-12));
    // 2^N clock cycles per conversion.
    CHECK(run(t, "charge", N, 0.5).time_s == Approx(64e-9));
    CHECK(run(t, "charge", N, 0.5, 0.5, 2e9).time_s == Approx(32e-9));
}

TEST_CASE("readout physics: voltage sense by hand", "[macro][readout]") {
    const auto t = tech::load_card(root + "/tech/32nm.yaml");
    const int N = 4;
    const double V = 0.5, vdd = t.vdd;
    const double w = tech::min_width(t, tech::Mos::n), c_g = tech::gate_cap(t, w);
    const double c_s = 16 * c_g;
    const double settle = c_s * 5 * std::log(2.0) * vdd / 15;
    // Σ 2^(5−2i)(2^i−1), i = 1..4: 8·1 + 2·3 + 0.5·7 + 0.125·15 = 19.375.
    REQUIRE(sar_dac_switching_factor(4) == Approx(19.375));
    const double dac4 = c_g * V * V * 19.375;
    const double e_cmp = 12 * c_g * vdd * vdd;
    const double e_reg = dff_register(t, N, 0, 1e9).read_energy;
    const auto r = run(t, "voltage_sense", N, 0.3);
    CHECK(r.energy_J == Approx(settle + dac4 + N * (e_cmp + e_reg)).epsilon(1e-12));
    // Independent of the data (a SAR resolves every bit), N + extra cycles per conversion.
    CHECK(run(t, "voltage_sense", N, 0.9).energy_J == Approx(r.energy_J));
    CHECK(r.time_s == Approx((N + 1) * 1e-9));  // data/converters.yaml voltage_sense.cycles_extra
}

TEST_CASE("readout physics: CCO counts 2^N ring periods and spends energy per count",
          "[macro][readout]") {
    const auto t = tech::load_card(root + "/tech/32nm.yaml");
    const auto inv = inverter(t);
    const double c_stage = inv.c_in + inv.c_out;
    const double t_stage = 0.69 * inv.r_drive * c_stage;
    const auto cnt = counter(t, 8, 0);
    const double period = std::max(10 * t_stage, cnt.read_latency);
    const auto r = run(t, "cco", 8, 0.5);
    CHECK(r.time_s == Approx(256 * period).epsilon(1e-12));
    CHECK(r.energy_J ==
          Approx(0.5 * 256 * (5 * c_stage * t.vdd * t.vdd + cnt.read_energy)).epsilon(1e-12));
    // No input, no oscillation: no dynamic energy.
    CHECK(run(t, "cco", 8, 0).energy_J == 0);
    // One more bit doubles the window; the clock does not set it.
    CHECK(run(t, "cco", 9, 0.5).time_s == Approx(2 * run(t, "cco", 8, 0.5).time_s).epsilon(1e-9));
    CHECK(run(t, "cco", 8, 0.5, 0.5, 2e9).time_s == Approx(r.time_s));
}

TEST_CASE("readout physics: bad constants file and unknown kind are refused", "[macro][readout]") {
    const auto t = tech::load_card(root + "/tech/32nm.yaml");
    CHECK_THROWS_AS(physical_readout(t, constants(), ReadoutSpec{"sar", 4, 0.5, 1e9, 0.5}),
                    std::logic_error);
    CHECK_THROWS(physical_readout(t, constants(), ReadoutSpec{"charge", 4, 0, 1e9, 0.5}));
    CHECK_FALSE(is_physical_readout("sar"));
    CHECK(is_physical_readout("cco"));
}
