#include "circuit/logic.hpp"

#include <algorithm>
#include <cmath>

namespace synbench::circuit {

using tech::GateKind;
using tech::Mos;

namespace {

Gate make(const tech::Card& t, GateKind kind, int inputs, double wn, double wp) {
    const double h = tech::standard_height(t);
    auto fp = tech::gate_footprint(t, kind, inputs, wn, wp, h);
    Gate g;
    g.width = fp.width;
    g.height = fp.height;
    g.leakage = tech::gate_leakage(t, kind, inputs, wn, wp);
    g.c_in = tech::gate_cap(t, wn) + tech::gate_cap(t, wp);
    // NAND: PMOS in parallel on the output; NOR: NMOS in parallel.
    const double np = kind == GateKind::nand ? inputs : 1, nn = kind == GateKind::nor ? inputs : 1;
    g.c_out = nn * tech::drain_cap(t, wn, h) + np * tech::drain_cap(t, wp, h);
    const double sn = kind == GateKind::nand ? inputs : 1, sp = kind == GateKind::nor ? inputs : 1;
    g.r_drive =
        std::max(sn * tech::on_resistance(t, wn, Mos::n), sp * tech::on_resistance(t, wp, Mos::p));
    return g;
}

}  // namespace

Gate inverter(const tech::Card& t, double size) {
    return make(t, GateKind::inv, 1, size * tech::min_width(t, Mos::n),
                size * tech::min_width(t, Mos::p));
}
Gate nand_gate(const tech::Card& t, int inputs, double size) {
    // Series NMOS widened to keep the pull-down as strong as an inverter's (2× for NAND2 and up).
    return make(t, GateKind::nand, inputs, size * 2 * tech::min_width(t, Mos::n),
                size * tech::min_width(t, Mos::p));
}
Gate nor_gate(const tech::Card& t, int inputs, double size) {
    return make(t, GateKind::nor, inputs, size * tech::min_width(t, Mos::n),
                size * 2 * tech::min_width(t, Mos::p));
}
Gate transmission_gate(const tech::Card& t, double wn, double wp) {
    return make(t, GateKind::tg, 1, std::max(wn, tech::min_width(t, Mos::n)),
                std::max(wp, tech::min_width(t, Mos::p)));
}
Gate transmission_gate_for(const tech::Card& t, double r) {
    return transmission_gate(t, tech::width_for_resistance(t, 2 * r, Mos::n),
                             tech::width_for_resistance(t, 2 * r, Mos::p));
}

Block dff_register(const tech::Card& t, int bits, double side, double clock) {
    const auto inv = inverter(t);
    const auto& d = t.design;
    Block b;
    b.name = "dff";
    b.area = placed_area(t, bits * d.dff_footprint_cells * inv.width, side);
    b.leakage = bits * d.dff_leaking_inverters * inv.leakage;
    // One clocking: the clock loads (4 transmission gates ~ 4 inverter inputs) switch every cycle,
    // the data path (4 inverters) with the logic activity.
    const double v2 = t.vdd * t.vdd;
    b.read_energy = bits * (4 * inv.c_in + d.logic_activity * 4 * (inv.c_in + inv.c_out)) * v2;
    b.read_latency = std::max(1.0 / clock / 2, 3 * 0.69 * inv.r_drive * (inv.c_in + inv.c_out));
    return b;
}

Block adder(const tech::Card& t, int bits, int count, double side) {
    const auto nand = nand_gate(t, 2);
    const auto& d = t.design;
    const double per_bit = d.adder_nand2_per_bit;
    Block b;
    b.name = "adder";
    b.area = placed_area(t, count * bits * per_bit * nand.width, side);
    b.leakage = count * bits * per_bit * nand.leakage;
    // Ripple carry: the carry crosses 2 NAND levels per bit; 3 levels for the first sum.
    const double stage = 0.69 * nand.r_drive * (nand.c_out + 2 * nand.c_in);
    b.read_latency = (2.0 * bits + 1) * stage;
    b.read_energy =
        count * bits * per_bit * d.logic_activity * (nand.c_in + nand.c_out) * t.vdd * t.vdd;
    return b;
}

Block subtractor(const tech::Card& t, int bits, int count, double side) {
    const auto nand = nand_gate(t, 2), nor = nor_gate(t, 2), inv = inverter(t);
    const auto& d = t.design;
    Block b;
    b.name = "subtractor";
    const double w = d.sub_nand2_per_bit * nand.width + d.sub_nor2_per_bit * nor.width +
                     d.sub_inv_per_bit * inv.width;
    b.area = placed_area(t, count * bits * w, side);
    b.leakage = count * bits *
                (d.sub_nand2_per_bit * nand.leakage + d.sub_nor2_per_bit * nor.leakage +
                 d.sub_inv_per_bit * inv.leakage);
    const double stage = 0.69 * nand.r_drive * (nand.c_out + 2 * nand.c_in);
    b.read_latency = (2.0 * bits + 2) * stage;
    const double c = d.sub_nand2_per_bit * (nand.c_in + nand.c_out) +
                     d.sub_nor2_per_bit * (nor.c_in + nor.c_out) +
                     d.sub_inv_per_bit * (inv.c_in + inv.c_out);
    b.read_energy = count * bits * d.logic_activity * c * t.vdd * t.vdd;
    return b;
}

Block counter(const tech::Card& t, int bits, double side) {
    // Ripple counter: one toggle flip-flop (a DFF with an inverter in its feedback) per bit.
    const auto inv = inverter(t);
    const auto& d = t.design;
    Block b;
    b.name = "counter";
    b.area = placed_area(t, bits * (d.dff_footprint_cells + 1) * inv.width, side);
    b.leakage = bits * (d.dff_leaking_inverters + 1) * inv.leakage;
    // One increment toggles on average 2 flip-flops (1 + 1/2 + 1/4 + ...).
    b.read_energy = 2 * (4 * inv.c_in + 5 * (inv.c_in + inv.c_out)) * t.vdd * t.vdd;
    b.read_latency = 3 * 0.69 * inv.r_drive * (inv.c_in + inv.c_out);
    return b;
}

Block shift_add(const tech::Card& t, int bits, int count, double side, double clock) {
    auto add = adder(t, bits, count, side);
    auto reg = dff_register(t, (bits + 1) * count, side, clock);
    Block b = group("shift_add", {add, reg});
    b.read_latency = add.read_latency + reg.read_latency;
    b.read_energy = add.read_energy + reg.read_energy;
    return b;
}

}  // namespace synbench::circuit
