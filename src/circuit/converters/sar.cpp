// Successive-approximation ADC: area from a transistor-count fit (a + b (N − 1) minimum NMOS and
// c + d (N − 1) minimum PMOS), N + cycles_extra clock cycles per conversion, energy from the Walden
// figure of merit (FOM · 2^N per conversion), leakage of its devices. Macro cards take its energy
// and area from the converter survey's `sar` family instead.
#include <cmath>

#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"
#include "tech/transistor.hpp"

namespace synbench::circuit {

namespace {

Block model(const tech::Card& t, const ReadCircuitSpec& s, const ConverterParams& p) {
    const auto inv = inverter(t);
    const double n = p["nmos_base"] + p["nmos_per_bit"] * (s.bits - 1);
    const double pm = p["pmos_base"] + p["pmos_per_bit"] * (s.bits - 1);
    Block b;
    b.name = "read_circuits";
    // A minimum transistor occupies half a minimum inverter's footprint.
    b.area = placed_area(t, s.count * (n + pm) * inv.width / 2, s.side);
    const double wn = tech::min_width(t, tech::Mos::n), wp = tech::min_width(t, tech::Mos::p);
    b.leakage = s.count * (n * tech::gate_leakage(t, tech::GateKind::inv, 1, wn, 0) +
                           pm * tech::gate_leakage(t, tech::GateKind::inv, 1, 0, wp));
    b.read_latency = (s.bits + p["cycles_extra"]) / s.clock;
    b.read_energy = p["walden_fom"] * std::pow(2.0, s.bits);
    return b;
}

}  // namespace

Block sar_adc(const tech::Card& t, const ReadCircuitSpec& s) { return read_circuit(t, "sar", s); }

const ConverterVariant& converter_sar() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "sar";
        c.doc = "successive approximation: N + cycles_extra clock cycles per conversion";
        c.fields = {
            constant_number("nmos_base", "minimum NMOS of a 1-bit SAR (fit: a)"),
            constant_number("nmos_per_bit", "minimum NMOS per further bit (fit: b)"),
            constant_number("pmos_base", "minimum PMOS of a 1-bit SAR (fit: c)"),
            constant_number("pmos_per_bit", "minimum PMOS per further bit (fit: d)"),
            constant_quantity("walden_fom", units::energy, "fJ",
                              "energy per conversion step (Walden figure of merit)",
                              config::Limits::positive()),
            constant_number("cycles_extra", "clock cycles of a conversion beyond one per bit")};
        c.max_bits = 16;
        c.circuit = model;
        c.survey_family = "sar";
        c.cycles = [](int bits, const ConverterParams& p) { return bits + p["cycles_extra"]; };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
