#include "tech/card.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tech/fields.hpp"

namespace synbench::tech {

namespace {

using config::field;
using config::FieldList;
namespace u = synbench::units;

// The fields of a declared section (tech/fields.cpp), read by name.
struct Reader {
    config::Section& s;
    const FieldList& list;
    double num(std::string_view name) { return s.read_number(field(list, name)); }
    std::string text(std::string_view name) { return s.read_text(field(list, name)); }
    config::Section section(std::string_view name) { return s.section(field(list, name).name); }
};

// A table `{unit: uA/um, values: [...]}`: the values in SI, after checking the unit's dimension.
std::vector<double> unit_table(config::Section& parent, std::string_view key, u::Dim dim,
                               std::size_t n) {
    auto t = parent.section(key);
    const auto& T = fields::table();
    auto unit = t.read_text(field(T, "unit"));
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
    auto v = t.read_numbers(field(T, "values"));
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
    Reader top{s, fields::card()};
    c.name = top.text("name");
    // From the 10 um processes of the early 1970s to below the smallest node the cards model (7
    // nm): the declared range.
    c.node = top.num("node");
    c.kind = top.text("kind") == "finfet" ? Kind::finfet : Kind::planar;
    c.flavour = top.text("flavour");
    c.temperature = top.num("temperature");
    std::vector<std::pair<config::Section, double>>
        gate_lengths;  // per flavour; checked against the layout below

    {
        // Every flavour present is parsed and checked (a broken LSTP block is an error even when HP
        // is used).
        YAML::Node raw_flavours = s.raw(field(fields::card(), "flavours").name);
        if (!raw_flavours.IsMap())
            throw s.error("flavours", "expected a mapping: flavour name -> transistor parameters");
        std::vector<std::string> names;
        for (auto it = raw_flavours.begin(); it != raw_flavours.end(); ++it)
            names.push_back(it->first.Scalar());
        auto flavours = top.section("flavours");
        if (std::find(names.begin(), names.end(), c.flavour) == names.end()) {
            std::string list;
            for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
            throw s.error("flavour",
                          fmt::format("node {} has no flavour '{}' in this card (available: {})",
                                      c.name, c.flavour, list));
        }
        for (const auto& name : names) {
            auto f = flavours.section(name);
            Reader fl{f, fields::flavour()};
            const bool chosen = name == c.flavour;
            auto source = fl.text("source");
            double vdd = fl.num("vdd");
            double vth = fl.num("vth");
            double lg = fl.num("gate_length");
            // A transistor that conducts at Vgs = Vdd needs its threshold below the supply.
            if (!(vth < vdd))
                throw f.error("vth", fmt::format("vth = {} is not below vdd = {}: expected a "
                                                 "threshold voltage below the supply",
                                                 u::format_human(vth, u::voltage),
                                                 u::format_human(vdd, u::voltage)));
            gate_lengths.emplace_back(f, lg);
            double cg = fl.num("c_gate_ideal");
            double cf = fl.num("c_fringe");
            double ov = fl.num("c_overlap_ratio");
            double k = fl.num("r_on_factor");
            double fh = 0, fw = 0, fp = 0;
            if (c.kind == Kind::finfet) {
                // Optional in the declaration (planar cards have none), required for finfet.
                auto fin = fl.section("fin");
                Reader fr{fin, fields::section("flavour.fin")};
                fh = fr.num("height");
                fw = fr.num("width");
                fp = fr.num("pitch");
                fin.finish();
            }
            auto cur = fl.section("currents");
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
        auto j = top.section("junction");
        Reader jr{j, fields::section("junction")};
        double cj = jr.num("bottom");
        double cjsw = jr.num("sidewall");
        double cjswg = jr.num("gate_sidewall");
        double mj = jr.num("grading_bottom");
        double mjsw = jr.num("grading_sidewall");
        double phi = jr.num("built_in_potential");
        j.finish();
        c.c_junction = cj / std::pow(1 + c.vdd / phi, mj);
        c.c_sidewall = cjsw / std::pow(1 + c.vdd / phi, mjsw);
        c.c_gate_sidewall = cjswg / std::pow(1 + c.vdd / phi, mjsw);
    }
    {
        auto w = top.section("wire");
        Reader wr{w, fields::section("wire")};
        c.wire_width = wr.num("width");
        c.wire_barrier = wr.num("barrier");
        c.wire_resistivity = wr.num("resistivity");
        c.wire_aspect_ratio = wr.num("aspect_ratio");
        c.wire_cap_per_m = wr.num("capacitance");
        c.wire_temp_coeff = wr.num("temperature_coefficient");
        w.finish();
        if (!(2 * c.wire_barrier < c.wire_width))
            throw w.error("barrier", "the barrier must be thinner than half the wire width");
    }
    for (auto& aw : s.section_list(field(fields::card(), "array_wires").name)) {
        ArrayWire a;
        Reader ar{aw, fields::section("array_wires")};
        a.width = ar.num("width");
        a.resistivity = ar.num("resistivity");
        a.aspect_ratio = ar.num("aspect_ratio");
        aw.finish();
        if (!c.array_wires.empty() && !(a.width > c.array_wires.back().width))
            throw aw.error("width", "array wires must be listed by increasing width");
        c.array_wires.push_back(a);
    }
    {
        auto l = top.section("layout");
        Reader lr{l, fields::section("layout")};
        auto r = [&](const char* k) { return lr.num(k); };
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
        auto st = top.section("leakage_stacking");
        Reader sr{st, fields::section("leakage_stacking")};
        c.stacking.nand2 = sr.num("nand2");
        c.stacking.nand3 = sr.num("nand3");
        c.stacking.nor2 = sr.num("nor2");
        c.stacking.nor3 = sr.num("nor3");
        st.finish();
    }
    {
        auto h = top.section("horowitz");
        Reader hr{h, fields::section("horowitz")};
        c.horowitz_vs = hr.num("vs");
        c.horowitz_beta = hr.num("beta");
        h.finish();
    }
    {
        auto d = top.section("design");
        Reader dr{d, fields::section("design")};
        auto& g = c.design;
        g.cell_utilisation = dr.num("cell_utilisation");
        g.ir_drop_tolerance = dr.num("ir_drop_tolerance");
        g.switch_resistance_ratio = dr.num("switch_resistance_ratio");
        g.dff_footprint_cells = dr.num("dff_footprint_cells");
        g.dff_leaking_inverters = dr.num("dff_leaking_inverters");
        g.decoder_driver_size = dr.num("decoder_driver_size");
        g.adder_nand2_per_bit = dr.num("adder_nand2_per_bit");
        {
            auto sub = dr.section("subtractor_gates_per_bit");
            Reader r{sub, fields::section("design.subtractor_gates_per_bit")};
            g.sub_nand2_per_bit = r.num("nand2");
            g.sub_nor2_per_bit = r.num("nor2");
            g.sub_inv_per_bit = r.num("inv");
            sub.finish();
        }
        g.logic_activity = dr.num("logic_activity");
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
            auto a = dr.section("level_shifter");
            Reader r{a, fields::section("design.level_shifter")};
            g.ls_cells = r.num("footprint_cells");
            g.ls_hv_area_factor = r.num("hv_area_factor");
            a.finish();
        }
        {
            auto a = dr.section("sram");
            Reader r{a, fields::section("design.sram")};
            g.sram_cell_width_f = r.num("cell_width");
            g.sram_cell_height_f = r.num("cell_height");
            g.sram_bitline_swing = r.num("bitline_swing");
            g.sram_column_cells = r.num("column_footprint_cells");
            a.finish();
        }
        if (auto lim = d.maybe_section(field(fields::section("design"), "limits").name)) {
            Reader r{*lim, fields::section("design.limits")};
            g.wire_current_density_max = r.num("wire_current_density");
            g.min_cycle_fo4 = r.num("min_cycle_fo4");
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
