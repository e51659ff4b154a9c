// The technology card (tech/*.yaml): transistor, wire and layout parameters of one CMOS node, with
// sources. A card file holds every flavour (HP, LSTP) its source publishes; `flavour:` picks one
// and `temperature:` picks the point of the on/off-current tables (300-400 K), so the parsed Card
// is the node *at one operating point*. Everything is SI.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace synbench::tech {

enum class Kind { planar, finfet };

// Design rules in units of the feature size F (CACTI/NeuroSim conventions).
struct Layout {
    double max_transistor_height = 0;  // transistor region height of a standard cell
    double gap_p_n = 0, gap_same = 0, gap_gate_poly = 0, gap_contact_poly = 0;
    double contact = 0, poly_ext = 0, gap_field_poly = 0, poly_width = 0;
    double m2_pitch = 0, m3_pitch = 0, power_rail = 0;
    double min_nmos_width = 0;  // F
};

struct Stacking {
    double nand2 = 0, nand3 = 0, nor2 = 0, nor3 = 0;
};

// An array (row/column) wire of a given drawn width: resistivity and aspect ratio.
struct ArrayWire {
    double width = 0, resistivity = 0, aspect_ratio = 0;
};

// Periphery design rules of the circuit model (the card's `design:` block; sources in the card).
struct Design {
    double cell_utilisation = 0, ir_drop_tolerance = 0, switch_resistance_ratio = 0;
    double dff_footprint_cells = 0, dff_leaking_inverters = 0, decoder_driver_size = 0;
    double adder_nand2_per_bit = 0;
    double sub_nand2_per_bit = 0, sub_nor2_per_bit = 0, sub_inv_per_bit = 0;
    double logic_activity = 0;
    // (Converter constants: data/converters.yaml, src/circuit/read_circuit.hpp.)
    double ls_cells = 0, ls_hv_area_factor = 0;
    // 6T SRAM of the training periphery and the digital_sram subarray (design.sram).
    double sram_cell_width_f = 0, sram_cell_height_f = 0, sram_bitline_swing = 0,
           sram_column_cells = 0;
    // Optional `limits:` (warnings only; 0 when the card gives none, and the checks say so):
    double wire_current_density_max = 0;  // A/m², DC electromigration limit of array wires
    double min_cycle_fo4 = 0;  // shortest clock period the node's logic supports, in FO4 delays
};

struct Card {
    std::string name;          // "32nm"
    double node = 0;           // m (feature size F of the periphery)
    double vdd = 0;            // V (of the chosen flavour)
    double temperature = 300;  // K
    Kind kind = Kind::planar;
    std::string flavour;  // "hp" | "lstp"
    std::string flavour_source;
    double vth = 0;                                        // V
    double gate_length = 0;                                // m
    double c_gate_ideal = 0, c_fringe = 0, c_overlap = 0;  // F/m of gate width
    double r_on_factor = 0;                                // R_on = k · Vdd / (I_on · W)
    double fin_height = 0, fin_width = 0, fin_pitch = 0;   // m (FinFET only)
    // Currents per metre of (effective) width at `temperature`, interpolated in the card's tables.
    double ion_n = 0, ion_p = 0, ioff_n = 0, ioff_p = 0;  // A/m
    double ion_n_300 = 0, ion_p_300 = 0;                  // at 300 K (sizing ratios use these)
    // Junction capacitances at zero bias, grading and built-in potential; c_junction etc. at Vdd.
    double c_junction = 0;       // F/m², bottom, at Vdd
    double c_sidewall = 0;       // F/m, isolation-edge sidewall, at Vdd
    double c_gate_sidewall = 0;  // F/m, gate-edge sidewall (drain to channel), at Vdd
    // Periphery wire.
    double wire_width = 0, wire_barrier = 0, wire_resistivity = 0, wire_aspect_ratio = 0;
    double wire_cap_per_m = 0;           // F/m
    double wire_temp_coeff = 0;          // 1/K
    std::vector<ArrayWire> array_wires;  // sorted by width
    Layout layout;
    Stacking stacking;
    double horowitz_vs = 0.5, horowitz_beta = 0.5;
    Design design;
    YAML::Node resolved;

    double pn_ratio() const {
        return ion_n_300 / ion_p_300;
    }  // PMOS/NMOS width ratio of a balanced gate
};

Card parse_card(config::Section& s);
Card load_card(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, std::string>>& overrides = {});

}  // namespace synbench::tech
