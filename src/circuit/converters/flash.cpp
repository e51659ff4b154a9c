// Multi-level sense amplifier (flash-like) ADC: 2^N − 1 sense amplifiers (the sense_amp variant's
// constants) against reference levels and a thermometer-to-binary encoder; one conversion in one
// clock cycle plus the encoder. Macro cards take its energy and area from the converter survey's
// `flash` family instead.
#include <cmath>

#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

namespace {

Block model(const tech::Card& t, const ReadCircuitSpec& s, const ConverterParams& p) {
    const auto& sap = converter_params("sense_amp");
    const double sa_cells = sap["footprint_cells"], enc_nand = p["encoder_nand2_per_level"];
    const auto inv = inverter(t);
    const auto nand = nand_gate(t, 2);
    const double levels = std::pow(2.0, s.bits) - 1;
    Block sa;
    sa.name = "sense_amps";
    sa.area = placed_area(t, s.count * levels * sa_cells * inv.width, s.side);
    sa.leakage = s.count * levels * sap["leaking_inverters"] * inv.leakage;
    Block enc;
    enc.name = "encoder";
    enc.area = placed_area(t, s.count * levels * enc_nand * nand.width, s.side);
    enc.leakage = s.count * levels * enc_nand * nand.leakage;
    Block b = group("read_circuits", {sa, enc});
    const double stage = 0.69 * nand.r_drive * (nand.c_out + 2 * nand.c_in);
    b.read_latency = 1.0 / s.clock + s.bits * stage;
    b.read_energy = levels *
                    ((sa_cells * (inv.c_in + inv.c_out) + sap["input_cap"]) +
                     enc_nand * t.design.logic_activity * (nand.c_in + nand.c_out)) *
                    t.vdd * t.vdd;
    return b;
}

}  // namespace

Block flash_adc(const tech::Card& t, const ReadCircuitSpec& s) {
    return read_circuit(t, "flash", s);
}

const ConverterVariant& converter_flash() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "flash";
        c.doc = "flash: 2^N − 1 sense amplifiers and an encoder, one clock cycle per conversion";
        c.fields = {constant_number("encoder_nand2_per_level",
                                    "NAND2 gates of the thermometer-to-binary encoder per level")};
        c.max_bits = 16;
        c.circuit = model;
        c.survey_family = "flash";
        c.cycles = [](int, const ConverterParams&) { return 1.0; };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
