#include "circuit/macro_card.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "circuit/macro.hpp"
#include "circuit/subarray.hpp"

namespace synbench::circuit {

namespace {

using config::Limits;
namespace u = synbench::units;

// Today's components model these values; the others of each contract list are refused.
const std::vector<std::string> kSchemes{"differential_columns", "differential_in_column", "offset_column", "bit_sliced"};
const std::vector<std::string> kEncodings{"bit_serial", "pulse_count", "pwm", "dac"};
const std::vector<std::string> kConverters{"sar", "flash", "ramp", "integrate_fire", "cco", "charge", "voltage_sense"};

config::Error not_modelled(const config::Section& s, std::string_view key, const std::string& value, const std::string& modelled) {
    return s.error(key, fmt::format("'{}' is not modelled yet by today's circuit components (modelled: {})", value, modelled));
}

std::filesystem::path find_card(const config::Section& s, std::string_view key, const std::string& written,
                                const std::filesystem::path& dir) {
    // Relative to the card's folder first (a card and the cards it names move together), else to
    // the working directory.
    std::filesystem::path p = written;
    if (p.is_relative() && std::filesystem::exists(dir / p)) p = dir / p;
    if (!std::filesystem::exists(p)) throw s.error(key, fmt::format("card file '{}' does not exist", written));
    return p;
}

int ceil_div(int a, int b) { return (a + b - 1) / b; }

}  // namespace

MacroCard parse_macro_card(config::Section& s, const std::filesystem::path& dir) {
    MacroCard m;
    m.name = s.text("name");
    {
        auto src = s.section("source");
        m.paper = src.text("paper");
        m.doi = src.text("doi", std::string());
        m.where = src.text("where", std::string());
        src.finish();
    }
    {
        // Optional, free-form: field → where the paper states it.
        const auto so = s.raw("sources");
        if (so.IsDefined() && !so.IsNull()) {
            if (!so.IsMap()) throw s.error("sources", "expected a mapping: field: \"where the paper states it\"");
            for (auto it = so.begin(); it != so.end(); ++it) {
                if (!it->second.IsScalar())
                    throw s.error("sources", fmt::format("'{}': expected text saying where the paper states it", it->first.Scalar()));
                m.sources[it->first.Scalar()] = it->second.Scalar();
            }
        }
    }
    m.tech_path = s.text("tech");
    m.tech = tech::load_card(find_card(s, "tech", m.tech_path, dir));
    {
        const auto node = s.raw("device");
        if (!node.IsDefined() || node.IsNull()) throw s.error("device", "expected a device card path or an inline device card");
        if (node.IsScalar()) {
            m.device_path = node.Scalar();
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
        auto a = s.section("array");
        m.rows = static_cast<int>(a.integer("rows", Limits::between(1, 65536)));
        m.columns = static_cast<int>(a.integer("columns", Limits::between(1, 65536)));
        a.finish();
    }
    m.rows_active = static_cast<int>(s.integer("rows_active", Limits::between(1, m.rows)));
    {
        auto w = s.section("weight");
        m.weight_bits = static_cast<int>(w.integer("bits", Limits::between(1, 16)));
        m.weight_cells = static_cast<int>(w.integer("cells", Limits::between(1, 64)));
        const auto scheme = w.choice("scheme", kSchemes);
        m.bits_per_cell = static_cast<int>(w.integer("bits_per_cell", Limits::between(1, 8)));
        if (scheme == "differential_in_column") throw not_modelled(w, "scheme", scheme, "differential_columns, offset_column, bit_sliced");
        m.scheme = scheme == "differential_columns" ? WeightScheme::differential_columns
                   : scheme == "offset_column"      ? WeightScheme::offset_column
                                                    : WeightScheme::bit_sliced;
        if (m.scheme == WeightScheme::differential_columns && m.weight_cells != 2)
            throw not_modelled(w, "cells", std::to_string(m.weight_cells) + " cells with differential_columns",
                               "2 cells, one analog cell in each column of the pair");
        if (m.scheme == WeightScheme::offset_column && m.weight_cells != 1)
            throw not_modelled(w, "cells", std::to_string(m.weight_cells) + " cells with offset_column", "1 analog cell per weight");
        if (m.scheme == WeightScheme::bit_sliced && m.weight_cells * m.bits_per_cell < m.weight_bits)
            throw w.error("cells", fmt::format("{} cells of {} bit(s) hold {} bits, fewer than weight.bits = {}", m.weight_cells,
                                               m.bits_per_cell, m.weight_cells * m.bits_per_cell, m.weight_bits));
        w.finish();
    }
    {
        auto in = s.section("input");
        m.input_bits = static_cast<int>(in.integer("bits", Limits::between(1, 16)));
        const auto enc = in.choice("encoding", kEncodings);
        if (enc != "bit_serial") throw not_modelled(in, "encoding", enc, "bit_serial");
        in.finish();
    }
    {
        auto c = s.section("converter");
        m.converter = c.choice("kind", kConverters);
        m.converter_bits = static_cast<int>(c.integer("bits", Limits::between(1, 16)));
        m.columns_per_converter = static_cast<int>(c.integer("columns_per_converter", Limits::between(1, 1024), 1));
        if (m.converter != "sar" && m.converter != "flash" && m.converter != "integrate_fire")
            throw not_modelled(c, "kind", m.converter, "sar, flash, integrate_fire");
        c.finish();
    }
    {
        auto o = s.section("output");
        m.output_bits = static_cast<int>(o.integer("bits", Limits::between(1, 64)));
        o.finish();
    }
    m.clock = s.quantity("clock", u::frequency, Limits::positive());
    if (auto sp = s.maybe_section("supplies")) {
        m.supply_read = sp->maybe_quantity("read", u::voltage, Limits::positive()).value_or(0.0);
        // Today's periphery runs at the tech card's Vdd; another domain would be a silent substitute.
        for (const char* k : {"word_line", "periphery"}) {
            auto v = sp->maybe_quantity(k, u::voltage, Limits::positive());
            if (v && std::abs(*v - m.tech.vdd) > 0.01 * m.tech.vdd)
                throw not_modelled(*sp, k, u::format_human(*v, u::voltage),
                                   fmt::format("the tech card's Vdd, {}", u::format_human(m.tech.vdd, u::voltage)));
        }
        sp->finish();
    }
    {
        auto a = s.section("activity");
        m.input_density = a.number("input_density", Limits::fraction(), 0.5);
        m.weight_sparsity = a.number("weight_sparsity", Limits{0.0, 1.0, false, true}, 0.0);
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

MacroEstimate estimate_macro(const MacroCard& m) {
    MacroEstimate e;
    device::Card d = m.device;
    if (m.supply_read > 0) d.read_voltage = m.supply_read;
    HardwareOptions h;
    h.input_bits = m.input_bits;
    h.adc_bits = m.converter_bits;
    h.read_circuit = m.converter;
    h.read_mux = m.columns_per_converter;
    h.clock = m.clock;
    h.max_rows = m.rows;
    h.max_cols = m.columns;
    int weight_cols = 0;  // weights along a row
    double g_zero = 0;    // conductance of a cell holding a zero weight
    const double g_mid = (d.g_min + d.g_max) / 2;
    switch (m.scheme) {
        case WeightScheme::differential_columns:
            if (m.columns % 2) throw std::invalid_argument(fmt::format("array.columns {} is odd: differential pairs need an even count", m.columns));
            h.signed_weights = SignedWeights::differential;
            weight_cols = m.columns / 2;
            g_zero = d.g_min;
            break;
        case WeightScheme::offset_column:
            if (m.columns < 2) throw std::invalid_argument("array.columns: an offset column needs at least one data column beside it");
            h.signed_weights = SignedWeights::reference_column;
            weight_cols = m.columns - 1;
            g_zero = g_mid;
            break;
        case WeightScheme::bit_sliced:
            if (m.columns % m.weight_cells)
                throw std::invalid_argument(fmt::format("array.columns {} is not a multiple of weight.cells {}", m.columns, m.weight_cells));
            h.signed_weights = SignedWeights::reference_column;
            d.cell = device::CellType::digital_nvm;
            d.digital_bits = m.weight_cells * m.bits_per_cell;
            d.digital_bits_per_cell = m.bits_per_cell;
            weight_cols = m.columns / m.weight_cells;
            g_zero = d.g_min;
            break;
        case WeightScheme::differential_in_column: throw std::invalid_argument("weight.scheme differential_in_column: not modelled yet");
    }
    // Area and leakage: the whole array with its periphery. Reads: row groups of rows_active rows in
    // time, each read like a tile of rows_active rows (its conversions, its column current).
    const auto full = evaluate_subarray(m.tech, d, SubarraySpec{m.rows, weight_cols}, h);
    const auto part = m.rows_active == m.rows ? full : evaluate_subarray(m.tech, d, SubarraySpec{m.rows_active, weight_cols}, h);
    const int groups = ceil_div(m.rows, m.rows_active);
    const auto& L = part.cost;
    const double planes = static_cast<double>(m.input_bits) * groups;
    const double driven = m.input_density * m.rows_active;  // rows driven per group and bit-plane
    const int data_cols = m.scheme == WeightScheme::differential_columns ? 2 * weight_cols : weight_cols;
    const double g_mean = (1 - m.weight_sparsity) * g_mid + m.weight_sparsity * g_zero;
    const double e_periphery = planes * L.read_energy_per_bitplane_J;
    const double e_rows = planes * driven * L.read_energy_per_active_row_J;
    const double e_cells = planes * driven * data_cols * g_mean * L.read_cell_energy_per_S;
    e.latency_per_mvm_s = planes * (L.read_latency_per_bitplane_s + driven * L.read_latency_per_active_row_s);
    e.area_m2 = full.block.area;
    e.leakage_W = full.block.leakage;
    const double e_leak = e.leakage_W * e.latency_per_mvm_s;
    e.energy_per_mvm_J = e_periphery + e_rows + e_cells + e_leak;
    e.macs_per_mvm = static_cast<double>(m.rows) * weight_cols;
    e.energy_per_mac_J = e.energy_per_mvm_J / e.macs_per_mvm;
    e.tops_per_w = 2.0 / e.energy_per_mac_J * 1e-12;
    e.tops_per_mm2 = 2.0 * e.macs_per_mvm / e.latency_per_mvm_s * 1e-12 / (e.area_m2 * 1e6);
    e.area = to_cost_node(full.block);
    e.area.name = "macro";
    auto part_node = [](std::string name, double energy) {
        CostNode n;
        n.name = std::move(name);
        n.cost.energy_J = energy;
        return n;
    };
    e.energy.name = "mvm";
    e.energy.cost.energy_J = e.energy_per_mvm_J;
    e.energy.cost.latency_s = e.latency_per_mvm_s;
    e.energy.children = {part_node("array_cells", e_cells), part_node("row_drivers", e_rows),
                         part_node("converters_and_periphery", e_periphery), part_node("leakage", e_leak)};
    // The read limits (column current, IR drop) are those of a read: rows_active rows driven.
    e.warnings = part.warnings;
    for (auto& w : clock_checks(m.tech, m.clock)) e.warnings.push_back(std::move(w));
    const int acc_bits = m.input_bits > 1 ? m.converter_bits + m.input_bits : m.converter_bits;
    if (m.output_bits != acc_bits)
        e.notes.push_back(fmt::format("output.bits = {} is recorded, not modelled: today's read path gives {} bits (converter.bits{})",
                                      m.output_bits, acc_bits, m.input_bits > 1 ? " + input.bits, shift-add" : ""));
    if (m.scheme != WeightScheme::bit_sliced)
        e.notes.push_back(fmt::format("weight.bits = {}: an analog cell holds the weight in its conductance; the bits are recorded, not modelled",
                                      m.weight_bits));
    return e;
}

}  // namespace synbench::circuit
