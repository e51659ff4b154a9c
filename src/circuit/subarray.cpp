#include "circuit/subarray.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "circuit/logic.hpp"
#include "circuit/periphery.hpp"
#include "circuit/read_circuit.hpp"
#include "tech/transistor.hpp"
#include "tech/wire.hpp"

namespace synbench::circuit {

namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

struct Common {
    double v_read, v_w_rms, v_w_max, t_w, r_on, g_avg, g_ref;
    int phys_cols, n_rc;
    bool ref_column;  // one reference column per tile (reference_column mode, one cell per weight)
};

Common common(const device::Card& d, const SubarraySpec& s, const HardwareOptions& h,
              int cols_per_synapse) {
    Common c;
    c.v_read = d.read_voltage;
    c.v_w_rms = std::sqrt((d.ltp.voltage * d.ltp.voltage + d.ltd.voltage * d.ltd.voltage) / 2);
    c.v_w_max = std::max(std::abs(d.ltp.voltage), std::abs(d.ltd.voltage));
    c.t_w = (d.ltp.pulse_width + d.ltd.pulse_width) / 2;
    c.r_on = 1.0 / d.g_max;
    c.g_avg = (d.g_min + d.g_max) / 2;
    const bool differential = h.signed_weights == SignedWeights::differential;
    c.ref_column = !differential && cols_per_synapse == 1;
    c.phys_cols = s.cols * cols_per_synapse * (differential ? 2 : 1) + (c.ref_column ? 1 : 0);
    // Only a reference column conducts beside the data cells (the trainer's Σ G counts the data
    // cells: both arrays of a differential pair); a differential pair has no reference column.
    c.g_ref = c.ref_column ? c.g_avg : 0.0;
    c.n_rc = ceil_div(c.phys_cols, std::min(h.read_mux, c.phys_cols));
    return c;
}

// The analog read path shared by 1T1R and crossbar arrays: column mux, read circuits, subtractor
// (reference column or differential pair) and shift-add for multi-bit inputs.
struct ReadPath {
    Block mux, rc, sub, shift;
    bool has_sub = false, has_shift = false;
};

ReadPath read_path(const tech::Card& t, const HardwareOptions& h, const Common& c, int rows,
                   double r_cell_on, double width, double c_col) {
    ReadPath p;
    const int ways = std::min(h.read_mux, c.phys_cols);
    p.mux = column_mux(t, c.phys_cols, ways, t.design.switch_resistance_ratio * r_cell_on / rows,
                       width);
    ReadCircuitSpec rs;
    rs.bits = h.adc_bits;
    rs.count = c.n_rc;
    rs.side = width;
    rs.clock = h.clock;
    rs.c_in = c_col + (ways + 1) * tech::drain_cap(t, tech::min_width(t, tech::Mos::n),
                                                   tech::standard_height(t));
    rs.i_max = rows * c.v_read / r_cell_on;
    rs.v_read = c.v_read;
    try {
        p.rc = read_circuit(t, h.read_circuit, rs);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("hardware.read_circuit: {}", e.what()));
    }
    p.has_sub = true;  // reference column or differential pair: one subtraction per conversion
    p.sub = subtractor(t, h.adc_bits, c.n_rc, width);
    p.has_shift = h.input_bits > 1;
    if (p.has_shift) p.shift = shift_add(t, h.adc_bits + h.input_bits, c.n_rc, width, h.clock);
    return p;
}

void add_read_path(std::vector<Block>& kids, const ReadPath& p) {
    kids.push_back(p.mux);
    kids.push_back(p.rc);
    if (p.has_sub) kids.push_back(p.sub);
    if (p.has_shift) kids.push_back(p.shift);
}

// Latency and data-independent energy of one bit-plane through the read path (read_mux cycles).
void read_path_costs(const ReadPath& p, const HardwareOptions& h, const Common& c, double& latency,
                     double& energy) {
    const int ways = std::min(h.read_mux, c.phys_cols);
    const double cycle =
        p.mux.read_latency + p.rc.read_latency + (p.has_sub ? p.sub.read_latency : 0.0);
    latency += ways * cycle + (p.has_shift ? p.shift.read_latency : 0.0);
    // Conversions: every physical column once (the circuits of a mux cycle work in parallel).
    energy += ways * p.mux.read_energy + c.phys_cols * p.rc.read_energy;
    if (p.has_sub) energy += ways * p.sub.read_energy;
    if (p.has_shift) energy += ways * p.shift.read_energy;
}

// Limits of an analog array read the model does not enforce (docs/circuit-model.md, "Warnings"):
// the full-scale column current (all rows driven, cells at Gmax) against the electromigration
// limit of the column wire, and the worst-case IR drop against the first-order model's stated
// bound (exact drop ≤ 10 % of the ideal current, docs/non-idealities.md). The drop at the far cell
// of a line of n cells each drawing g·V through n segments of r is g·r·n(n+1)/2 ≈ g·R·n/2 of V,
// R the whole line's resistance; a column and a row add.
std::vector<std::string> analog_checks(const tech::Card& t, const HardwareOptions& h, int rows,
                                       int cols, double v_read, double r_cell, double r_row,
                                       double r_col) {
    std::vector<std::string> w;
    const double i_col = rows * v_read / r_cell;
    const double j_max = t.design.wire_current_density_max;
    if (j_max <= 0) {
        w.push_back(
            fmt::format("tech {}: no design.limits.wire_current_density, the column current "
                        "({:.4g} uA) is not checked",
                        t.name, i_col * 1e6));
    } else {
        const double i_lim = j_max * tech::array_wire_cross_section(t, h.array_wire_width);
        if (i_col > i_lim)
            w.push_back(fmt::format(
                "full-scale column current {:.4g} uA ({} rows at Gmax, {:.3g} V) exceeds the "
                "{:.4g} uA a {:.4g} nm column "
                "wire carries at {:.3g} MA/cm^2",
                i_col * 1e6, rows, v_read, i_lim * 1e6, h.array_wire_width * 1e9, j_max * 1e-10));
    }
    const double drop = (r_col * rows + r_row * cols) / (2 * r_cell);
    constexpr double kFirstOrderBound =
        0.10;  // docs/non-idealities.md: stated bound of the first-order model
    if (drop > kFirstOrderBound && h.ir_drop == IrDrop::first_order)
        w.push_back(
            fmt::format("worst-case IR drop ≈ {:.3g} % of the read voltage (all rows driven, cells "
                        "at Gmax), beyond the {:.0f} % "
                        "bound of the first-order model (hardware.ir_drop: exact solves it)",
                        100 * drop, 100 * kFirstOrderBound));
    return w;
}

Block array_block(double area) {
    Block a;
    a.name = "array";
    a.area = area;
    return a;
}

// `cols_per_synapse` > 1: a digital NVM weight spread over that many 1T1R cells of one row, read
// in parallel (each bit column through the read path, then shifted and added).
SubarrayResult pseudo_crossbar(const tech::Card& t, const device::Card& d, const SubarraySpec& s,
                               const HardwareOptions& h, int cols_per_synapse = 1) {
    const auto c = common(d, s, h, cols_per_synapse);
    const auto& g = t.design;
    const double F =
        t.node;  // 1T1R cells are drawn in the periphery node: the access transistor sets the pitch
    SubarrayResult r;
    auto& f = r.facts;
    // Access transistor: the card's resistance at minimum cell, but never more than the IR-drop
    // tolerance of the device's on-resistance (the rule that widens cells of low-R_on devices).
    const double r_acc_card =
        d.access_resistance > 0 ? d.access_resistance : g.ir_drop_tolerance * c.r_on;
    f.access_resistance = std::min(r_acc_card, g.ir_drop_tolerance * c.r_on);
    f.access_width = tech::width_for_resistance(t, f.access_resistance, tech::Mos::n);
    f.cell_width = std::max(d.cell_width_f, f.access_width / F) * F;
    f.cell_height = d.cell_height_f * F;
    f.physical_cols = c.phys_cols;
    const double width = c.phys_cols * f.cell_width, height = s.rows * f.cell_height;
    const double rw = tech::array_wire_resistance_per_m(t, h.array_wire_width),
                 cw = tech::wire_cap_per_m(t);
    f.c_wl = width * cw + c.phys_cols * tech::gate_cap(t, f.access_width);
    f.c_row = width * cw;
    f.c_col = height * cw + s.rows * tech::drain_cap(t, f.access_width, f.cell_width);
    f.r_row = width * rw;
    f.r_col = height * rw;
    const double r_cell_on = c.r_on + f.access_resistance;

    auto wl = wl_driver(t, s.rows, height, f.c_wl, f.r_row);
    auto dec = row_decoder(t, s.rows, height, nor_gate(t, 2).c_in, "wl_decoder");
    auto bl = switch_matrix(t, "bl_switch_matrix", s.rows,
                            g.switch_resistance_ratio * r_cell_on / c.phys_cols, height, f.c_row,
                            c.v_w_rms, h.clock);
    auto sl =
        switch_matrix(t, "sl_switch_matrix", c.phys_cols, g.switch_resistance_ratio * r_cell_on,
                      width, f.c_col, c.v_w_rms, h.clock);
    auto rp = read_path(t, h, c, s.rows, r_cell_on, width, f.c_col);
    const int wways = std::min(h.write_mux, c.phys_cols);
    const int n_wd = ceil_div(c.phys_cols, wways);
    auto wd = write_drivers(t, n_wd, r_cell_on, c.v_w_max, width);
    std::vector<Block> kids{array_block(width * height), dec, wl, bl, sl};
    add_read_path(kids, rp);
    kids.push_back(wd);
    Block wdec;
    if (wways > 1) {
        wdec = row_decoder(t, wways, 0, n_wd * transmission_gate(t, 0, 0).c_in,
                           "write_column_decoder");
        kids.push_back(wdec);
    }
    r.block = group("subarray", kids);
    f.read_circuits = c.n_rc;
    f.conversion_time = rp.rc.read_latency;
    r.warnings = analog_checks(t, h, s.rows, c.phys_cols, c.v_read, r_cell_on, f.r_row, f.r_col);

    auto& L = r.cost;
    const double dff_clock = dff_register(t, 1, 0, h.clock).read_energy;
    const double tg_gate = transmission_gate(t, 0, 0).c_in * t.vdd * t.vdd;
    // Read, one bit-plane: every word line on, the input flip-flops clocked, all columns converted.
    L.read_latency_per_bitplane_s = wl.read_latency;
    L.read_energy_per_bitplane_J = s.rows * (wl.read_energy + dff_clock);
    read_path_costs(rp, h, c, L.read_latency_per_bitplane_s, L.read_energy_per_bitplane_J);
    const double window = rp.rc.read_latency;
    L.read_energy_per_active_row_J =
        f.c_row * c.v_read * c.v_read + tg_gate + c.g_ref * c.v_read * c.v_read * window;
    // A digital NVM weight of n cells is presented to the trainer as ONE conductance
    // G = Gmin + k·ΔG/L; its n cells conduct Σ_j (Gmin + d_j·ΔG/(2^bpc − 1)), which is n·G at k = 0
    // and k = L and n·G on average over uniformly distributed levels (each digit's mean is half
    // its range, as is k/L's): the cells' energy is n × V²·t per siemens of the presented G.
    L.read_cell_energy_per_S = cols_per_synapse * c.v_read * c.v_read * window;
    // Write, per row: decode, word line, the row line set to the write level for each polarity.
    L.write_row_latency_s = dec.write_latency + wl.write_latency + bl.write_latency;
    L.write_row_energy_J = dec.write_energy + wl.write_energy +
                           2 * (f.c_row * c.v_w_rms * c.v_w_rms + tg_gate + dff_clock) +
                           (wways > 1 ? ceil_div(s.cols, wways) * wdec.write_energy : 0.0);
    L.write_line_energy_per_pulse_J = f.c_col * c.v_w_rms * c.v_w_rms;
    L.write_halfselect_energy_per_pulse_J = 0;
    L.write_driver_energy_per_pulse_J = wd.write_energy;
    return r;
}

SubarrayResult crossbar(const tech::Card& t, const device::Card& d, const SubarraySpec& s,
                        const HardwareOptions& h) {
    const auto c = common(d, s, h, 1);
    const auto& g = t.design;
    const double F = h.array_wire_width;  // cross-point cells are drawn in the array wire pitch
    SubarrayResult r;
    auto& f = r.facts;
    f.cell_width = d.cell_width_f * F;
    f.cell_height = d.cell_height_f * F;
    f.physical_cols = c.phys_cols;
    const double width = c.phys_cols * f.cell_width, height = s.rows * f.cell_height;
    const double rw = tech::array_wire_resistance_per_m(t, h.array_wire_width),
                 cw = tech::wire_cap_per_m(t);
    f.c_row = f.c_wl = width * cw;
    f.c_col = height * cw;
    f.r_row = width * rw;
    f.r_col = height * rw;
    auto wlsm = switch_matrix(t, "wl_switch_matrix", s.rows,
                              g.switch_resistance_ratio * c.r_on / c.phys_cols, height, f.c_row,
                              c.v_w_rms, h.clock);
    auto blsm = switch_matrix(t, "bl_switch_matrix", c.phys_cols,
                              g.switch_resistance_ratio * c.r_on / s.rows, width, f.c_col,
                              c.v_w_rms, h.clock);
    auto rp = read_path(t, h, c, s.rows, c.r_on, width, f.c_col);
    const int wways = std::min(h.write_mux, c.phys_cols);
    const int n_wd = ceil_div(c.phys_cols, wways);
    auto wd = write_drivers(t, n_wd, c.r_on, c.v_w_max, width);
    std::vector<Block> kids{array_block(width * height), wlsm, blsm};
    add_read_path(kids, rp);
    kids.push_back(wd);
    r.block = group("subarray", kids);
    f.read_circuits = c.n_rc;
    f.conversion_time = rp.rc.read_latency;
    r.warnings = analog_checks(t, h, s.rows, c.phys_cols, c.v_read, c.r_on, f.r_row, f.r_col);

    auto& L = r.cost;
    const double dff_clock = dff_register(t, 1, 0, h.clock).read_energy;
    const double tg_gate = transmission_gate(t, 0, 0).c_in * t.vdd * t.vdd;
    L.read_latency_per_bitplane_s = wlsm.read_latency;
    L.read_energy_per_bitplane_J = s.rows * dff_clock;
    read_path_costs(rp, h, c, L.read_latency_per_bitplane_s, L.read_energy_per_bitplane_J);
    const double window = rp.rc.read_latency;
    L.read_energy_per_active_row_J =
        f.c_row * c.v_read * c.v_read + tg_gate + c.g_ref * c.v_read * c.v_read * window;
    L.read_cell_energy_per_S = c.v_read * c.v_read * window;
    L.write_row_latency_s = wlsm.write_latency;
    L.write_row_energy_J = 2 * (f.c_row * c.v_w_rms * c.v_w_rms + tg_gate) + s.rows * dff_clock;
    L.write_line_energy_per_pulse_J = f.c_col * c.v_w_rms * c.v_w_rms;
    // V/2 scheme: the other cells of the selected row and column see half the write voltage.
    L.write_halfselect_energy_per_pulse_J =
        (c.v_w_rms / 2) * (c.v_w_rms / 2) * c.g_avg * c.t_w * (s.rows - 1 + c.phys_cols - 1);
    L.write_driver_energy_per_pulse_J = wd.write_energy;
    return r;
}

SubarrayResult digital_sram(const tech::Card& t, const device::Card& d, const SubarraySpec& s,
                            const HardwareOptions& h) {
    const int bits = std::max(1, d.digital_bits);
    const auto c = common(d, s, h, bits);
    const double F = t.node;
    SubarrayResult r;
    auto& f = r.facts;
    f.cell_width = d.cell_width_f * F;
    f.cell_height = d.cell_height_f * F;
    f.physical_cols = c.phys_cols;
    const double width = c.phys_cols * f.cell_width, height = s.rows * f.cell_height;
    const double rw = tech::array_wire_resistance_per_m(t, h.array_wire_width),
                 cw = tech::wire_cap_per_m(t);
    const double h_std = tech::standard_height(t);
    const double w_acc = tech::min_width(t, tech::Mos::n);
    f.c_wl = width * cw + 2 * c.phys_cols * tech::gate_cap(t, w_acc);
    f.c_row = f.c_wl;
    f.c_col = height * cw + s.rows * tech::drain_cap(t, w_acc, h_std);
    f.r_row = width * rw;
    f.r_col = height * rw;
    auto dec = row_decoder(t, s.rows, height, nor_gate(t, 2).c_in, "wl_decoder");
    auto wl = wl_driver(t, s.rows, height, f.c_wl, f.r_row);
    const auto inv = inverter(t);
    Block pre;  // precharger (2 PMOS + equaliser ≈ 1.5 inverter footprints) and write driver (2
                // inverters) per column
    pre.name = "precharge_write";
    pre.area = placed_area(t, c.phys_cols * t.design.sram_column_cells * inv.width, width);
    pre.leakage = c.phys_cols * 2 * inv.leakage;
    const int ways = std::min(h.read_mux, c.phys_cols);
    auto mux = column_mux(t, c.phys_cols, ways, inv.r_drive, width);
    ReadCircuitSpec rs;
    rs.bits = 1;
    rs.count = c.n_rc;
    rs.side = width;
    rs.clock = h.clock;
    auto sa = sense_amp(t, rs);
    const int acc_bits = bits + static_cast<int>(std::ceil(std::log2(std::max(2, s.rows))));
    auto add = adder(t, acc_bits, ceil_div(s.cols, std::max(1, ways / bits)), width);
    auto reg = dff_register(t, (acc_bits + 1) * ceil_div(s.cols, std::max(1, ways / bits)), width,
                            h.clock);
    r.block = group("subarray", {array_block(width * height), dec, wl, pre, mux, sa, add, reg});
    f.read_circuits = c.n_rc;
    f.conversion_time = sa.read_latency;
    auto& L = r.cost;
    // Row-by-row read: each driven row is decoded, its bit lines sensed (mux cycles) and
    // accumulated.
    const double swing = t.design.sram_bitline_swing * t.vdd;
    L.read_latency_per_active_row_s = dec.read_latency + wl.read_latency +
                                      ways * (mux.read_latency + sa.read_latency) +
                                      add.read_latency;
    L.read_energy_per_active_row_J =
        dec.read_energy + wl.read_energy + c.phys_cols * f.c_col * t.vdd * swing +
        ways * (mux.read_energy + c.n_rc * sa.read_energy + add.read_energy + reg.read_energy);
    L.read_latency_per_bitplane_s = 0;
    L.read_energy_per_bitplane_J = 0;
    L.read_cell_energy_per_S = 0;
    L.write_row_latency_s = dec.write_latency + wl.write_latency + 1.0 / h.clock;
    L.write_row_energy_J = dec.write_energy + wl.write_energy;
    L.write_line_energy_per_pulse_J =
        f.c_col * t.vdd * t.vdd;  // one bit flip: a bit line pair swings fully
    L.write_halfselect_energy_per_pulse_J = 0;
    L.write_driver_energy_per_pulse_J = 2 * (inv.c_in + inv.c_out) * t.vdd * t.vdd;
    return r;
}

}  // namespace

SubarrayResult evaluate_subarray(const tech::Card& t, const device::Card& d, const SubarraySpec& s,
                                 const HardwareOptions& h) {
    if (s.rows <= 0 || s.cols <= 0)
        throw std::invalid_argument("subarray: rows and cols must be positive");
    switch (d.cell) {
        case device::CellType::pseudo_crossbar_1t1r:
            return pseudo_crossbar(t, d, s, h);
        case device::CellType::crossbar:
            return crossbar(t, d, s, h);
        case device::CellType::digital_sram:
            return digital_sram(t, d, s, h);
        case device::CellType::digital_nvm:
            return pseudo_crossbar(t, d, s, h, std::max(1, device::cells_per_weight(d)));
    }
    throw std::invalid_argument("circuit model: unknown cell type");
}

}  // namespace synbench::circuit
