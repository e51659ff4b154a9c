// Current-controlled oscillator (time-domain) read-out. No component model for networks: macro
// cards cost it with the physical read-out of readout_physics.cpp (data/macro-readout.yaml);
// survey family `time_domain` and 2^N cycles for the survey path.
#include <cmath>

#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

const ConverterVariant& converter_cco() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "cco";
        c.doc =
            "current-controlled ring oscillator and counter (time domain); macro cards: "
            "physical read-out (readout_physics.cpp)";
        c.max_bits = 16;
        c.survey_family = "time_domain";
        c.cycles = [](int bits, const ConverterParams&) { return std::ldexp(1.0, bits); };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
