// Standard cells and digital datapath blocks: inverter, NAND, NOR, transmission gate, D flip-flop,
// and from them registers, ripple-carry adders, subtractors, counters and shift-add units.
#pragma once

#include "circuit/block.hpp"
#include "tech/transistor.hpp"

namespace synbench::circuit {

// One gate at the standard-cell height: footprint width, leakage, input and output capacitance,
// drive resistance (worst of pull-up and pull-down).
struct Gate {
    double width = 0, height = 0, leakage = 0, c_in = 0, c_out = 0, r_drive = 0;
    double area() const { return width * height; }
};
// size: × the minimum balanced gate (NMOS min_nmos_width·F; series stacks widened by their depth).
Gate inverter(const tech::Card& t, double size = 1);
Gate nand_gate(const tech::Card& t, int inputs, double size = 1);
Gate nor_gate(const tech::Card& t, int inputs, double size = 1);
// A transmission gate whose NMOS and PMOS have widths wn, wp (clamped to the minimum).
Gate transmission_gate(const tech::Card& t, double wn, double wp);
// The transmission gate with on-resistance r (NMOS and PMOS each 2r, in parallel).
Gate transmission_gate_for(const tech::Card& t, double r);

// Digital blocks; `side` is the array side they are pitch-matched to (0 = free-standing).
// read_energy/read_latency: one operation (one clocking / one addition) of the whole block.
Block dff_register(const tech::Card& t, int bits, double side, double clock);
Block adder(const tech::Card& t, int bits, int count, double side);
Block subtractor(const tech::Card& t, int bits, int count, double side);
Block counter(const tech::Card& t, int bits, double side);
Block shift_add(const tech::Card& t, int bits, int count, double side, double clock);

}  // namespace synbench::circuit
