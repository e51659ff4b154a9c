#include "circuit/macro_card.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "circuit/macro.hpp"
#include "circuit/macro_fields.hpp"
#include "circuit/logic.hpp"
#include "circuit/read_circuit.hpp"
#include "circuit/subarray.hpp"
#include "tech/transistor.hpp"

namespace synbench::circuit {

namespace {

using config::field;
using config::FieldList;
using config::Limits;
namespace u = synbench::units;

// The fields of a declared section (circuit/macro_fields.cpp), read by name.
struct Reader {
    config::Section& s;
    const FieldList& list;
    const config::FieldSpec& spec(std::string_view name) const { return field(list, name); }
    double num(std::string_view name) { return s.read_number(spec(name)); }
    std::optional<double> maybe(std::string_view name) { return s.maybe_read_number(spec(name)); }
    int integer(std::string_view name) { return static_cast<int>(s.read_integer(spec(name))); }
    // An integer whose upper bound is another field's value (rows_active ≤ array.rows).
    int integer_to(std::string_view name, double max) {
        auto f = spec(name);
        f.limits.max = max;
        return static_cast<int>(s.read_integer(f));
    }
    std::string text(std::string_view name) { return s.read_text(spec(name)); }
};

config::Error not_modelled(const config::Section& s, std::string_view key, const std::string& value,
                           const std::string& modelled) {
    return s.error(
        key, fmt::format("'{}' is not modelled yet by today's circuit components (modelled: {})",
                         value, modelled));
}

std::filesystem::path find_card(const config::Section& s, std::string_view key,
                                const std::string& written, const std::filesystem::path& dir) {
    // Relative to the card's folder first (a card and the cards it names move together), else to
    // the working directory.
    std::filesystem::path p = written;
    if (p.is_relative() && std::filesystem::exists(dir / p)) p = dir / p;
    if (!std::filesystem::exists(p))
        throw s.error(key, fmt::format("card file '{}' does not exist", written));
    return p;
}

int ceil_div(int a, int b) { return (a + b - 1) / b; }

}  // namespace

MacroCardCache macro_card_cache(const MacroCard& m) {
    MacroCardCache c;
    c.tech_path = m.tech_path;
    c.device_path = m.device_path;
    c.tech = m.tech;
    c.device = m.device;
    if (const auto p = find_converter_survey()) c.survey = load_converter_survey(*p);
    if (const auto p = find_readout_constants()) c.readout = load_readout_constants(*p);
    return c;
}

MacroCard parse_macro_card(config::Section& s, const std::filesystem::path& dir,
                           const MacroCardCache* cache) {
    MacroCard m;
    const auto& M = macro_fields::card();
    Reader top{s, M};
    m.name = top.text("name");
    {
        auto src = s.section(field(M, "source").name);
        Reader r{src, macro_fields::section("source")};
        m.paper = r.text("paper");
        m.doi = r.text("doi");
        m.where = r.text("where");
        src.finish();
    }
    {
        // Optional, free-form: field → where the paper states it.
        const auto so = s.raw(field(M, "sources").name);
        if (so.IsDefined() && !so.IsNull()) {
            if (!so.IsMap())
                throw s.error("sources",
                              "expected a mapping: field: \"where the paper states it\"");
            for (auto it = so.begin(); it != so.end(); ++it) {
                if (!it->second.IsScalar())
                    throw s.error(
                        "sources",
                        fmt::format("'{}': expected text saying where the paper states it",
                                    it->first.Scalar()));
                m.sources[it->first.Scalar()] = it->second.Scalar();
            }
        }
    }
    m.tech_path = top.text("tech");
    if (cache && cache->tech_path == m.tech_path)
        m.tech = cache->tech;
    else
        m.tech = tech::load_card(find_card(s, "tech", m.tech_path, dir));
    {
        const auto node = s.raw(field(M, "device").name);
        if (!node.IsDefined() || node.IsNull())
            throw s.error("device", "expected a device card path or an inline device card");
        if (node.IsScalar()) {
            m.device_path = node.Scalar();
            if (cache && !cache->device_path.empty() && cache->device_path == m.device_path)
                m.device = cache->device;
            else
                m.device = device::load_card(find_card(s, "device", m.device_path, dir));
        } else {
            config::Document d;
            d.file = std::make_shared<const std::string>(s.file());
            d.root = node;
            config::Section ds(node, d, "device");
            m.device = device::parse_card(ds);
        }
    }
    {
        auto a = s.section(field(M, "array").name);
        Reader r{a, macro_fields::section("array")};
        m.rows = r.integer("rows");
        m.columns = r.integer("columns");
        a.finish();
    }
    m.rows_active = top.integer_to("rows_active", m.rows);
    {
        auto w = s.section(field(M, "weight").name);
        Reader r{w, macro_fields::section("weight")};
        m.weight_bits = r.integer("bits");
        m.weight_cells = r.integer("cells");
        const auto scheme = r.text("scheme");
        m.bits_per_cell = r.integer("bits_per_cell");
        // Weight levels (default 2^bits); 3 = ternary {−1, 0, +1}: a signed pair whose cells sit
        // at Gmin or Gmax, both at Gmin for a zero weight.
        {
            auto f = r.spec("levels");
            f.def = std::to_string(std::int64_t{1} << m.weight_bits);
            m.weight_levels = static_cast<int>(w.read_integer(f));
        }
        if (m.weight_levels > (std::int64_t{1} << m.weight_bits))
            throw w.error(
                "levels",
                fmt::format("{} levels do not fit in weight.bits = {} ({} at most)",
                            m.weight_levels, m.weight_bits, std::int64_t{1} << m.weight_bits));
        m.scheme = weight_scheme(scheme);
        if (m.weight_levels == 3 && m.scheme != WeightScheme::differential_columns &&
            m.scheme != WeightScheme::differential_in_column)
            throw w.error("levels",
                          "ternary weights (levels: 3) need a signed pair: weight.scheme "
                          "differential_columns or differential_in_column");
        if (m.scheme == WeightScheme::differential_columns && m.weight_cells % 2)
            throw w.error("cells", fmt::format("{} cells cannot split evenly over the positive and "
                                               "negative columns of differential_columns "
                                               "(expected an even count)",
                                               m.weight_cells));
        if (m.scheme == WeightScheme::differential_in_column && m.weight_cells != 2)
            throw not_modelled(
                w, "cells", std::to_string(m.weight_cells) + " cells with differential_in_column",
                "2 cells, the pair on two rows of one column (2T2R)");
        if (m.scheme == WeightScheme::offset_column && m.weight_cells != 1)
            throw not_modelled(w, "cells",
                               std::to_string(m.weight_cells) + " cells with offset_column",
                               "1 analog cell per weight");
        if (m.scheme == WeightScheme::bit_sliced &&
            m.weight_cells * m.bits_per_cell < m.weight_bits)
            throw w.error(
                "cells",
                fmt::format("{} cells of {} bit(s) hold {} bits, fewer than weight.bits = {}",
                            m.weight_cells, m.bits_per_cell, m.weight_cells * m.bits_per_cell,
                            m.weight_bits));
        w.finish();
        // The array must hold whole weights (checked here so the message names file and line).
        if ((m.scheme == WeightScheme::differential_columns ||
             m.scheme == WeightScheme::bit_sliced) &&
            m.columns % m.weight_cells)
            throw s.error("array",
                          fmt::format("array.columns {} is not a multiple of weight.cells {}",
                                      m.columns, m.weight_cells));
        if (m.scheme == WeightScheme::differential_in_column && m.rows % 2)
            throw s.error("array", fmt::format("array.rows {} is odd: differential_in_column puts "
                                               "a weight's two cells on two rows",
                                               m.rows));
        if (m.scheme == WeightScheme::differential_in_column && m.rows_active % 2)
            throw s.error(
                "rows_active",
                fmt::format("{} is odd: differential_in_column drives a weight's two rows together",
                            m.rows_active));
        if (m.columns < 2)
            throw s.error("array",
                          "array.columns: at least 2 columns (a pair, or data and offset column)");
    }
    {
        auto in = s.section(field(M, "input").name);
        Reader r{in, macro_fields::section("input")};
        m.input_bits = r.integer("bits");
        m.encoding = input_encoding(r.text("encoding"));
        // The duration of a full-scale input when the paper states it (HERMES-Core: 128 ns):
        // the unit pulse is then window / (2^b − 1), else one clock period.
        m.input_window = r.maybe("window").value_or(0.0);
        if (m.input_window > 0 && m.encoding != InputEncoding::pulse_count &&
            m.encoding != InputEncoding::pwm)
            throw in.error("window",
                           "a full-scale input window is a duration of pulse_count or pwm inputs "
                           "only (input.encoding is bit_serial or dac)");
        in.finish();
    }
    {
        auto c = s.section(field(M, "converter").name);
        Reader r{c, macro_fields::section("converter")};
        m.converter = r.text("kind");  // the registry is the list
        const auto& variant = converter_variant(m.converter);
        {
            // The declared range is every kind's; this kind's own is narrower.
            auto f = r.spec("bits");
            f.limits = Limits::between(variant.min_bits, variant.max_bits);
            m.converter_bits = static_cast<int>(c.read_integer(f));
        }
        m.columns_per_converter = r.integer("columns_per_converter");
        m.converter_differential = r.text("input") == "differential";
        if (m.converter_differential && m.scheme != WeightScheme::differential_columns)
            throw c.error("input",
                          "'differential' takes a weight's positive and negative columns: only "
                          "with weight.scheme differential_columns");
        // A counting converter's time per LSB where the paper states it (HERMES-Core: 300 ps/LSB).
        m.converter_lsb_time = r.maybe("lsb_time").value_or(0.0);
        if (m.converter_lsb_time > 0 && m.converter != "cco")
            throw c.error("lsb_time",
                          fmt::format("the time per count of a current-controlled oscillator: only "
                                      "with kind cco (kind is '{}')",
                                      m.converter));
        // One global default for every card: the physical read-out where the kind has one
        // (docs/silicon-validation.md "Read-out model: physical or survey").
        m.converter_survey_model = r.text("model") == "survey";
        if (is_physical_readout(m.converter) && !m.converter_survey_model) {
            // Physical models with textbook constants (docs/macro-cards.md "Physical read-outs").
            const auto p = cache && cache->readout
                               ? std::optional<std::filesystem::path>(cache->readout->file)
                               : find_readout_constants();
            if (!p)
                throw c.error(
                    "kind",
                    fmt::format("'{}' takes its constants from data/macro-readout.yaml, which is "
                                "not in any card search root (set $SYNBENCH_CARDS to the folder "
                                "holding data/)",
                                m.converter));
            m.readout = cache && cache->readout ? *cache->readout : load_readout_constants(*p);
        } else if (!variant.survey_family.empty()) {
            // Every other kind: energy and area from the survey fit (docs/macro-cards.md
            // "Converters").
            const auto p = cache && cache->survey
                               ? std::optional<std::filesystem::path>(cache->survey->file)
                               : find_converter_survey();
            if (!p)
                throw c.error(
                    "kind",
                    fmt::format("'{}' takes its energy and area from data/converter-survey.yaml, "
                                "which is not in any card "
                                "search root (set $SYNBENCH_CARDS to the folder holding data/)",
                                m.converter));
            m.survey = cache && cache->survey ? *cache->survey : load_converter_survey(*p);
        }
        c.finish();
    }
    {
        auto o = s.section(field(M, "output").name);
        Reader r{o, macro_fields::section("output")};
        m.output_bits = r.integer("bits");
        o.finish();
    }
    m.clock = top.num("clock");
    if (auto sp = s.maybe_section(field(M, "supplies").name)) {
        Reader r{*sp, macro_fields::section("supplies")};
        m.supply_read = r.maybe("read").value_or(0.0);
        m.supply_word_line = r.maybe("word_line").value_or(0.0);
        m.supply_periphery = r.maybe("periphery").value_or(0.0);
        sp->finish();
    }
    if (auto cs = s.maybe_section(field(M, "cell").name)) {
        // The cell footprint the paper states: an area in F² (F = the tech card's node) or a
        // pitch (a square cell). Else the device card's footprint.
        Reader r{*cs, macro_fields::section("cell")};
        const auto a = r.maybe("area_F2");
        const auto p = r.maybe("pitch");
        if (a && p) throw cs->error("pitch", "give either area_F2 or pitch, not both");
        if (!a && !p)
            throw cs->error("area_F2", "expected area_F2 (cell area in F²) or pitch (e.g. 4 um)");
        m.cell_area_f2 = a.value_or(0.0);
        m.cell_pitch = p.value_or(0.0);
        cs->finish();
    }
    {
        auto a = s.section(field(M, "activity").name);
        Reader r{a, macro_fields::section("activity")};
        m.input_density = r.num("input_density");
        m.weight_sparsity = r.num("weight_sparsity");
        a.finish();
    }
    s.finish();
    m.resolved = s.resolved();
    return m;
}

MacroCard load_macro_card(const std::filesystem::path& path) {
    auto doc = config::load_file(path);
    config::Section s(doc);
    return parse_macro_card(s, path.parent_path());
}

namespace {

const Block* find_child(const Block& b, std::string_view name) {
    for (const auto& c : b.children)
        if (c.name == name) return &c;
    return nullptr;
}

// One converter of the card: its energy and time per conversion, area and leakage each.
struct Converter {
    double energy_J = 0, time_s = 0, area_m2 = 0, leakage_W = 0;
    std::string model;
};

}  // namespace

MacroShape macro_shape(const MacroCard& m) {
    MacroShape sh;
    const int k = std::max(1, m.weight_cells);
    switch (m.scheme) {
        case WeightScheme::differential_columns:
        case WeightScheme::bit_sliced:
            sh.weights = m.columns / k;
            sh.data_cells_per_weight = k;
            break;
        case WeightScheme::differential_in_column:
            sh.weights = m.columns;
            sh.rows_per_input = 2;
            sh.data_cells_per_weight = 2;
            break;
        case WeightScheme::offset_column:
            sh.weights = m.columns - 1;
            break;
    }
    sh.inputs = m.rows / sh.rows_per_input;
    return sh;
}

MacroEstimate estimate_macro(const MacroCard& m) {
    const auto sh = macro_shape(m);
    return estimate_macro_tile(m, sh.inputs, sh.weights);
}

MacroEstimate estimate_macro_tile(const MacroCard& m, int used_inputs, int used_weights) {
    MacroEstimate e;
    const auto& t = m.tech;
    device::Card d = m.device;
    if (m.supply_read > 0) d.read_voltage = m.supply_read;
    if (d.cell == device::CellType::digital_nvm || d.cell == device::CellType::digital_sram)
        throw std::invalid_argument(
            "device: a macro card takes an analog cell card (a bit-sliced weight is weight.cells × "
            "weight.bits_per_cell)");
    // The stated cell footprint, in the feature size the subarray draws this cell type in (1T1R:
    // the node; cross-point: the array wire width).
    const double f_sub = d.cell == device::CellType::pseudo_crossbar_1t1r
                             ? t.node
                             : HardwareOptions{}.array_wire_width;
    double stated_side = 0;
    if (m.cell_area_f2 > 0) stated_side = std::sqrt(m.cell_area_f2) * t.node;
    if (m.cell_pitch > 0) stated_side = m.cell_pitch;
    if (stated_side > 0) d.cell_width_f = d.cell_height_f = stated_side / f_sub;
    const int k = m.weight_cells;
    // Weights along a row (W), physical rows per input (r_in), converted column lines per read.
    int W = 0, r_in = 1, converted = m.columns;
    switch (m.scheme) {
        case WeightScheme::differential_columns:
            if (m.columns % k)
                throw std::invalid_argument(fmt::format(
                    "array.columns {} is not a multiple of weight.cells {}", m.columns, k));
            W = m.columns / k;
            if (m.converter_differential) converted = W;
            break;
        case WeightScheme::differential_in_column:
            W = m.columns;
            r_in = 2;
            break;
        case WeightScheme::offset_column:
            if (m.columns < 2)
                throw std::invalid_argument(
                    "array.columns: an offset column needs at least one data column beside it");
            W = m.columns - 1;
            break;
        case WeightScheme::bit_sliced:
            if (m.columns % k)
                throw std::invalid_argument(fmt::format(
                    "array.columns {} is not a multiple of weight.cells {}", m.columns, k));
            W = m.columns / k;
            break;
    }
    if (m.rows % r_in || m.rows_active % r_in)
        throw std::invalid_argument(fmt::format(
            "array.rows {} and rows_active {} must be even: differential_in_column puts a weight's "
            "two cells on two rows",
            m.rows, m.rows_active));
    if (m.columns < 2) throw std::invalid_argument("array.columns: at least 2 columns");
    if (used_inputs < 1 || used_inputs > m.rows / r_in || used_weights < 1 || used_weights > W)
        throw std::invalid_argument(
            fmt::format("macro '{}': {} inputs x {} weights used, but it holds {} x {}", m.name,
                        used_inputs, used_weights, m.rows / r_in, W));
    // The used part: converted column lines, physical columns with cells, physical rows.
    int converted_used = used_weights, phys_used = used_weights;
    switch (m.scheme) {
        case WeightScheme::differential_columns:
            phys_used = used_weights * k;
            converted_used = m.converter_differential ? used_weights : phys_used;
            break;
        case WeightScheme::differential_in_column:
            break;
        case WeightScheme::offset_column:
            phys_used = converted_used = used_weights + 1;
            break;
        case WeightScheme::bit_sliced:
            phys_used = converted_used = used_weights * k;
            break;
    }
    const int rows_used = used_inputs * r_in;
    // The physical rows × columns array with its periphery (decoders, word-line drivers, switch
    // matrices, mux, subtractor, shift-add, write drivers), built by the subarray component with
    // exactly m.columns physical columns: pairs when even, data + one reference column when odd.
    HardwareOptions h = m.network ? *m.network : HardwareOptions{};
    h.input_bits = m.encoding == InputEncoding::bit_serial
                       ? m.input_bits
                       : 1;  // shift-add over input bits only when bit-serial
    h.adc_bits = m.converter_bits;
    // A survey converter replaces the component below (the SAR component stands in meanwhile).
    const auto& variant = converter_variant(m.converter);
    const bool survey = !variant.survey_family.empty() && !m.network;
    h.read_circuit = survey ? "sar" : m.converter;
    h.read_mux = m.columns_per_converter;
    h.clock = m.clock;
    h.max_rows = m.rows;
    h.max_cols = m.columns;
    // offset_column: data columns and the offset (reference) column, whatever their parity.
    const bool even = m.columns % 2 == 0 && m.scheme != WeightScheme::offset_column;
    h.signed_weights = even ? SignedWeights::differential : SignedWeights::reference_column;
    const int spec_cols = even ? m.columns / 2 : m.columns - 1;
    const auto full = evaluate_subarray(t, d, SubarraySpec{m.rows, spec_cols}, h);
    const auto part = m.rows_active == m.rows
                          ? full
                          : evaluate_subarray(t, d, SubarraySpec{m.rows_active, spec_cols}, h);
    const Block* rc_full = find_child(full.block, "read_circuits");
    const Block* rc_part = find_child(part.block, "read_circuits");
    if (!rc_full || !rc_part)
        throw std::logic_error("macro: the subarray has no read_circuits block");
    const int groups = ceil_div(rows_used, m.rows_active);
    const double V = d.read_voltage, vdd = t.vdd;
    const double v_wl = m.supply_word_line > 0 ? m.supply_word_line : vdd;
    const double v_p = m.supply_periphery > 0 ? m.supply_periphery : vdd;
    const double s_p = (v_p / vdd) * (v_p / vdd), s_wl = (v_wl / vdd) * (v_wl / vdd);

    // The converter.
    Converter cv;
    if (!survey) {
        const int n_sub = std::max(1, full.facts.read_circuits);
        cv = {rc_part->read_energy, rc_part->read_latency, rc_full->area / n_sub,
              rc_full->leakage / n_sub, m.converter + " component"};
    } else if (m.readout) {
        // Mean input of a conversion as a fraction of full scale: each row driven with
        // probability input_density (its mean input), its cells at the mean conductance of the
        // stored weights relative to Gmax.
        const double g_mid0 = (d.g_min + d.g_max) / 2;
        const double g_bar = m.scheme == WeightScheme::offset_column
                                 ? g_mid0
                                 : (1 - m.weight_sparsity) * g_mid0 + m.weight_sparsity * d.g_min;
        ReadoutSpec rs{m.converter, m.converter_bits, d.read_voltage, m.clock,
                       m.input_density * g_bar / d.g_max};
        const auto ro = physical_readout(t, *m.readout, rs);
        cv = {ro.energy_J, ro.time_s, ro.block.area, ro.block.leakage, ro.model};
        // A stated time per count replaces the ring's own top speed: full scale is 2^N counts
        // (the energy per period of a ring does not depend on its period).
        if (m.converter_lsb_time > 0) {
            cv.time_s = std::ldexp(m.converter_lsb_time, m.converter_bits);
            cv.model += fmt::format(", stated {:.4g} ps per count", m.converter_lsb_time * 1e12);
        }
    } else {
        // Clock cycles of one conversion: the variant's (docs/macro-cards.md "Converters").
        cv.time_s = m.converter_lsb_time > 0
                        ? std::ldexp(m.converter_lsb_time, m.converter_bits)
                        : variant.cycles(m.converter_bits, converter_params(m.converter)) / m.clock;
        const auto sc =
            survey_converter(*m.survey, m.converter, m.converter_bits, t.node, 1.0 / cv.time_s);
        cv.energy_J = sc.energy_J;
        cv.area_m2 = sc.area_m2;
        cv.model = fmt::format("survey fit '{}' (ENOB {:.3g}, {:.4g} MS/s)", sc.family, sc.enob,
                               1e-6 / cv.time_s);
        for (const auto& w : sc.warnings) e.warnings.push_back(w);
    }
    const int n_conv = ceil_div(converted, std::min(m.columns_per_converter, converted));
    const int ways = std::min(m.columns_per_converter, converted_used);

    // Per read of one row group (the subarray's per-bit-plane figures without its read circuits).
    const auto& L = part.cost;
    const int phys = m.columns;
    const int ways_sub = std::min(m.columns_per_converter, phys);
    // Digital subtraction of a signed weight's lines happens once per weight output, only where
    // the pair is subtracted after conversion: differential_columns read single-ended (one
    // subtractor per k converted lines of a weight) and offset_column (one per converter). None
    // for 2T2R in-column subtraction, a differential converter input or bit slices (their sign is
    // a weighted slice of the shift-add). The subarray counts one per read circuit; replaced here.
    const Block* sub_old = find_child(part.block, "subtractor");
    int n_sub = 0;
    if (m.scheme == WeightScheme::differential_columns && !m.converter_differential)
        n_sub = ceil_div(n_conv, k);
    else if (m.scheme == WeightScheme::offset_column)
        n_sub = n_conv;
    Block sub_new;
    if (n_sub > 0) sub_new = subtractor(t, m.converter_bits, n_sub, full.facts.cell_width * phys);
    const double e_per0 = L.read_energy_per_bitplane_J - phys * rc_part->read_energy -
                          (sub_old ? ways_sub * sub_old->read_energy : 0.0) +
                          (n_sub > 0 ? ways * sub_new.read_energy : 0.0);
    const Block* wl = find_child(part.block, "wl_driver");
    if (!wl && m.supply_word_line > 0 && std::abs(v_wl - vdd) > 0.01 * vdd)
        throw std::invalid_argument(
            "supplies.word_line: the device's array has no word-line transistors (cross-point)");
    const double e_wl = wl ? m.rows_active * wl->read_energy : 0.0;
    const double e_periph_read = s_wl * e_wl + s_p * (e_per0 - e_wl);
    const double t_sub_old = sub_old ? sub_old->read_latency : 0.0;
    const double t_sub_new = n_sub > 0 ? sub_new.read_latency : 0.0;
    const double t_read = L.read_latency_per_bitplane_s -
                          ways_sub * (rc_part->read_latency + t_sub_old) +
                          ways * (cv.time_s + t_sub_new);
    // One access: the same read with one mux position (each converter converts once).
    const Block* mux = find_child(part.block, "column_mux");
    const double t_read_access = t_read - (ways_sub - 1) * (mux ? mux->read_latency : 0.0) -
                                 (ways - 1) * (cv.time_s + t_sub_new);
    // Row line energy per driven row (line charge and its gate), without the subarray's own
    // reference-column term: every physical column's cells are counted below.
    const double g_mid = (d.g_min + d.g_max) / 2;
    const double g_ref_term = even ? 0.0 : g_mid * V * V * rc_part->read_latency;
    const double e_line = L.read_energy_per_active_row_J - g_ref_term;
    const double s = m.weight_sparsity;
    const double g_mean =
        m.scheme == WeightScheme::offset_column ? g_mid : (1 - s) * g_mid + s * d.g_min;
    const double e_cells_per_s = phys_used * g_mean * V * V;  // J per second of one driven row

    // Inputs: mean value p·(2^b − 1) with each bit 1 with probability p (docs/macro-cards.md
    // "Inputs").
    const double p = m.input_density, b = m.input_bits, M = std::ldexp(1.0, m.input_bits) - 1;
    const double ra = std::min(m.rows_active, rows_used),
                 t_unit = m.input_window > 0 ? m.input_window / M : 1.0 / m.clock;
    double reads = 1, e_rows = 0, e_cells = 0, e_dac = 0, t_group = 0, t_access = 0;
    // A CCO counts the column current while it flows: with pulse inputs its (first) conversion
    // runs during the input window, not after it (a count after the pulses would be zero).
    auto overlap = [&](double window) {
        return m.converter == "cco" ? std::min(window, cv.time_s) : 0.0;
    };
    switch (m.encoding) {
        case InputEncoding::bit_serial:
            reads = b;
            e_rows = b * p * ra * e_line;
            e_cells = b * p * ra * e_cells_per_s * cv.time_s;
            t_group = b * t_read;
            t_access = b * t_read_access;
            break;
        case InputEncoding::pulse_count:
            e_rows = p * M * ra * e_line;
            e_cells = p * M * ra * e_cells_per_s * t_unit;
            t_group = M * t_unit + t_read - overlap(M * t_unit);
            t_access = M * t_unit + t_read_access - overlap(M * t_unit);
            break;
        case InputEncoding::pwm:
            e_rows = (1 - std::pow(1 - p, b)) * ra * e_line;
            e_cells = p * M * ra * e_cells_per_s * t_unit;
            t_group = M * t_unit + t_read - overlap(M * t_unit);
            t_access = M * t_unit + t_read_access - overlap(M * t_unit);
            break;
        case InputEncoding::dac: {
            const double q = p * p + p * (1 - p) * (std::ldexp(1.0, 2 * m.input_bits) - 1) /
                                         (3 * M * M);  // E[(x/M)²]
            e_rows = q * ra * e_line;
            e_cells = q * ra * e_cells_per_s * cv.time_s;
            const double c_unit = tech::gate_cap(t, tech::min_width(t, tech::Mos::n));
            e_dac = (ra / r_in) * c_unit * std::ldexp(1.0, m.input_bits) * V * V;
            t_group = t_read;
            t_access = t_read_access;
            break;
        }
    }
    const double e_conv = reads * converted_used * cv.energy_J;
    double e_periph = reads * e_periph_read;
    // Bit-sliced weights: the k slice columns of a weight combined by shift-add after conversion.
    Block slices;
    double e_slices = 0;
    const double side = full.facts.cell_width * phys;
    if (m.scheme == WeightScheme::bit_sliced && k > 1) {
        slices = shift_add(t, m.converter_bits + (k - 1) * m.bits_per_cell, W, side, m.clock);
        slices.name = "slice_shift_add";
        e_slices = reads * (k - 1) * s_p * slices.read_energy;
        t_group += reads * (k - 1) * slices.read_latency;
        t_access += reads * (k - 1) * slices.read_latency;
    }
    e.latency_per_mvm_s = groups * t_group;
    e.latency_per_access_s = t_access;

    // Area: the subarray's blocks with its read circuits replaced by the card's converters, plus
    // input DACs and the slice shift-add.
    std::vector<Block> kids;
    for (const auto& c : full.block.children)
        if (c.name != "read_circuits" && c.name != "subtractor") kids.push_back(c);
    if (n_sub > 0) kids.push_back(sub_new);
    Block conv;
    if (!survey && !m.readout) {
        // The component's read circuits, with their parts (e.g. integration capacitors), scaled
        // from the subarray's count to the card's.
        const int n_sub = std::max(1, full.facts.read_circuits);
        conv = n_conv == n_sub ? *rc_full : times(*rc_full, static_cast<double>(n_conv) / n_sub);
    } else {
        conv.area = n_conv * cv.area_m2;
        conv.leakage = n_conv * cv.leakage_W;
    }
    conv.name = "converters";
    kids.push_back(conv);
    if (m.encoding == InputEncoding::dac) {
        Block dac;
        dac.name = "input_dacs";
        dac.area =
            (m.rows / r_in) *
            placed_area(t, std::ldexp(1.0, m.input_bits) * tech::min_width(t, tech::Mos::n), 0);
        kids.push_back(dac);
    }
    if (e_slices > 0) kids.push_back(slices);
    const Block all = group("macro", kids);
    e.area_m2 = all.area;
    e.leakage_W = all.leakage;
    const double e_leak = e.leakage_W * e.latency_per_mvm_s;
    const double G = groups;
    e.energy_per_mvm_J = G * (e_rows + e_cells + e_dac + e_conv + e_periph + e_slices) + e_leak;
    e.macs_per_mvm = static_cast<double>(used_inputs) * used_weights;
    e.energy_per_mac_J = e.energy_per_mvm_J / e.macs_per_mvm;
    e.tops_per_w = 2.0 / e.energy_per_mac_J * 1e-12;
    e.tops_per_mm2 = 2.0 * e.macs_per_mvm / e.latency_per_mvm_s * 1e-12 / (e.area_m2 * 1e6);
    e.area = to_cost_node(all);
    e.block = all;
    e.facts = full.facts;
    e.used_inputs = used_inputs;
    e.used_weights = used_weights;
    {
        // Per-event costs of one read of one input bit (docs/macro-cards.md "Networks on macros"):
        // the cells conduct for a conversion (bit-serial, DAC) or one input pulse (pulse count,
        // PWM at one bit; a CCO's conversion overlapping the pulse).
        const bool pulses =
            m.encoding == InputEncoding::pulse_count || m.encoding == InputEncoding::pwm;
        const double t_cell = pulses ? t_unit : cv.time_s;
        const double t_plane = (pulses ? t_unit - overlap(t_unit) : 0.0) + t_read +
                               (e_slices > 0 ? (k - 1) * slices.read_latency : 0.0);
        const double e_plane = converted_used * cv.energy_J + e_periph_read + e_dac +
                               (e_slices > 0 ? (k - 1) * s_p * slices.read_energy : 0.0);
        auto& ev = e.events;
        ev.read_latency_per_bitplane_s = G * t_plane;
        ev.read_energy_per_bitplane_J = G * e_plane;
        ev.read_energy_per_active_row_J =
            r_in * e_line +
            (m.scheme == WeightScheme::offset_column ? g_mid * V * V * t_cell : 0.0);
        ev.read_cell_energy_per_S = V * V * t_cell;
        ev.read_latency_per_active_row_s = 0;
        const auto& fc = full.cost;
        ev.write_row_latency_s = fc.write_row_latency_s;
        ev.write_row_energy_J = fc.write_row_energy_J;
        ev.write_line_energy_per_pulse_J = fc.write_line_energy_per_pulse_J;
        ev.write_halfselect_energy_per_pulse_J = fc.write_halfselect_energy_per_pulse_J;
        ev.write_driver_energy_per_pulse_J = fc.write_driver_energy_per_pulse_J;
    }
    auto part_node = [](std::string name, double energy) {
        CostNode n;
        n.name = std::move(name);
        n.cost.energy_J = energy;
        return n;
    };
    e.energy.name = "mvm";
    e.energy.cost.energy_J = e.energy_per_mvm_J;
    e.energy.cost.latency_s = e.latency_per_mvm_s;
    e.energy.children = {part_node("array_cells", G * e_cells),
                         part_node("row_drivers", G * e_rows)};
    if (m.encoding == InputEncoding::dac)
        e.energy.children.push_back(part_node("input_dacs", G * e_dac));
    e.energy.children.push_back(part_node("converters", G * e_conv));
    e.energy.children.push_back(part_node("word_lines_and_periphery", G * e_periph));
    if (e_slices > 0) e.energy.children.push_back(part_node("slice_shift_add", G * e_slices));
    e.energy.children.push_back(part_node("leakage", e_leak));
    // The read limits (column current, IR drop) are those of a read: rows_active rows driven.
    for (auto& w : part.warnings) e.warnings.push_back(w);
    for (auto& w : clock_checks(t, m.clock)) e.warnings.push_back(std::move(w));
    e.notes.push_back(
        fmt::format("converter: {} x {}, {} conversions per read of {} row(s); {:.4g} J and {:.4g} "
                    "s per conversion",
                    n_conv, cv.model.empty() ? m.converter : m.converter + ", " + cv.model,
                    converted_used, m.rows_active, cv.energy_J, cv.time_s));
    if (stated_side > 0 && full.facts.cell_width > stated_side * (1 + 1e-9))
        e.notes.push_back(fmt::format(
            "cell: the stated {:.4g} um footprint is narrower than the access transistor; the "
            "cell is drawn {:.4g} um wide",
            stated_side * 1e6, full.facts.cell_width * 1e6));
    int acc_bits = m.converter_bits;
    if (m.encoding == InputEncoding::bit_serial && m.input_bits > 1) acc_bits += m.input_bits;
    if (m.scheme == WeightScheme::bit_sliced) acc_bits += (k - 1) * m.bits_per_cell;
    if (m.output_bits != acc_bits)
        e.notes.push_back(
            fmt::format("output.bits = {} is recorded, not modelled: the read path gives {} bits",
                        m.output_bits, acc_bits));
    if (m.weight_levels == 3)
        e.notes.push_back(
            "ternary weights: each cell of a pair at Gmin or Gmax (both at Gmin for a zero "
            "weight), so the mean cell conductance (1 - weight_sparsity)·(Gmin+Gmax)/2 + "
            "weight_sparsity·Gmin is exact, not an average over analog levels");
    else if (m.scheme != WeightScheme::bit_sliced)
        e.notes.push_back(
            fmt::format("weight.bits = {}: an analog cell holds the weight in its conductance; the "
                        "bits are recorded, not modelled",
                        m.weight_bits));
    return e;
}

}  // namespace synbench::circuit
