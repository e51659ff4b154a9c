// Single-slope (ramp) ADC: a shared ramp sweeps the column's full-scale voltage while a shared
// N-bit counter counts 2^N clock cycles; each column's comparator (the integrate-and-fire
// comparator: same devices and bias, data/converters.yaml `integrate_fire`) flips when the ramp
// crosses its column and latches the counter value into its N-bit register.
// Per conversion of one column: the comparator's bias for the whole window, one flip, one latch
// of N bits, and its share of the counter (2^N increments), of the counter bus (N lines along the
// array side, 2 bits toggling per increment, loading every latch) and of the ramp line (charged
// through its swing = ramp_swing_ratio × V_read from Vdd, loading every comparator input).
// Macro cards take its energy and area from the converter survey's pooled family (`other`).
#include <cmath>

#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"
#include "tech/wire.hpp"

namespace synbench::circuit {

namespace {

Block model(const tech::Card& t, const ReadCircuitSpec& s, const ConverterParams& p) {
    const auto& cmp = converter_params("integrate_fire");
    const double cells = cmp["analog_footprint_cells"], bias = cmp["bias_current"];
    const auto inv = inverter(t);
    const double n = std::max(1, s.count), counts = std::ldexp(1.0, s.bits);
    const double window = counts / s.clock, v2 = t.vdd * t.vdd;
    Block comparators;
    comparators.name = "comparators";
    comparators.area = placed_area(t, n * cells * inv.width, s.side);
    comparators.leakage = n * (cmp["analog_leaking_inverters"] * inv.leakage + bias * t.vdd);
    Block latches = dff_register(t, static_cast<int>(n) * s.bits, s.side, s.clock);
    latches.name = "latches";
    Block count = counter(t, s.bits, s.side);
    Block b = group("read_circuits", {comparators, latches, count});
    b.read_latency = window;
    const double wire = s.side * tech::wire_cap_per_m(t);
    const double c_bus = s.bits * wire + n * s.bits * inv.c_in;  // N lines, every latch's input
    const double c_ramp = wire + n * inv.c_in;                   // every comparator's input
    const double shared = counts * (count.read_energy + 2.0 / s.bits * c_bus * v2) +
                          c_ramp * p["ramp_swing_ratio"] * s.v_read * t.vdd;
    b.read_energy = bias * t.vdd * window + cells * (inv.c_in + inv.c_out) * v2 +
                    latches.read_energy / n + shared / n;
    return b;
}

}  // namespace

const ConverterVariant& converter_ramp() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "ramp";
        c.doc =
            "single-slope ADC: a shared ramp and counter, a comparator and N-bit latch per "
            "column (2^N clock cycles)";
        c.fields = {constant_number("ramp_swing_ratio", "ramp full scale / read voltage",
                                    config::Limits{0.0, 1.0, true, false})};
        c.max_bits = 16;
        c.circuit = model;
        c.survey_family = "other";  // no family of its own in the survey
        c.cycles = [](int bits, const ConverterParams&) { return std::ldexp(1.0, bits); };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
