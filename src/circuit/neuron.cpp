#include "circuit/neuron.hpp"

#include "circuit/logic.hpp"
#include "circuit/periphery.hpp"

namespace synbench::circuit {

Block neuron_periphery(const tech::Card& t, const NeuronSpec& s) {
    auto add = adder(t, s.bits, s.groups, s.side);
    auto sub = subtractor(t, s.bits, s.groups, s.side);
    auto reg = dff_register(t, s.outputs, s.side, s.clock);
    std::vector<Block> kids{add, sub, reg};
    double lat = add.read_latency + sub.read_latency + reg.read_latency;
    double e = s.ways * (add.read_energy + sub.read_energy) + reg.read_energy;
    if (s.ways > 1) {
        // Digital multiplexer steering the groups' results to the activation registers.
        const auto tg = transmission_gate(t, 0, 0);
        Block mux;
        mux.name = "mux";
        mux.area = placed_area(t, s.groups * s.ways * tg.width, s.side);
        mux.read_latency = 0.69 * tg.r_drive * tg.c_out * (s.ways + 1);
        mux.read_energy = s.groups * tg.c_in * t.vdd * t.vdd * 2;
        auto dec = row_decoder(t, s.ways, 0, s.groups * tg.c_in, "mux_decoder");
        kids.push_back(mux);
        kids.push_back(dec);
        lat += mux.read_latency + dec.read_latency;
        e += s.ways * (mux.read_energy + dec.read_energy);
    }
    Block b = group("neuron_periphery", kids);
    b.read_latency = lat;
    b.read_energy = e;
    return b;
}

}  // namespace synbench::circuit
