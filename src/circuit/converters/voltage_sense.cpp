// Voltage-mode read-out: the column settles to a voltage that is sensed bit by bit like a SAR,
// N + cycles_extra clock cycles. No component model yet: macro cards take energy and area from the
// converter survey's pooled family (`other`).
#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

const ConverterVariant& converter_voltage_sense() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "voltage_sense";
        c.doc = "voltage sensing, resolved bit by bit: N + cycles_extra clock cycles";
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
