#include "circuit/readout_physics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"
#include "config/config.hpp"
#include "tech/transistor.hpp"
#include "util/card_search.hpp"

namespace synbench::circuit {

namespace {
constexpr double kBoltzmann = 1.380649e-23;  // J/K (SI 2019, exact)
}

ReadoutConstants load_readout_constants(const std::filesystem::path& path) {
    using config::Limits;
    auto doc = config::load_file(path);
    config::Section root(doc);
    ReadoutConstants k;
    k.file = path.string();
    {
        auto c = root.section("comparator");
        k.comparator_gates = c.number("gates", Limits::between(1, 100));
        c.text("source");
        c.finish();
    }
    {
        auto n = root.section("thermal_noise");
        k.thermal_noise_factor = n.number("factor", Limits::between(1, 100));
        n.text("source");
        n.finish();
    }
    {
        auto f = root.section("source_follower");
        k.gm_over_id = f.number("gm_over_id", Limits::between(1, 40));
        f.text("source");
        k.settle_fraction = f.number("settle_fraction", Limits{0.0, 1.0, false, true});
        f.text("settle_source");
        f.finish();
    }
    {
        auto r = root.section("ring_oscillator");
        k.ring_stages = static_cast<int>(r.integer("stages", Limits::between(3, 101)));
        if (k.ring_stages % 2 == 0)
            throw r.error("stages", fmt::format("{} stages: a ring oscillator needs an odd count",
                                                k.ring_stages));
        r.text("source");
        r.finish();
    }
    root.finish();
    return k;
}

std::optional<std::filesystem::path> find_readout_constants() {
    for (const auto& r : util::card_search_roots()) {
        const auto p = r / "data" / "macro-readout.yaml";
        if (std::filesystem::exists(p)) return p;
    }
    return std::nullopt;
}

double sar_dac_switching_factor(int bits) {
    double sum = 0;
    for (int i = 1; i <= bits; ++i)
        sum += std::ldexp(1.0, bits + 1 - 2 * i) * (std::ldexp(1.0, i) - 1);
    return sum;
}

bool is_physical_readout(const std::string& kind) {
    return kind == "charge" || kind == "voltage_sense" || kind == "cco";
}

Readout physical_readout(const tech::Card& t, const ReadoutConstants& k, const ReadoutSpec& s) {
    if (!is_physical_readout(s.kind))
        throw std::logic_error("physical_readout: kind '" + s.kind + "' is not modelled here");
    if (s.bits < 1 || s.v_fs <= 0 || s.clock <= 0)
        throw std::invalid_argument(
            "physical read-out: bits, full scale and clock must be positive");
    Readout r;
    const int N = s.bits;
    const double full = std::ldexp(1.0, N);  // 2^N levels
    const double mu = std::clamp(s.mean_fraction, 0.0, 1.0);
    const double vdd = t.vdd;
    const double w_min = tech::min_width(t, tech::Mos::n);
    const double c_g = tech::gate_cap(t, w_min);                // one minimum nMOS gate
    const double cap_density = t.c_gate_ideal / t.gate_length;  // MOS capacitor, F/m²
    const double e_cmp = k.comparator_gates * c_g * vdd * vdd;
    const double a_cmp = placed_area(t, k.comparator_gates * w_min, 0);
    const auto cnt = counter(t, N, 0);
    r.block.name = "converter";

    if (s.kind == "cco") {
        // Ring of n minimum inverters whose frequency follows the column current; a ripple
        // counter counts its periods. Full scale: 2^N periods at the ring's top frequency
        // 1 / (2 n t_stage) (or the counter's first toggle, if slower).
        const auto inv = inverter(t);
        const double c_stage = inv.c_in + inv.c_out;
        const double t_stage = 0.69 * inv.r_drive * c_stage;
        const int n = k.ring_stages;
        const double period = std::max(2.0 * n * t_stage, cnt.read_latency);
        r.time_s = full * period;
        const double e_period = n * c_stage * vdd * vdd;  // every node charged once per period
        r.energy_J = mu * full * (e_period + cnt.read_energy);
        r.block.area = placed_area(t, n * inv.width, 0) + cnt.area;
        r.block.leakage = n * inv.leakage + cnt.leakage;
        r.model = fmt::format(
            "physical CCO: {}-stage ring, {:.4g} ps per period, {:.4g} fJ per period + counter "
            "{:.4g} fJ per count, mean {:.3g} of 2^{} counts",
            n, period * 1e12, e_period * 1e15, cnt.read_energy * 1e15, mu, N);
        return r;
    }

    // Capacitive read-outs: a sampling capacitor of 2^N unit capacitors (a minimum nMOS gate
    // each, as the input DACs), at least the kT/C bound of N bits at full scale v_fs.
    const double c_ktc =
        k.thermal_noise_factor * kBoltzmann * t.temperature * full * full / (s.v_fs * s.v_fs);
    const double c_s = std::max(full * c_g, c_ktc);
    r.c_sample = c_s;
    const double a_cap = c_s / cap_density;
    // Settling the capacitor to N + 1 bits through a buffer in settle_fraction of a period:
    // g_m = C·(N+1)·ln2 / t_s, I = g_m / (g_m/I_D), energy I·Vdd·t_s = C·(N+1)·ln2·Vdd/(g_m/I_D).
    const double e_settle = c_s * (N + 1) * std::log(2.0) * vdd / k.gm_over_id;

    if (s.kind == "charge") {
        // Charge-domain (charge-sharing / charge-decrement) read-out: the column charge is
        // integrated on C_s (charged from the Vdd rail to at most v_fs: C_s·v_fs·Vdd, settled
        // once), then removed one unit charge C_s/2^N at a time, each step compared and counted;
        // a mean input of mu·2^N steps removes mu·C_s·v_fs from the same rail; the integrator
        // settles once after sampling and once per step.
        const double steps = mu * full;
        r.energy_J = c_s * s.v_fs * vdd * (1 + mu) + e_settle * (1 + steps) +
                     steps * (e_cmp + cnt.read_energy);
        r.time_s = full / s.clock;  // counts up to 2^N steps, one per clock
        r.block.area = a_cap + a_cmp + cnt.area;
        r.block.leakage = cnt.leakage;
        r.model = fmt::format(
            "physical charge read-out: C_s {:.4g} fF (kT/C bound {:.3g} fF), {:.4g} fJ per "
            "comparison, mean {:.3g} of 2^{} decrement steps",
            c_s * 1e15, c_ktc * 1e15, e_cmp * 1e15, mu, N);
        return r;
    }

    // voltage_sense: the column voltage buffered by a source follower onto a binary capacitive
    // DAC of C_s, resolved by successive approximation (N comparisons, an N-bit register clocked
    // N times). DAC switching energy of conventional switching, averaged over the codes:
    // C_u·V_fs²·Σ_{i=1..N} 2^(N+1−2i)·(2^i − 1), C_u = C_s/2^N (Ginsburg and Chandrakasan,
    // JSSC 42(4):739-747, 2007, eq. 1).
    const double e_dac = c_s / full * s.v_fs * s.v_fs * sar_dac_switching_factor(N);
    const auto reg = dff_register(t, N, 0, s.clock);
    r.energy_J = e_settle + e_dac + N * (e_cmp + reg.read_energy);
    r.time_s = (N + converter_params("voltage_sense")["cycles_extra"]) / s.clock;
    r.block.area = a_cap + a_cmp + reg.area + placed_area(t, 2 * w_min, 0);
    r.block.leakage = reg.leakage;
    r.model = fmt::format(
        "physical voltage sense: source follower + {}-bit SAR, C_s {:.4g} fF (kT/C bound {:.3g} "
        "fF), DAC {:.4g} fJ, follower {:.4g} fJ, {:.4g} fJ per comparison",
        N, c_s * 1e15, c_ktc * 1e15, e_dac * 1e15, e_settle * 1e15, e_cmp * 1e15);
    return r;
}

}  // namespace synbench::circuit
