// Current sense amplifier (1 bit): a latch-type amplifier comparing the column against a reference,
// resolved in one clock cycle.
#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

namespace {

Block model(const tech::Card& t, const ReadCircuitSpec& s, const ConverterParams& p) {
    const auto inv = inverter(t);
    const double cells = p["footprint_cells"];
    Block b;
    b.name = "read_circuits";
    b.area = placed_area(t, s.count * cells * inv.width, s.side);
    b.leakage = s.count * p["leaking_inverters"] * inv.leakage;
    b.read_latency = 1.0 / s.clock;
    b.read_energy = (cells * (inv.c_in + inv.c_out) + p["input_cap"]) * t.vdd * t.vdd;
    return b;
}

}  // namespace

Block sense_amp(const tech::Card& t, const ReadCircuitSpec& s) {
    return read_circuit(t, "sense_amp", s);
}

const ConverterVariant& converter_sense_amp() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "sense_amp";
        c.doc = "latch-type current sense amplifier against a reference (1 bit, one clock cycle)";
        c.fields = {
            constant_number("footprint_cells", "minimum-inverter footprints of one amplifier",
                            config::Limits::positive()),
            constant_number("leaking_inverters", "minimum inverters leaking at rest"),
            constant_quantity("input_cap", units::capacitance, "fF",
                              "load presented to the bit line")};
        c.max_bits = 1;
        c.circuit = model;
        c.cycles = [](int, const ConverterParams&) { return 1.0; };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
