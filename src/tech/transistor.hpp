// Transistor-level primitives of a technology card: capacitances, on-resistance, leakage with
// stacking, Horowitz delay, and the layout footprint of a static CMOS gate. Widths are drawn widths
// in metres; FinFET widths are quantised to whole fins. All functions are pure.
#pragma once

#include "tech/card.hpp"

namespace synbench::tech {

enum class Mos { n, p };
enum class GateKind {
    inv,
    nand,
    nor,
    tg
};  // tg: transmission gate (an N and a P device in parallel)

// Effective electrical width: planar = drawn; FinFET = fins · (2·fin height + fin width), ≥ 1 fin.
double effective_width(const Card& t, double w);
// Gate capacitance of a device of width w: (C_ideal + C_overlap + C_fringe) · W_eff.
double gate_cap(const Card& t, double w);
// Drain junction capacitance of a device of width w laid out in a transistor region of height
// `region` (folded into fingers when wider; adjacent fingers share their drains).
double drain_cap(const Card& t, double w, double region);
// On-resistance k · Vdd / (I_on(T) · W_eff).
double on_resistance(const Card& t, double w, Mos type);
// Width of the device whose on-resistance is r (the inverse of on_resistance for planar devices).
double width_for_resistance(const Card& t, double r, Mos type);
// Minimum widths of a balanced gate: NMOS = min_nmos_width·F, PMOS = that × pn_ratio.
double min_width(const Card& t, Mos type);

// Subthreshold leakage *power* of one gate (W), averaged over input states (CACTI convention):
// INV (Wn·Ioff,n + Wp·Ioff,p)/2; NAND_k k·Wp·Ioff,p·s_k (parallel PMOS, stacked NMOS);
// NOR_k k·Wn·Ioff,n·s_k; a transmission gate is counted as not leaking (both sides rest at the same
// potential when it is off). wn = 0 or wp = 0 mean a single-type stage (pull-down or pull-up only).
double gate_leakage(const Card& t, GateKind kind, int inputs, double wn, double wp);

// Horowitz delay of a stage with time constant tau driven by an input ramp (V/s⁻¹ as 1/rise time);
// returns the delay and sets ramp_out. ramp_in = ∞ means a step.
struct Delay {
    double delay = 0, ramp_out = 0;
};
Delay horowitz(const Card& t, double tau, double ramp_in);

// Layout footprint of one static gate in a transistor region of height `region` (the standard-cell
// height is layout.max_transistor_height·F). Devices wider than the region allows are folded.
struct Footprint {
    double width = 0, height = 0;
    double area() const { return width * height; }
};
Footprint gate_footprint(const Card& t, GateKind kind, int inputs, double wn, double wp,
                         double region);
double standard_height(const Card& t);

}  // namespace synbench::tech
