// Wire primitives: resistance per length with barrier and temperature, capacitance per length, an
// unrepeated RC line (Elmore) and an optimally repeated line.
#pragma once

#include "tech/card.hpp"

namespace synbench::tech {

// ρ_eff = ρ / (1 − (2·AR·w + w)·t_b / (AR·w²)) (barrier carries no current), ×(1 + α(T − 300 K));
// R' = ρ_eff / (AR·w²).
double wire_resistance_per_m(const Card& t, double width, double resistivity, double aspect_ratio,
                             double barrier);
// The periphery (local) wire of the card.
double local_wire_resistance_per_m(const Card& t);
// An array wire of the given drawn width (interpolated in the card's array_wires table; a width
// outside the table is an error). Array wires are treated as barrier-free (the table's resistivity
// already includes size effects).
double array_wire_resistance_per_m(const Card& t, double width);
double wire_cap_per_m(const Card& t);
// Cross-section (m²) of an array wire of the given drawn width: aspect ratio (interpolated as
// above) × width².
double array_wire_cross_section(const Card& t, double width);

struct WireCost {
    double delay = 0;    // s, 50 % point
    double energy = 0;   // J per full-swing transition
    double leakage = 0;  // W (repeaters)
    int repeaters = 0;
    double repeater_size = 0;  // × minimum inverter
};
// A line of length `len` driven by a minimum inverter, without repeaters (Elmore: 0.69·R_d·(C_w +
// C_l)
// + 0.38·R_w·C_w + 0.69·R_w·C_l).
WireCost unrepeated_wire(const Card& t, double len, double r_per_m, double c_per_m, double c_load);
// The same line with optimally sized and spaced repeaters (Bakoglu): size sqrt(R0·c / (r·C0)),
// spacing sqrt(2·R0·(C0 + Cd) / (r·c)).
WireCost repeated_wire(const Card& t, double len, double r_per_m, double c_per_m);

}  // namespace synbench::tech
