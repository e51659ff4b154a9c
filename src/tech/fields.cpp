#include "tech/fields.hpp"

#include <stdexcept>
#include <string>

namespace synbench::tech::fields {

using config::FieldList;
using config::FieldSpec;
using config::FieldType;
using config::Limits;
using config::section_of;
namespace u = synbench::units;

namespace {

FieldSpec quantity(const char* name, u::Dim dim, const char* unit, Limits lim, const char* doc) {
    return {.name = name,
            .type = FieldType::quantity,
            .dim = dim,
            .unit = unit,
            .limits = lim,
            .doc = doc};
}

FieldSpec number(const char* name, Limits lim, const char* doc) {
    return {.name = name, .type = FieldType::number, .limits = lim, .doc = doc};
}

const FieldList& fin() {
    static const FieldList f{
        quantity("height", u::length, "m", Limits::positive(), "Fin height"),
        quantity("width", u::length, "m", Limits::positive(), "Fin width"),
        quantity("pitch", u::length, "m", Limits::positive(), "Fin pitch"),
    };
    return f;
}

const FieldList& currents() {
    static const FieldList f{
        section_of("temperature", table(),
                   "Temperatures of the table's points, increasing (unit: a temperature, e.g. K)"),
        section_of("ion_n", table(), "NMOS on-current per width at each temperature (e.g. uA/um)"),
        section_of("ion_p", table(), "PMOS on-current per width at each temperature"),
        section_of("ioff_n", table(),
                   "NMOS off-current per width at each temperature (e.g. nA/um)"),
        section_of("ioff_p", table(), "PMOS off-current per width at each temperature"),
    };
    return f;
}

const FieldList& junction() {
    static const FieldList f{
        quantity("bottom", u::capacitance_per_area, "F/m^2", Limits::non_negative(),
                 "Bottom junction capacitance at zero bias"),
        quantity("sidewall", u::capacitance_per_length, "F/m", Limits::non_negative(),
                 "Isolation-edge sidewall capacitance at zero bias"),
        quantity("gate_sidewall", u::capacitance_per_length, "F/m", Limits::non_negative(),
                 "Gate-edge sidewall capacitance at zero bias"),
        number("grading_bottom", Limits::between(0, 1), "Grading coefficient m of the bottom"),
        number("grading_sidewall", Limits::between(0, 1), "Grading coefficient of the sidewalls"),
        quantity("built_in_potential", u::voltage, "V", Limits::positive(),
                 "Built-in potential φ: C = C0 / (1 + Vdd/φ)^m"),
    };
    return f;
}

const FieldList& wire() {
    static const FieldList f{
        quantity("width", u::length, "m", Limits::positive(),
                 "Drawn width of the periphery's local wire (0.5 to 4 feature sizes)"),
        quantity("barrier", u::length, "m", Limits::non_negative(),
                 "Barrier thickness (below half the width)"),
        quantity("resistivity", u::resistivity, "Ohm*m", Limits::positive(),
                 "Resistivity at 300 K, size effects included"),
        number("aspect_ratio", Limits::positive(), "Height / width"),
        quantity("capacitance", u::capacitance_per_length, "F/m", Limits::positive(),
                 "Capacitance per length"),
        number("temperature_coefficient", Limits::between(0, 0.1),
               "Relative resistivity change per kelvin (1/K)"),
    };
    return f;
}

const FieldList& array_wire() {
    static const FieldList f{
        quantity("width", u::length, "m", Limits::positive(),
                 "Drawn width (rows listed by increasing width)"),
        quantity("resistivity", u::resistivity, "Ohm*m", Limits::positive(),
                 "Resistivity at this width"),
        number("aspect_ratio", Limits::positive(), "Height / width"),
    };
    return f;
}

const FieldList& layout() {
    static const FieldList f = [] {
        FieldList l;
        for (const auto& [name, doc] : std::initializer_list<std::pair<const char*, const char*>>{
                 {"max_transistor_height", "Transistor region height of a standard cell"},
                 {"min_gap_p_n_diffusion", "Gap between P and N diffusion"},
                 {"min_gap_same_diffusion", "Gap between diffusions of one type"},
                 {"min_gap_gate_poly", "Gap between gate poly lines"},
                 {"min_gap_contact_poly", "Gap between a contact and poly"},
                 {"contact_size", "Contact size"},
                 {"min_poly_extension", "Poly extension beyond the diffusion"},
                 {"min_gap_field_poly", "Gap of field poly"},
                 {"poly_width", "Drawn gate (poly) width; × node = the drawn gate length"},
                 {"m2_pitch", "Metal-2 pitch"},
                 {"m3_pitch", "Metal-3 pitch"},
                 {"power_rail_width", "Power rail width"},
                 {"min_nmos_width", "Width of a minimum NMOS"}})
            l.push_back(number(name, Limits::positive(),
                               (std::string(doc) + ", in feature sizes F").c_str()));
        return l;
    }();
    return f;
}

const FieldList& stacking() {
    static const FieldList f{
        number("nand2", Limits::fraction(), "Off-current of a 2-stack / one device"),
        number("nand3", Limits::fraction(), "Off-current of a 3-stack / one device"),
        number("nor2", Limits::fraction(), "Off-current of a NOR2's parallel stack / one device"),
        number("nor3", Limits::fraction(), "Off-current of a NOR3's parallel stack / one device"),
    };
    return f;
}

const FieldList& horowitz() {
    static const FieldList f{
        number("vs", Limits{0.0, 1.0, true, true}, "Switching point / Vdd of the Horowitz delay"),
        number("beta", Limits::positive(), "β of the Horowitz delay"),
    };
    return f;
}

const FieldList& subtractor() {
    static const FieldList f{
        number("nand2", Limits::non_negative(), "2-input NANDs per bit"),
        number("nor2", Limits::non_negative(), "2-input NORs per bit"),
        number("inv", Limits::non_negative(), "Inverters per bit"),
    };
    return f;
}

const FieldList& level_shifter() {
    static const FieldList f{
        number("footprint_cells", Limits::positive(), "Footprint in minimum-inverter cells"),
        number("hv_area_factor", Limits::at_least(1),
               "Area factor of thick-oxide devices for voltages above Vdd"),
    };
    return f;
}

const FieldList& sram() {
    static const FieldList f{
        number("cell_width", Limits::positive(), "6T SRAM cell width in F"),
        number("cell_height", Limits::positive(), "6T SRAM cell height in F"),
        number("bitline_swing", Limits{0.0, 1.0, true, false},
               "Read bit-line swing / Vdd sensed by the column sense amplifier"),
        number("column_footprint_cells", Limits::non_negative(),
               "Per column: precharge and write driver, in minimum-inverter footprints"),
    };
    return f;
}

const FieldList& limits() {
    static const FieldList f{
        quantity("wire_current_density", u::current / u::area, "A/m^2", Limits::positive(),
                 "DC electromigration limit of array wires (estimate warns above it)"),
        number("min_cycle_fo4", Limits::positive(),
               "Shortest clock period the node's logic supports, in FO4 delays"),
    };
    return f;
}

const FieldList& design() {
    static const FieldList f{
        number("cell_utilisation", Limits{0.0, 1.0, true, false},
               "Placement density of standard-cell logic rows"),
        number("ir_drop_tolerance", Limits{0.0, 1.0, true, false},
               "Fraction of the cell voltage an access transistor / write driver may drop"),
        number("switch_resistance_ratio", Limits::positive(),
               "A pass gate's resistance / the resistance of the load it connects"),
        number("dff_footprint_cells", Limits::positive(),
               "D flip-flop footprint in minimum-inverter cells"),
        number("dff_leaking_inverters", Limits::non_negative(),
               "Leaking inverters of a D flip-flop"),
        number("decoder_driver_size", Limits::at_least(1),
               "Decoder output drivers, × minimum inverter"),
        number("adder_nand2_per_bit", Limits::positive(), "Full adder: 2-input NANDs per bit"),
        section_of("subtractor_gates_per_bit", subtractor(), "Full subtractor gates per bit"),
        number("logic_activity", Limits::fraction(),
               "Switching activity of digital datapaths per operation"),
        section_of("level_shifter", level_shifter(), "Level shifter to the write voltage"),
        section_of("sram", sram(), "6T SRAM of the training periphery and digital_sram arrays"),
        {.name = "limits",
         .type = FieldType::section,
         .doc = "Physical limits `estimate` warns about (warnings only)",
         .optional = true,
         .fields = limits()},
    };
    return f;
}

}  // namespace

const FieldList& table() {
    static const FieldList f{
        {.name = "unit",
         .type = FieldType::text,
         .doc = "Unit of the values (of the table's dimension: K, uA/um, nA/um, ...)"},
        {.name = "values",
         .type = FieldType::list,
         .limits = Limits::non_negative(),
         .doc = "One value per temperature (11: 300 to 400 K)",
         .item = FieldType::number},
    };
    return f;
}

const FieldList& flavour() {
    static const FieldList f{
        {.name = "source", .type = FieldType::text, .doc = "Where the flavour's numbers come from"},
        quantity("vdd", u::voltage, "V", Limits::positive(), "Supply voltage"),
        quantity("vth", u::voltage, "V", Limits::positive(), "Threshold voltage (below vdd)"),
        quantity("gate_length", u::length, "m", Limits::positive(),
                 "Physical gate length (within a factor of 2 of layout.poly_width × node)"),
        quantity("c_gate_ideal", u::capacitance_per_length, "F/m", Limits::positive(),
                 "Ideal gate capacitance per gate width"),
        quantity("c_fringe", u::capacitance_per_length, "F/m", Limits::non_negative(),
                 "Fringe capacitance per gate width"),
        number("c_overlap_ratio", Limits::between(0, 1),
               "Overlap capacitance / ideal gate capacitance"),
        number("r_on_factor", Limits::positive(),
               "R_on = r_on_factor · Vdd / (I_on · W) (CACTI effective-resistance multiplier)"),
        {.name = "fin",
         .type = FieldType::section,
         .doc = "Fin geometry (kind: finfet only, required there)",
         .optional = true,
         .fields = fin()},
        section_of("currents", currents(),
                   "On/off currents per width at 11 temperatures (300 to 400 K)"),
    };
    return f;
}

const FieldList& card() {
    static const FieldList f{
        {.name = "name", .type = FieldType::text, .doc = "Node name as reports show it"},
        quantity("node", u::length, "m", Limits::between(1e-9, 10e-6),
                 "Feature size F of the periphery (the layout rules are drawn in it)"),
        {.name = "kind",
         .type = FieldType::choice,
         .choices = {"planar", "finfet"},
         .doc = "Transistor kind"},
        {.name = "flavour",
         .type = FieldType::text,
         .doc = "The flavour used (a key of flavours:, e.g. hp or lstp)"},
        {.name = "temperature",
         .type = FieldType::quantity,
         .dim = u::temperature,
         .unit = "K",
         .limits = Limits::positive(),
         .def = "300 K",
         .doc = "Operating temperature (inside the current tables)"},
        {.name = "flavours",
         .type = FieldType::section,
         .doc = "Transistor parameters by flavour name (every flavour is checked)",
         .named = true,
         .fields = flavour()},
        section_of("junction", junction(), "Junction capacitances (BSIM4)"),
        section_of("wire", wire(), "Local wire of the periphery"),
        {.name = "array_wires",
         .type = FieldType::section,
         .doc = "Array row/column wires by drawn width (interpolated in width)",
         .many = true,
         .fields = array_wire()},
        section_of("layout", layout(), "Design rules in units of F"),
        section_of("leakage_stacking", stacking(),
                   "Average off-current ratio of a stack vs one device"),
        section_of("horowitz", horowitz(), "Horowitz delay model"),
        section_of("design", design(),
                   "Periphery design rules of the circuit model (converter constants: "
                   "data/converters.yaml, not here)"),
    };
    return f;
}

const FieldList& section(std::string_view dotted) {
    const FieldList* cur = &card();
    std::size_t at = 0;
    while (at < dotted.size()) {
        const auto dot = dotted.find('.', at);
        const auto key = dotted.substr(at, dot == std::string_view::npos ? dotted.npos : dot - at);
        const FieldList* next = nullptr;
        for (const auto& f : *cur)
            if (f.name == key && f.type == FieldType::section) next = &f.fields;
        if (!next && cur == &card() && key == "flavour") next = &flavour();
        if (!next) throw std::logic_error("tech card: no section " + std::string(dotted));
        cur = next;
        if (dot == std::string_view::npos) break;
        at = dot + 1;
    }
    return *cur;
}

config::CardDecl declaration() {
    return {"tech",
            "technology card",
            "One CMOS node: transistor, wire and layout parameters, with sources (tech/*.yaml).",
            card(),
            {},
            {}};
}

}  // namespace synbench::tech::fields
