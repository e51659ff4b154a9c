// Current-controlled oscillator (time-domain) read-out: the column current sets an oscillator's
// frequency, a counter counts its edges for 2^N clock cycles. No component model yet: macro cards
// take energy and area from the converter survey's `time_domain` family.
#include <cmath>

#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

const ConverterVariant& converter_cco() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "cco";
        c.doc = "current-controlled oscillator and counter (time domain), 2^N clock cycles";
        c.max_bits = 16;
        c.survey_family = "time_domain";
        c.cycles = [](int bits, const ConverterParams&) { return std::ldexp(1.0, bits); };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
