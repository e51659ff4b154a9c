#include "tech/card.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace synbench::tech {

namespace {

using config::Limits;
namespace u = synbench::units;

// A table `{unit: uA/um, values: [...]}`: the values in SI, after checking the unit's dimension.
std::vector<double> unit_table(config::Section& parent, std::string_view key, u::Dim dim,
                               std::size_t n) {
    auto t = parent.section(key);
    auto unit = t.text("unit");
    double scale = 0;
    try {
        auto q = u::parse("1 " + unit);
        if (!(q.dim == dim))
            throw t.error("unit",
                          fmt::format("expected a unit of {}, got '{}'", u::describe(dim), unit));
        scale = q.value;
    } catch (const u::UnitError& e) {
        throw t.error("unit", e.what());
    }
    auto v = t.numbers("values", Limits::non_negative());
    if (v.size() != n)
        throw t.error("values",
                      fmt::format("expected {} values (one per temperature), got {}", n, v.size()));
    t.finish();
    for (auto& x : v) x *= scale;
    return v;
}

double interpolate(const std::vector<double>& xs, const std::vector<double>& ys, double x) {
    for (std::size_t i = 0; i + 1 < xs.size(); ++i)
        if (x <= xs[i + 1]) return ys[i] + (ys[i + 1] - ys[i]) * (x - xs[i]) / (xs[i + 1] - xs[i]);
    return ys.back();
}

}  // namespace

Card parse_card(config::Section& s) {
    Card c;
    c.name = s.text("name");
    // From the 10 um processes of the early 1970s to below the smallest node the cards model (7
    // nm).
    c.node = s.quantity("node", u::length, Limits::between(1e-9, 10e-6));
    c.kind = s.choice("kind", {"planar", "finfet"}) == "finfet" ? Kind::finfet : Kind::planar;
    c.flavour = s.text("flavour");
    c.temperature = s.quantity("temperature", u::temperature, Limits::positive(), 300.0);
    std::vector<std::pair<config::Section, double>>
        gate_lengths;  // per flavour; checked against the layout below

    {
        // Every flavour present is parsed and checked (a broken LSTP block is an error even when HP
        // is used).
        YAML::Node raw_flavours = s.raw("flavours");
        if (!raw_flavours.IsMap())
            throw s.error("flavours", "expected a mapping: flavour name -> transistor parameters");
        std::vector<std::string> names;
        for (auto it = raw_flavours.begin(); it != raw_flavours.end(); ++it)
            names.push_back(it->first.Scalar());
        auto flavours = s.section("flavours");
        if (std::find(names.begin(), names.end(), c.flavour) == names.end()) {
            std::string list;
            for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
            throw s.error("flavour",
                          fmt::format("node {} has no flavour '{}' in this card (available: {})",
                                      c.name, c.flavour, list));
        }
        for (const auto& name : names) {
            auto f = flavours.section(name);
            const bool chosen = name == c.flavour;
            auto source = f.text("source");
            double vdd = f.quantity("vdd", u::voltage, Limits::positive());
            double vth = f.quantity("vth", u::voltage, Limits::positive());
            double lg = f.quantity("gate_length", u::length, Limits::positive());
            // A transistor that conducts at Vgs = Vdd needs its threshold below the supply.
            if (!(vth < vdd))
                throw f.error("vth", fmt::format("vth = {} is not below vdd = {}: expected a "
                                                 "threshold voltage below the supply",
                                                 u::format_human(vth, u::voltage),
                                                 u::format_human(vdd, u::voltage)));
            gate_lengths.emplace_back(f, lg);
            double cg = f.quantity("c_gate_ideal", u::capacitance_per_length, Limits::positive());
            double cf = f.quantity("c_fringe", u::capacitance_per_length, Limits::non_negative());
            double ov = f.number("c_overlap_ratio", Limits::between(0, 1));
            double k = f.number("r_on_factor", Limits::positive());
            double fh = 0, fw = 0, fp = 0;
            if (c.kind == Kind::finfet) {
                auto fin = f.section("fin");
                fh = fin.quantity("height", u::length, Limits::positive());
                fw = fin.quantity("width", u::length, Limits::positive());
                fp = fin.quantity("pitch", u::length, Limits::positive());
                fin.finish();
            }
            auto cur = f.section("currents");
            auto temps = unit_table(cur, "temperature", u::temperature, 11);
            for (std::size_t i = 1; i < temps.size(); ++i)
                if (!(temps[i] > temps[i - 1]))
                    throw cur.error("temperature", "temperatures must increase");
            auto ion_n = unit_table(cur, "ion_n", u::current_per_length, temps.size());
            auto ion_p = unit_table(cur, "ion_p", u::current_per_length, temps.size());
            auto ioff_n = unit_table(cur, "ioff_n", u::current_per_length, temps.size());
            auto ioff_p = unit_table(cur, "ioff_p", u::current_per_length, temps.size());
            cur.finish();
            f.finish();
            if (!chosen) continue;
            if (c.temperature < temps.front() || c.temperature > temps.back())
                throw s.error("temperature",
                              fmt::format("{} is outside the current tables of {} {} ({} to {})",
                                          u::format_human(c.temperature, u::temperature), c.name,
                                          c.flavour, u::format_human(temps.front(), u::temperature),
                                          u::format_human(temps.back(), u::temperature)));
            c.flavour_source = source;
            c.vdd = vdd;
            c.vth = vth;
            c.gate_length = lg;
            c.c_gate_ideal = cg;
            c.c_fringe = cf;
            c.c_overlap = ov * cg;
            c.r_on_factor = k;
            c.fin_height = fh;
            c.fin_width = fw;
            c.fin_pitch = fp;
            c.ion_n = interpolate(temps, ion_n, c.temperature);
            c.ion_p = interpolate(temps, ion_p, c.temperature);
            c.ioff_n = interpolate(temps, ioff_n, c.temperature);
            c.ioff_p = interpolate(temps, ioff_p, c.temperature);
            c.ion_n_300 = ion_n.front();
            c.ion_p_300 = ion_p.front();
        }
    }
    {
        auto j = s.section("junction");
        double cj = j.quantity("bottom", u::capacitance_per_area, Limits::non_negative());
        double cjsw = j.quantity("sidewall", u::capacitance_per_length, Limits::non_negative());
        double cjswg =
            j.quantity("gate_sidewall", u::capacitance_per_length, Limits::non_negative());
        double mj = j.number("grading_bottom", Limits::between(0, 1));
        double mjsw = j.number("grading_sidewall", Limits::between(0, 1));
        double phi = j.quantity("built_in_potential", u::voltage, Limits::positive());
        j.finish();
        c.c_junction = cj / std::pow(1 + c.vdd / phi, mj);
        c.c_sidewall = cjsw / std::pow(1 + c.vdd / phi, mjsw);
        c.c_gate_sidewall = cjswg / std::pow(1 + c.vdd / phi, mjsw);
    }
    {
        auto w = s.section("wire");
        c.wire_width = w.quantity("width", u::length, Limits::positive());
        c.wire_barrier = w.quantity("barrier", u::length, Limits::non_negative());
        c.wire_resistivity = w.quantity("resistivity", u::resistivity, Limits::positive());
        c.wire_aspect_ratio = w.number("aspect_ratio", Limits::positive());
        c.wire_cap_per_m = w.quantity("capacitance", u::capacitance_per_length, Limits::positive());
        c.wire_temp_coeff = w.number("temperature_coefficient", Limits::between(0, 0.1));
        w.finish();
        if (!(2 * c.wire_barrier < c.wire_width))
            throw w.error("barrier", "the barrier must be thinner than half the wire width");
    }
    for (auto& aw : s.section_list("array_wires")) {
        ArrayWire a;
        a.width = aw.quantity("width", u::length, Limits::positive());
        a.resistivity = aw.quantity("resistivity", u::resistivity, Limits::positive());
        a.aspect_ratio = aw.number("aspect_ratio", Limits::positive());
        aw.finish();
        if (!c.array_wires.empty() && !(a.width > c.array_wires.back().width))
            throw aw.error("width", "array wires must be listed by increasing width");
        c.array_wires.push_back(a);
    }
    {
        auto l = s.section("layout");
        auto r = [&](const char* k) { return l.number(k, Limits::positive()); };
        c.layout.max_transistor_height = r("max_transistor_height");
        c.layout.gap_p_n = r("min_gap_p_n_diffusion");
        c.layout.gap_same = r("min_gap_same_diffusion");
        c.layout.gap_gate_poly = r("min_gap_gate_poly");
        c.layout.gap_contact_poly = r("min_gap_contact_poly");
        c.layout.contact = r("contact_size");
        c.layout.poly_ext = r("min_poly_extension");
        c.layout.gap_field_poly = r("min_gap_field_poly");
        c.layout.poly_width = r("poly_width");
        c.layout.m2_pitch = r("m2_pitch");
        c.layout.m3_pitch = r("m3_pitch");
        c.layout.power_rail = r("power_rail_width");
        c.layout.min_nmos_width = r("min_nmos_width");
        l.finish();
        // The node is the feature size F the layout rules are drawn in: its drawn gate
        // (poly_width × node) is the transistors' gate, so the flavours' gate lengths must agree
        // with it. Shipped cards: gate_length / (poly_width × node) = 0.91 (22 nm) to 1.57 (7 nm);
        // a factor of 2 either way leaves room for other sources and refuses a node that belongs
        // to another card (`node: 3 nm` with a 34 nm gate, `node: 1 m`).
        const double drawn = c.layout.poly_width * c.node;
        for (const auto& [f, lg] : gate_lengths) {
            const double ratio = lg / drawn;
            if (!(ratio >= 0.5 && ratio <= 2.0))
                throw s.error("node",
                              fmt::format("node {} does not match the card's own geometry: "
                                          "{}.gate_length is {}, but the drawn gate "
                                          "(layout.poly_width {} × node) is {}; expected a gate "
                                          "length within a factor of 2 of it",
                                          u::format_human(c.node, u::length), f.path(),
                                          u::format_human(lg, u::length), c.layout.poly_width,
                                          u::format_human(drawn, u::length)));
        }
        // Likewise the local wire: shipped cards draw it 1.2 (90 nm) to 2.9 (7 nm) feature sizes
        // wide.
        const double wire_ratio = c.wire_width / c.node;
        if (!(wire_ratio >= 0.5 && wire_ratio <= 4.0))
            throw s.error("node",
                          fmt::format("node {} does not match the card's own geometry: wire.width "
                                      "is {} = {:.3g} feature sizes; "
                                      "expected 0.5 to 4 feature sizes",
                                      u::format_human(c.node, u::length),
                                      u::format_human(c.wire_width, u::length), wire_ratio));
    }
    {
        auto st = s.section("leakage_stacking");
        c.stacking.nand2 = st.number("nand2", Limits::fraction());
        c.stacking.nand3 = st.number("nand3", Limits::fraction());
        c.stacking.nor2 = st.number("nor2", Limits::fraction());
        c.stacking.nor3 = st.number("nor3", Limits::fraction());
        st.finish();
    }
    {
        auto h = s.section("horowitz");
        c.horowitz_vs = h.number("vs", Limits{0.0, 1.0, true, true});
        c.horowitz_beta = h.number("beta", Limits::positive());
        h.finish();
    }
    {
        auto d = s.section("design");
        auto& g = c.design;
        g.cell_utilisation = d.number("cell_utilisation", Limits{0.0, 1.0, true, false});
        g.ir_drop_tolerance = d.number("ir_drop_tolerance", Limits{0.0, 1.0, true, false});
        g.switch_resistance_ratio = d.number("switch_resistance_ratio", Limits::positive());
        g.dff_footprint_cells = d.number("dff_footprint_cells", Limits::positive());
        g.dff_leaking_inverters = d.number("dff_leaking_inverters", Limits::non_negative());
        g.decoder_driver_size = d.number("decoder_driver_size", Limits::at_least(1));
        g.adder_nand2_per_bit = d.number("adder_nand2_per_bit", Limits::positive());
        {
            auto sub = d.section("subtractor_gates_per_bit");
            g.sub_nand2_per_bit = sub.number("nand2", Limits::non_negative());
            g.sub_nor2_per_bit = sub.number("nor2", Limits::non_negative());
            g.sub_inv_per_bit = sub.number("inv", Limits::non_negative());
            sub.finish();
        }
        g.logic_activity = d.number("logic_activity", Limits::fraction());
        // Converter constants are facts of the circuit family, declared once in
        // data/converters.yaml (issue 12 step 5); a card that still carries them is refused.
        for (const char* moved : {"integrate_fire", "sense_amp", "sar_adc", "flash_adc"})
            if (d.has(moved))
                throw d.error(moved,
                              fmt::format("converter constants no longer live in tech cards: "
                                          "they are declared once, with their sources, in "
                                          "data/converters.yaml (section '{}'); delete this block",
                                          std::string_view(moved) == "sar_adc"     ? "sar"
                                          : std::string_view(moved) == "flash_adc" ? "flash"
                                                                                   : moved));
        {
            auto a = d.section("level_shifter");
            g.ls_cells = a.number("footprint_cells", Limits::positive());
            g.ls_hv_area_factor = a.number("hv_area_factor", Limits::at_least(1));
            a.finish();
        }
        {
            auto a = d.section("sram");
            g.sram_cell_width_f = a.number("cell_width", Limits::positive());
            g.sram_cell_height_f = a.number("cell_height", Limits::positive());
            g.sram_bitline_swing = a.number("bitline_swing", Limits{0.0, 1.0, true, false});
            g.sram_column_cells = a.number("column_footprint_cells", Limits::non_negative());
            a.finish();
        }
        if (auto lim = d.maybe_section("limits")) {
            g.wire_current_density_max =
                lim->quantity("wire_current_density", u::current / u::area, Limits::positive());
            g.min_cycle_fo4 = lim->number("min_cycle_fo4", Limits::positive());
            lim->finish();
        }
        d.finish();
    }
    s.finish();
    c.resolved = s.resolved();
    return c;
}

Card load_card(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, std::string>>& overrides) {
    auto doc = config::load_file(path);
    for (const auto& [k, v] : overrides) config::apply_override(doc, k, v);
    config::Section s(doc);
    return parse_card(s);
}

}  // namespace synbench::tech
