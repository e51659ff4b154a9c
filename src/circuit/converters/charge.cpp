// Charge-decrement read-out: the column charge is removed in unit steps while a counter counts,
// 2^N clock cycles. No component model yet: macro cards take energy and area from the converter
// survey's pooled family (`other`).
#include <cmath>

#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

const ConverterVariant& converter_charge() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "charge";
        c.doc = "charge-decrement converter (counting), 2^N clock cycles";
        c.max_bits = 16;
        c.survey_family = "other";
        c.cycles = [](int bits, const ConverterParams&) { return std::ldexp(1.0, bits); };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
