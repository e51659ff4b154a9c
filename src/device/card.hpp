// The device card: what a synaptic device *is* (devices/*.yaml), with the paper each number comes
// from. Parsed into an immutable value; models (model.hpp) are built from it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace synbench::device {

enum class CellType { crossbar, pseudo_crossbar_1t1r, digital_sram, digital_nvm };
const char* to_string(CellType t);

// One programming direction (LTP = potentiation, LTD = depression).
struct Direction {
    int levels = 0;  // pulses for a full sweep (Pmax of this direction)
    std::optional<double>
        nl_label;             // the card's nonlinearity label (sign: see devices.md "Conventions")
    double a_normalized = 0;  // a(NL): A = a · Pmax; 0 means linear (infinite A); sign as the label
    double voltage = 0;       // write voltage (V), signed as published
    double pulse_width = 0;   // s
    double voltage_step = 0;  // non-identical pulses: added to |voltage| per pulse (V)
    double width_step = 0;    // non-identical pulses: added to pulse_width per pulse (s)
    std::optional<double> g_min,
        g_max;  // the range this direction's data cover, if published apart
};

struct Variation {
    double c2c = 0;       // σ of one pulse's conductance noise, as a fraction of (Gmax − Gmin)
    double d2d_nl = 0;    // σ of the nonlinearity label from cell to cell (absolute, in NL units)
    double d2d_gmax = 0;  // σ of Gmax from cell to cell, relative
    double d2d_gmin = 0;  // σ of Gmin from cell to cell, relative
    double read_noise = 0;     // σ of a read, relative to the conductance read
    double stuck_at_gmin = 0;  // fraction of cells stuck at Gmin
    double stuck_at_gmax = 0;  // fraction of cells stuck at Gmax
};

struct Drift {
    double nu = 0;        // power-law exponent: G(t) = G(t0) · (t/t0)^(−nu)
    double nu_sigma = 0;  // device-to-device spread of nu (absolute)
    double t0 = 1.0;      // s, reference time after programming
};

// For the measured look-up-table model: mean ΔG per pulse (and its spread) against G.
struct LookupPoint {
    double g = 0, dg = 0, dg_sigma = 0;
};

struct Source {
    std::string paper;  // citation
    std::string doi;
    std::string via;  // where the numbers were read (e.g. "NeuroSim manual Table II")
    std::string notes;
};

struct Card {
    std::string name;
    Source source;
    std::string model;  // exponential | soft_bounds | linear | lookup | ideal | digital
    CellType cell = CellType::pseudo_crossbar_1t1r;
    double cell_width_f = 4, cell_height_f = 4;  // cell footprint in feature sizes F (of the array)
    double access_resistance = 0;  // Ω, 1T1R access transistor on-resistance at minimum width
    double g_min = 0, g_max = 0;   // S, the usable (common) range
    Direction ltp, ltd;
    Variation variation;
    Drift drift;
    double read_voltage = 0;  // V
    double read_pulse_width =
        0;  // s; optional (0 = not given), provenance only: the read window is the read circuit's
    std::optional<double> endurance;  // programming cycles
    int digital_bits = 0;             // digital cells: bits per weight
    int digital_bits_per_cell = 1;    // digital cells: bits one cell stores (SRAM, STT-MRAM: 1)
    double half_select_disturb = 0;   // relative ΔG per half-selected pulse (crossbar), 0 = none
    std::vector<LookupPoint> ltp_table, ltd_table;  // lookup model
    YAML::Node resolved;                            // the card with every default explicit
};

// Digital cards: cells that hold one weight (ceil(bits / bits_per_cell)); 1 for analog cards.
int cells_per_weight(const Card& c);

// Parses a device card from a section (whole file or an inline `device:` block).
Card parse_card(config::Section& s);
// Loads, applies `--set` overrides (keys relative to the card), parses and checks.
Card load_card(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, std::string>>& overrides = {});

}  // namespace synbench::device
