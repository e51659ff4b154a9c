// Voltage-mode read-out (source follower and capacitive SAR). No component model for networks:
// macro cards cost it with the physical read-out of readout_physics.cpp (data/macro-readout.yaml),
// whose conversion takes N + cycles_extra clock cycles (this variant's constant).
#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

const ConverterVariant& converter_voltage_sense() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "voltage_sense";
        c.doc =
            "source follower and capacitive SAR, N + cycles_extra clock cycles; macro cards: "
            "physical read-out (readout_physics.cpp)";
        c.fields = {
            constant_number("cycles_extra", "clock cycles of a conversion beyond one per bit")};
        c.max_bits = 16;
        c.survey_family = "other";
        c.cycles = [](int bits, const ConverterParams& p) { return bits + p["cycles_extra"]; };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
