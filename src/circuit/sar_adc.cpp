// Successive-approximation ADC: area from the transistor-count fit of the card
// (design.sar_adc: a + b (N − 1) minimum NMOS and PMOS), N + extra clock cycles per conversion,
// energy from the Walden figure of merit (FOM · 2^N per conversion), leakage of its devices.
#include <cmath>

#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"
#include "tech/transistor.hpp"

namespace synbench::circuit {

Block sar_adc(const tech::Card& t, const ReadCircuitSpec& s) {
    const auto& d = t.design;
    const auto inv = inverter(t);
    const double n = d.sar_nmos_a + d.sar_nmos_b * (s.bits - 1);
    const double p = d.sar_pmos_a + d.sar_pmos_b * (s.bits - 1);
    Block b;
    b.name = "read_circuits";
    // A minimum transistor occupies half a minimum inverter's footprint.
    b.area = placed_area(t, s.count * (n + p) * inv.width / 2, s.side);
    const double wn = tech::min_width(t, tech::Mos::n), wp = tech::min_width(t, tech::Mos::p);
    b.leakage = s.count * (n * tech::gate_leakage(t, tech::GateKind::inv, 1, wn, 0) +
                           p * tech::gate_leakage(t, tech::GateKind::inv, 1, 0, wp));
    b.read_latency = (s.bits + d.sar_extra_cycles) / s.clock;
    b.read_energy = d.sar_fom * std::pow(2.0, s.bits);
    return b;
}

}  // namespace synbench::circuit
