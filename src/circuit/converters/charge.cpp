// Charge-sharing / charge-decrement read-out. No component model for networks: macro cards cost
// it with the physical read-out of readout_physics.cpp (data/macro-readout.yaml); survey family
// `other` (pooled) and 2^N cycles for the survey path.
#include <cmath>

#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

const ConverterVariant& converter_charge() {
    static const ConverterVariant v = [] {
        ConverterVariant c;
        c.name = "charge";
        c.doc =
            "charge-sharing / charge-decrement converter (counting); macro cards: "
            "physical read-out (readout_physics.cpp)";
        c.max_bits = 16;
        c.survey_family = "other";
        c.cycles = [](int bits, const ConverterParams&) { return std::ldexp(1.0, bits); };
        return c;
    }();
    return v;
}

}  // namespace synbench::circuit
