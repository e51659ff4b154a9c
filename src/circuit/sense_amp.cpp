// Current sense amplifier (1 bit): a latch-type amplifier comparing the column against a reference,
// resolved in one clock cycle.
#include <fmt/format.h>

#include <stdexcept>

#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

Block sense_amp(const tech::Card& t, const ReadCircuitSpec& s) {
    if (s.bits != 1)
        throw std::invalid_argument(fmt::format(
            "read circuit 'sense_amp' resolves 1 bit, but adc_bits = {} (use 'flash' or 'sar')",
            s.bits));
    const auto& d = t.design;
    const auto inv = inverter(t);
    Block b;
    b.name = "read_circuits";
    b.area = placed_area(t, s.count * d.sa_cells * inv.width, s.side);
    b.leakage = s.count * d.sa_leaking * inv.leakage;
    b.read_latency = 1.0 / s.clock;
    b.read_energy = (d.sa_cells * (inv.c_in + inv.c_out) + d.sa_input_cap) * t.vdd * t.vdd;
    return b;
}

}  // namespace synbench::circuit
