#include "device/card.hpp"

#include <fmt/format.h>

#include <cmath>

#include "device/fields.hpp"
#include "device/model.hpp"
#include "device/nonlinearity.hpp"

namespace synbench::device {

using config::field;
using config::Limits;
namespace u = synbench::units;

const char* to_string(CellType t) {
    switch (t) {
        case CellType::crossbar:
            return "crossbar";
        case CellType::pseudo_crossbar_1t1r:
            return "pseudo_crossbar_1t1r";
        case CellType::digital_sram:
            return "digital_sram";
        case CellType::digital_nvm:
            return "digital_nvm";
    }
    return "?";
}

namespace {

// The physical range of a cell's conductance (see the check in parse_card).
constexpr double kMinCellConductance = 1e-15;  // S
constexpr double kMaxCellConductance = 1.0;    // S

// `model` decides which fields apply: only the exponential model has a nonlinearity, digital
// cells derive their levels from the number of bits.
Direction parse_direction(config::Section& s, const std::string& model, int digital_levels) {
    const bool digital = model == "digital";
    const auto& D = fields::direction();
    Direction d;
    if (digital) {
        const auto& lv = field(D, "levels");
        d.levels = static_cast<int>(s.integer(lv.name, lv.limits, digital_levels));
        if (d.levels != digital_levels)
            throw s.error("levels", fmt::format("a digital weight of these bits has 2^bits - 1 = "
                                                "{} steps, not {} (omit 'levels')",
                                                digital_levels, d.levels));
    } else {
        d.levels = static_cast<int>(s.read_integer(field(D, "levels")));
    }
    // nl and a are the exponential model's (the registry lists them there); read on every card so
    // that a non-zero value elsewhere gets the error below.
    d.nl_label = s.maybe_read_number(fields::nonlinearity_label());
    auto a = s.maybe_read_number(fields::nonlinearity_a());
    if (d.nl_label && a)
        throw s.error("a",
                      "give either 'nl' (the nonlinearity label) or 'a' (normalized A), not both");
    if (a)
        d.a_normalized = *a;
    else if (d.nl_label)
        d.a_normalized = normalized_a_from_nl(*d.nl_label);
    if (model != "exponential" && d.a_normalized != 0)
        throw s.error(a ? "a" : "nl", fmt::format("only the exponential model has a nonlinearity; "
                                                  "model '{}' ignores it (remove it or set 0)",
                                                  model));
    const auto& V = field(D, "voltage");
    d.voltage =
        s.quantity(V.name, V.dim, V.limits, digital ? std::optional<double>(0.0) : std::nullopt);
    const auto& W = field(D, "pulse_width");
    d.pulse_width =
        s.quantity(W.name, W.dim, W.limits, digital ? std::optional<double>(1e-9) : std::nullopt);
    d.voltage_step = s.read_number(field(D, "voltage_step"));
    d.width_step = s.read_number(field(D, "width_step"));
    // A non-identical scheme must keep every pulse of a full sweep physical.
    const double last = d.levels - 1;
    if ((d.voltage != 0 || d.voltage_step != 0) && std::abs(d.voltage) + last * d.voltage_step <= 0)
        throw s.error(
            "voltage_step",
            fmt::format("|voltage| + {} * voltage_step must stay > 0 over a sweep of {} pulses",
                        last, d.levels));
    if (d.pulse_width + last * d.width_step <= 0)
        throw s.error(
            "width_step",
            fmt::format("pulse_width + {} * width_step must stay > 0 over a sweep of {} pulses",
                        last, d.levels));
    d.g_min = s.maybe_read_number(field(D, "g_min"));
    d.g_max = s.maybe_read_number(field(D, "g_max"));
    if (d.g_min && d.g_max && !(*d.g_min < *d.g_max))
        throw s.error("g_min", "this direction's g_min must be below its g_max");
    s.finish();
    return d;
}

// Rows sorted by strictly increasing g; LTP steps are >= 0, LTD steps <= 0 (signed as measured).
// Every row lies inside the device's conductance range [g_lo, g_hi] (the table describes this
// device; rows outside it would never be reached, or describe another device), and no step or
// spread exceeds the whole range.
std::vector<LookupPoint> parse_table(config::Section& s, const char* key, bool up, double g_lo,
                                     double g_hi) {
    std::vector<LookupPoint> out;
    const auto& R = fields::lookup_row();
    auto rows = s.section_list(key);
    for (auto& row : rows) {
        LookupPoint p;
        p.g = row.read_number(field(R, "g"));
        p.dg = row.read_number(field(R, "dg"));
        p.dg_sigma = row.read_number(field(R, "dg_sigma"));
        if (up ? p.dg < 0 : p.dg > 0)
            throw row.error(
                "dg", fmt::format("{} steps must be {} (dg is the signed mean change per pulse)",
                                  up ? "LTP" : "LTD", up ? ">= 0" : "<= 0"));
        if (!out.empty() && !(p.g > out.back().g))
            throw row.error("g", "rows must be sorted by strictly increasing g");
        const double range = g_hi - g_lo, slack = 1e-9 * g_hi;  // (rounding of r_on → g)
        if (p.g < g_lo - slack || p.g > g_hi + slack)
            throw row.error(
                "g",
                fmt::format(
                    "g = {} is outside the device's conductance range {} to {} (conductance:); "
                    "expected every row inside it",
                    u::format_human(p.g, u::conductance), u::format_human(g_lo, u::conductance),
                    u::format_human(g_hi, u::conductance)));
        if (std::abs(p.dg) > range + slack)
            throw row.error("dg", fmt::format("|dg| = {} exceeds the device's whole conductance "
                                              "range ({}); expected a step within it",
                                              u::format_human(std::abs(p.dg), u::conductance),
                                              u::format_human(range, u::conductance)));
        if (p.dg_sigma > range + slack)
            throw row.error("dg_sigma",
                            fmt::format("dg_sigma = {} exceeds the device's whole conductance "
                                        "range ({}); expected a spread within it",
                                        u::format_human(p.dg_sigma, u::conductance),
                                        u::format_human(range, u::conductance)));
        row.finish();
        out.push_back(p);
    }
    if (out.size() < 2) throw s.error(key, "the lookup model needs at least 2 rows per direction");
    bool moves = false;
    for (const auto& p : out) moves = moves || p.dg != 0;
    if (!moves) throw s.error(key, "every mean step is 0: the device would never move");
    return out;
}

}  // namespace

Card parse_card(config::Section& s) {
    // Every field is read through its declaration (device/fields.hpp): name, type, unit, range
    // and default come from there; the checks across fields stay here.
    const auto& top = fields::card();
    Card c;
    c.name = s.read_text(field(top, "name"));
    {
        const auto& F = fields::section("source");
        auto src = s.section("source");
        c.source.paper = src.read_text(field(F, "paper"));
        c.source.doi = src.read_text(field(F, "doi"));
        c.source.via = src.read_text(field(F, "via"));
        c.source.notes = src.read_text(field(F, "notes"));
        src.finish();
    }
    c.model = s.read_text(field(top, "model"));
    const bool digital = c.model == "digital";
    {
        const auto& F = fields::section("cell");
        auto cell = s.section("cell");
        auto type = cell.read_text(field(F, "type"));
        c.cell = type == "crossbar"               ? CellType::crossbar
                 : type == "pseudo_crossbar_1t1r" ? CellType::pseudo_crossbar_1t1r
                 : type == "digital_sram"         ? CellType::digital_sram
                                                  : CellType::digital_nvm;
        // Defaults that depend on the cell type (the declarations say which).
        const double side = c.cell == CellType::crossbar ? 2.0 : 4.0;
        const auto& w = field(F, "width");
        const auto& h = field(F, "height");
        const auto& ra = field(F, "access_resistance");
        c.cell_width_f = cell.number(w.name, w.limits, side);
        c.cell_height_f = cell.number(h.name, h.limits, side);
        c.access_resistance = cell.quantity(
            ra.name, ra.dim, ra.limits,
            c.cell == CellType::pseudo_crossbar_1t1r ? std::nullopt : std::optional<double>(0.0));
        cell.finish();
        if (digital != (c.cell == CellType::digital_sram || c.cell == CellType::digital_nvm))
            throw cell.error("type", fmt::format("model '{}' needs a {} cell type", c.model,
                                                 digital ? "digital" : "analog"));
    }
    {
        const auto& F = fields::section("conductance");
        auto g = s.section("conductance");
        auto r_on = g.maybe_read_number(field(F, "r_on"));
        auto ratio = g.maybe_read_number(field(F, "on_off_ratio"));
        auto gmin = g.maybe_read_number(field(F, "g_min"));
        auto gmax = g.maybe_read_number(field(F, "g_max"));
        g.finish();  // a misspelt key is named as such, not as a missing r_on or g_min
        if (r_on && ratio) {
            if (gmin || gmax)
                throw g.error("g_min",
                              "give either r_on with on_off_ratio, or g_min with g_max, not both");
            c.g_max = 1.0 / *r_on;
            c.g_min = c.g_max / *ratio;
        } else if (gmin && gmax) {
            if (r_on || ratio)
                throw g.error("r_on",
                              "give either r_on with on_off_ratio, or g_min with g_max, not both");
            if (!(*gmin < *gmax))
                throw g.error("g_min", fmt::format("g_min ({}) must be below g_max ({})",
                                                   u::format_human(*gmin, u::conductance),
                                                   u::format_human(*gmax, u::conductance)));
            c.g_min = *gmin;
            c.g_max = *gmax;
        } else {
            g.finish();  // an unknown (misspelt) key is the better message
            throw g.error_here("expected r_on with on_off_ratio, or g_min with g_max");
        }
        // A synaptic cell conducts between 1 fS (1 POhm: below the leakage any array can sense at
        // a read voltage of ~0.1-1 V) and 1 S (1 Ohm: the resistance of a few cell pitches of
        // array wire, so the wires would dominate). Shipped cards: 3 nS (Ag:a-Si) to 285 uS
        // (STT-MRAM).
        if (!(c.g_max <= kMaxCellConductance))
            throw g.error(r_on ? "r_on" : "g_max",
                          fmt::format("gives G_max = {}; expected a cell conductance of at most {} "
                                      "(a resistance of at least {})",
                                      u::format_human(c.g_max, u::conductance),
                                      u::format_human(kMaxCellConductance, u::conductance),
                                      u::format_human(1 / kMaxCellConductance, u::resistance)));
        if (!(c.g_min >= kMinCellConductance))
            throw g.error(r_on ? "on_off_ratio" : "g_min",
                          fmt::format("gives G_min = {}; expected a cell conductance of at least "
                                      "{} (a resistance of at most {})",
                                      u::format_human(c.g_min, u::conductance),
                                      u::format_human(kMinCellConductance, u::conductance),
                                      u::format_human(1 / kMinCellConductance, u::resistance)));
    }
    {
        const auto& F = fields::section("digital");
        auto d = s.section("digital");
        const auto& bits = field(F, "bits");
        c.digital_bits = static_cast<int>(d.integer(
            bits.name, bits.limits, digital ? std::nullopt : std::optional<std::int64_t>(0)));
        c.digital_bits_per_cell = static_cast<int>(d.read_integer(field(F, "bits_per_cell")));
        d.finish();
        if (!digital && c.digital_bits != 0)
            throw d.error("bits", "only a digital model stores bits per weight");
        if (digital && c.digital_bits == 0)
            throw d.error("bits", "a digital cell needs at least 1 bit per weight");
    }
    const int digital_levels = digital ? (1 << c.digital_bits) - 1 : 0;
    {
        auto d = s.section("ltp");
        c.ltp = parse_direction(d, c.model, digital_levels);
    }
    {
        auto d = s.section("ltd");
        c.ltd = parse_direction(d, c.model, digital_levels);
    }
    // Common-range rule: with per-direction data ranges, use the overlap.
    if (c.ltp.g_min || c.ltd.g_min || c.ltp.g_max || c.ltd.g_max) {
        double lo = std::max(c.ltp.g_min.value_or(c.g_min), c.ltd.g_min.value_or(c.g_min));
        double hi = std::min(c.ltp.g_max.value_or(c.g_max), c.ltd.g_max.value_or(c.g_max));
        if (!(lo < hi)) throw s.error("ltd", "the LTP and LTD conductance ranges do not overlap");
        c.g_min = std::max(c.g_min, lo);
        c.g_max = std::min(c.g_max, hi);
    }
    {
        const auto& F = fields::section("read");
        auto r = s.section("read");
        c.read_voltage = r.read_number(field(F, "voltage"));
        // Optional: the read pulse of the paper's measurement, kept for provenance. The circuit
        // model does not use it: a cell conducts for as long as the read circuit integrates or
        // converts (its conversion window), which the hardware options set, not the device
        // (docs/circuit-model.md, "Read window").
        c.read_pulse_width = r.maybe_read_number(field(F, "pulse_width")).value_or(0.0);
        r.finish();
    }
    if (!digital) {
        if (std::abs(c.ltp.voltage) <= c.read_voltage)
            throw s.error("ltp", fmt::format("|write voltage| {} must exceed the read voltage {} "
                                             "(a read would program the cell)",
                                             u::format_human(std::abs(c.ltp.voltage), u::voltage),
                                             u::format_human(c.read_voltage, u::voltage)));
        if (std::abs(c.ltd.voltage) <= c.read_voltage)
            throw s.error("ltd", fmt::format("|write voltage| {} must exceed the read voltage {} "
                                             "(a read would program the cell)",
                                             u::format_human(std::abs(c.ltd.voltage), u::voltage),
                                             u::format_human(c.read_voltage, u::voltage)));
    }
    {
        const auto& F = fields::section("variation");
        auto v = s.section("variation");
        c.variation.c2c = v.read_number(field(F, "c2c"));
        // The exponential model's (registry); read on every card for the error below.
        c.variation.d2d_nl = v.read_number(fields::d2d_nl());
        c.variation.d2d_gmax = v.read_number(field(F, "d2d_gmax"));
        c.variation.d2d_gmin = v.read_number(field(F, "d2d_gmin"));
        c.variation.read_noise = v.read_number(field(F, "read_noise"));
        c.variation.stuck_at_gmin = v.read_number(field(F, "stuck_at_gmin"));
        c.variation.stuck_at_gmax = v.read_number(field(F, "stuck_at_gmax"));
        if (c.variation.stuck_at_gmin + c.variation.stuck_at_gmax > 1)
            throw v.error("stuck_at_gmax", "stuck_at_gmin + stuck_at_gmax exceed 1");
        // Each non-ideality applies only where the model has the state it perturbs; a value the
        // model would ignore is an error, not a silent no-op.
        const std::pair<const char*, double> fields[] = {
            {"c2c", c.variation.c2c},
            {"d2d_nl", c.variation.d2d_nl},
            {"d2d_gmax", c.variation.d2d_gmax},
            {"d2d_gmin", c.variation.d2d_gmin},
            {"read_noise", c.variation.read_noise},
            {"stuck_at_gmin", c.variation.stuck_at_gmin},
            {"stuck_at_gmax", c.variation.stuck_at_gmax}};
        for (const auto& [key, value] : fields) {
            if (value == 0) continue;
            if (c.model == "ideal" || digital)
                throw v.error(key, fmt::format("model '{}' is free of analog non-idealities; "
                                               "remove '{}' (or use an analog model)",
                                               c.model, key));
            if (std::string_view(key) == "d2d_nl" && c.model != "exponential")
                throw v.error(key, fmt::format("only the exponential model has a nonlinearity to "
                                               "vary; model '{}' ignores d2d_nl",
                                               c.model));
        }
        v.finish();
    }
    {
        const auto& F = fields::section("drift");
        auto d = s.section("drift");
        // G(t) = G(t0) (t/t0)^-nu: conductance decays, so nu >= 0 (0 = no drift); PCM shows
        // exponents of order 0.01-0.1 (amorphous phase); an exponent of 1 already loses a decade
        // per decade of time. A negative exponent would make the cell gain conductance
        // unprogrammed.
        c.drift.nu = d.read_number(field(F, "nu"));
        c.drift.nu_sigma = d.read_number(field(F, "nu_sigma"));
        c.drift.t0 = d.read_number(field(F, "t0"));
        // Cells without analog state have nothing to drift.
        if ((c.model == "ideal" || digital) && (c.drift.nu != 0 || c.drift.nu_sigma != 0))
            throw d.error(
                c.drift.nu != 0 ? "nu" : "nu_sigma",
                fmt::format("model '{}' has no analog state to drift; remove the drift", c.model));
        d.finish();
    }
    c.endurance = s.maybe_read_number(field(top, "endurance"));
    c.half_select_disturb = s.read_number(field(top, "half_select_disturb"));
    // Only a crossbar cell sees the V/2 of its neighbours' writes (1T1R: the access transistor is
    // off).
    if (c.half_select_disturb > 0 && c.cell != CellType::crossbar)
        throw s.error(
            "half_select_disturb",
            fmt::format(
                "half-select disturb applies to crossbar cells only (this card's cell is {})",
                to_string(c.cell)));
    if (c.model == "lookup") {
        auto t = s.section(fields::lookup().name);
        c.ltp_table = parse_table(t, "ltp", true, c.g_min, c.g_max);
        c.ltd_table = parse_table(t, "ltd", false, c.g_min, c.g_max);
        t.finish();
    }
    s.finish();
    c.resolved = s.resolved();
    return c;
}

int cells_per_weight(const Card& c) {
    if (c.model != "digital") return 1;
    return (c.digital_bits + c.digital_bits_per_cell - 1) / c.digital_bits_per_cell;
}

Card load_card(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, std::string>>& overrides) {
    auto doc = config::load_file(path);
    for (const auto& [k, v] : overrides) config::apply_override(doc, k, v);
    config::Section s(doc);
    return parse_card(s);
}

}  // namespace synbench::device
