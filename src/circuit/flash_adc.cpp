// Multi-level sense amplifier (flash-like) ADC: 2^N − 1 sense amplifiers against reference levels
// and a thermometer-to-binary encoder; one conversion in one clock cycle plus the encoder.
#include <cmath>

#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

Block flash_adc(const tech::Card& t, const ReadCircuitSpec& s) {
    const auto& d = t.design;
    const auto inv = inverter(t);
    const auto nand = nand_gate(t, 2);
    const double levels = std::pow(2.0, s.bits) - 1;
    Block sa;
    sa.name = "sense_amps";
    sa.area = placed_area(t, s.count * levels * d.sa_cells * inv.width, s.side);
    sa.leakage = s.count * levels * d.sa_leaking * inv.leakage;
    Block enc;
    enc.name = "encoder";
    enc.area =
        placed_area(t, s.count * levels * d.flash_encoder_nand2_per_level * nand.width, s.side);
    enc.leakage = s.count * levels * d.flash_encoder_nand2_per_level * nand.leakage;
    Block b = group("read_circuits", {sa, enc});
    const double stage = 0.69 * nand.r_drive * (nand.c_out + 2 * nand.c_in);
    b.read_latency = 1.0 / s.clock + s.bits * stage;
    b.read_energy =
        levels *
        ((d.sa_cells * (inv.c_in + inv.c_out) + d.sa_input_cap) +
         d.flash_encoder_nand2_per_level * d.logic_activity * (nand.c_in + nand.c_out)) *
        t.vdd * t.vdd;
    return b;
}

}  // namespace synbench::circuit
