// Integrate-and-fire column read circuit (the reference MLP setup): the column current charges the
// input capacitance to a threshold (threshold_ratio × V_read, data/converters.yaml), a comparator
// fires, resets the node and increments an N-bit counter. The conversion window is long enough for
// the largest current to fire 2^N times, and never shorter than 2^N clock cycles (the counter
// counts at most once per cycle). Unlike the reference code, the window really is 2^N periods.
//
// Saturation, modelled: when the full-scale current would fire faster than one clock period
// (C_in·V_th / I_max < 1/f), the counter would miss fires and every column above C_in·V_th·f would
// read full scale. A working design then integrates on a larger capacitor, sized so that the
// full-scale current fires exactly once per period: C_int = I_max / (V_th · f). The extra
// capacitance C_int − C_in is a MOS capacitor at the node's gate-oxide density
// (c_gate_ideal / gate_length of the tech card) and is reported as its own block; the window is
// 2^N periods. (Its charge is delivered by the column current, already in the cells' V²·G·t.)
#include <algorithm>
#include <cmath>

#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

namespace {

double integration_capacitance(const ReadCircuitSpec& s, const ConverterParams& p) {
    const double v_th = p["threshold_ratio"] * s.v_read;
    if (s.i_max <= 0 || v_th <= 0) return s.c_in;
    return std::max(s.c_in, s.i_max / (v_th * s.clock));
}

Block model(const tech::Card& t, const ReadCircuitSpec& s, const ConverterParams& p) {
    const auto& d = t.design;
    const double analog_cells = p["analog_footprint_cells"], bias = p["bias_current"];
    const auto inv = inverter(t);
    auto cnt = counter(t, s.bits, 0);
    Block analog;
    analog.name = "comparator";
    analog.area = placed_area(t, analog_cells * inv.width, 0);
    analog.leakage = p["analog_leaking_inverters"] * inv.leakage + bias * t.vdd;
    const double v_th = p["threshold_ratio"] * s.v_read;
    const double c_int = integration_capacitance(s, p);
    const double t_fire = s.i_max > 0 ? c_int * v_th / s.i_max : 0.0;
    const double counts = std::pow(2.0, s.bits);
    const double window = counts * std::max(t_fire, 1.0 / s.clock);
    // Average input: half the full-scale count; each fire switches the comparator and the reset.
    const double fires = counts / 2;
    const double e_fire = analog_cells * (inv.c_in + inv.c_out) * t.vdd * t.vdd;
    Block one = group("integrate_fire", {cnt, analog});
    Block b = times(one, s.count, "read_circuits");
    // The per-circuit leakage of the bias is static whatever the count.
    b.read_latency = window;
    b.read_energy = fires * (cnt.read_energy + e_fire) + bias * t.vdd * window;
    // Pitch matching: the circuits sit in one row band under the array.
    if (s.side > 0) {
        const double cells =
            s.count * ((d.dff_footprint_cells + 1) * s.bits + analog_cells) * inv.width;
        const double placed = placed_area(t, cells, s.side);
        const double scale = placed / std::max(b.area, 1e-30);
        for (auto& c : b.children) c.area *= scale;
        b.area = placed;
    }
    if (c_int > s.c_in) {
        Block cap;
        cap.name = "integration_capacitors";
        cap.area = s.count * (c_int - s.c_in) / (t.c_gate_ideal / t.gate_length);
        b.children.push_back(cap);
        b.area += cap.area;
    }
    return b;
}

}  // namespace

double integration_capacitance(const tech::Card&, const ReadCircuitSpec& s) {
    return integration_capacitance(s, converter_params("integrate_fire"));
}

Block integrate_fire(const tech::Card& t, const ReadCircuitSpec& s) {
    return model(t, s, converter_params("integrate_fire"));
}

const ConverterVariant& converter_integrate_fire() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "integrate_fire";
        c.doc =
            "integrate-and-fire: the column current charges a node to a threshold, a "
            "comparator fires and a counter counts (2^N clock periods per conversion)";
        c.fields = {constant_number("threshold_ratio", "integration threshold / read voltage",
                                    config::Limits{0.0, 1.0, true, false}),
                    constant_quantity("bias_current", units::current, "nA",
                                      "static bias of the comparator"),
                    constant_number("analog_footprint_cells",
                                    "comparator, reset and feedback devices, in minimum-inverter "
                                    "footprints"),
                    constant_number("analog_leaking_inverters",
                                    "of those, minimum inverters leaking at rest")};
        c.max_bits = 16;
        c.circuit = model;
        c.cycles = [](int bits, const ConverterParams&) { return std::ldexp(1.0, bits); };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
