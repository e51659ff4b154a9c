#include "circuit/training_periphery.hpp"

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
int ceil_log2(int n) { return n <= 1 ? 0 : static_cast<int>(std::ceil(std::log2(n) - 1e-12)); }

// One multiplication of an a-bit by a b-bit operand as b shift-adds of (a + b) bits.
struct Multiplier {
    double energy = 0, latency = 0;
};
Multiplier multiply(const tech::Card& t, int a_bits, int b_bits) {
    const auto add = adder(t, a_bits + b_bits, 1, 0);
    return {b_bits * add.read_energy, b_bits * add.read_latency};
}
}  // namespace

Block sram(const tech::Card& t, int rows, int words_per_row, int word_bits, int max_rows,
           int max_cols, double clock, std::string name) {
    const auto& d = t.design;
    const double F = t.node;
    const int cols = words_per_row * word_bits;
    const int banks_r = ceil_div(rows, max_rows), banks_c = ceil_div(cols, max_cols);
    const int bank_rows = ceil_div(rows, banks_r), bank_cols = ceil_div(cols, banks_c);
    const double cell_w = d.sram_cell_width_f * F, cell_h = d.sram_cell_height_f * F;
    const double width = bank_cols * cell_w, height = bank_rows * cell_h;
    const double cw = tech::wire_cap_per_m(t);
    const double h_std = tech::standard_height(t);
    const double w_acc = tech::min_width(t, tech::Mos::n);
    const double c_wl = width * cw + 2 * bank_cols * tech::gate_cap(t, w_acc);
    const double c_bl = height * cw + bank_rows * tech::drain_cap(t, w_acc, h_std);
    const double r_wl = width * tech::local_wire_resistance_per_m(t);
    const auto inv = inverter(t);

    // The cells of the whole memory (rows × cols bits; a last bank may be partly filled).
    Block cells;
    cells.name = "cells";
    cells.area = static_cast<double>(rows) * cols * cell_w * cell_h;
    // A 6T cell holds one inverter pair: one of each leaks (the off devices of the pair).
    cells.leakage = static_cast<double>(rows) * cols * 2 * inv.leakage;
    auto dec = row_decoder(t, bank_rows, height, nor_gate(t, 2).c_in, "row_decoder");
    auto wl = wl_driver(t, bank_rows, height, c_wl, r_wl);
    Block col;
    col.name = "precharge_write";
    col.area = placed_area(t, bank_cols * d.sram_column_cells * inv.width, width);
    col.leakage = bank_cols * 2 * inv.leakage;
    ReadCircuitSpec rs;
    rs.bits = 1;
    rs.count = bank_cols;
    rs.side = width;
    rs.clock = clock;
    auto sa = sense_amp(t, rs);
    Block bank = group("bank_periphery", {dec, wl, col, sa});
    const double v2 = t.vdd * t.vdd;
    // One row access of one bank: decode, word line, every bit line; a read senses a small swing,
    // a write swings one line of each pair fully and switches the column's write driver.
    bank.read_energy = dec.read_energy + wl.read_energy +
                       bank_cols * (c_bl * t.vdd * d.sram_bitline_swing * t.vdd + sa.read_energy);
    bank.write_energy = dec.write_energy + wl.write_energy +
                        bank_cols * (c_bl * v2 + 2 * (inv.c_in + inv.c_out) * v2);
    bank.read_latency = std::max(1.0 / clock, dec.read_latency + wl.read_latency + sa.read_latency);
    bank.write_latency = std::max(1.0 / clock, dec.write_latency + wl.write_latency);
    Block all =
        group(std::move(name), {cells, times(bank, static_cast<double>(banks_r) * banks_c)});
    // A row access touches the banks_c banks of one bank row.
    all.read_energy = banks_c * bank.read_energy;
    all.write_energy = banks_c * bank.write_energy;
    all.read_latency = bank.read_latency;
    all.write_latency = bank.write_latency;
    return all;
}

void add_training_periphery(CostTable& table, const tech::Card& t, const device::Card& d,
                            const std::vector<int>& layers, const HardwareOptions& h,
                            const std::vector<SubarrayFacts>& tiles, const TrainingSpec& spec) {
    if (tiles.size() != table.layers.size() || layers.size() != table.layers.size() + 1)
        throw std::invalid_argument("training periphery: tile facts and layers do not match");
    auto& tr = table.training;
    tr = TrainingCost{};
    tr.present = true;
    const bool digital_cell =
        d.cell == device::CellType::digital_sram || d.cell == device::CellType::digital_nvm;
    // A digital array has no analog column read: its error is propagated digitally.
    tr.digital_backprop = h.backprop == Backprop::digital || digital_cell;
    tr.state_words = spec.state_words;
    tr.batch_size = spec.batch_size;
    tr.clock = h.clock;
    const int eb = h.error_bits, wb = h.state_word_bits;
    // Pulse counts up to the device's larger number of levels (round(Δw/2 · Pmax), |Δw| ≤ 2).
    const int levels = std::max(std::max(d.ltp.levels, d.ltd.levels), 1);
    const int pulse_bits = ceil_log2(levels + 1) + 1;  // magnitude + sign
    std::vector<Block> parts;
    for (std::size_t l = 0; l < table.layers.size(); ++l) {
        const auto& fw = table.layers[l];
        const auto& f = tiles[l];
        const int rows = fw.rows, cols = fw.cols;
        const int in_bits = l == 0 ? h.input_bits : 1;  // hidden activations are binarised
        TrainingLayerCost c;
        std::vector<Block> kids;
        const std::string lname = fmt::format("layer{}", l + 1);
        c.backward = l > 0;
        if (c.backward && !tr.digital_backprop) {
            // Transposed read: error bit-planes drive the columns (a switch matrix per column),
            // one read circuit per read_mux rows converts the rows' currents.
            const int tile_rows = ceil_div(rows, fw.tiles_r),
                      tile_cols = ceil_div(cols, fw.tiles_c);
            const int ways = std::min(h.read_mux, tile_rows);
            const double r_on = 1.0 / d.g_max;
            ReadCircuitSpec rs;
            rs.bits = h.adc_bits;
            rs.count = ceil_div(tile_rows, ways);
            rs.side = tile_rows * f.cell_height;
            rs.clock = h.clock;
            rs.c_in = f.c_row + (ways + 1) * tech::drain_cap(t, tech::min_width(t, tech::Mos::n),
                                                             tech::standard_height(t));
            rs.i_max = tile_cols * d.read_voltage * d.g_max;
            rs.v_read = d.read_voltage;
            Block rc;
            try {
                rc = read_circuit(t, h.read_circuit, rs);
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument(fmt::format("hardware.read_circuit: {}", e.what()));
            }
            auto mux = column_mux(t, tile_rows, ways,
                                  t.design.switch_resistance_ratio * r_on / tile_cols, rs.side);
            auto drive = switch_matrix(t, "column_drivers", tile_cols,
                                       t.design.switch_resistance_ratio * r_on / tile_rows,
                                       tile_cols * f.cell_width, f.c_col, d.read_voltage, h.clock);
            auto acc = shift_add(t, h.adc_bits + eb, rs.count, rs.side, h.clock);
            const double tiles_n = static_cast<double>(fw.tiles_r) * fw.tiles_c;
            kids.push_back(
                times(group("transpose_read", {rc, mux, drive, acc}), tiles_n, "transpose_read"));
            // Per bit-plane every row of every tile is converted once (ways mux cycles) and
            // shift-added; the column tiles' partial sums are added.
            c.bwd_latency_per_bitplane_s =
                ways * (mux.read_latency + rc.read_latency) + acc.read_latency +
                ceil_log2(fw.tiles_c) * adder(t, h.adc_bits + eb, 1, 0).read_latency;
            c.bwd_energy_per_bitplane_J =
                fw.tiles_c * (rows * rc.read_energy + ways * fw.tiles_r * mux.read_energy +
                              ways * fw.tiles_r * acc.read_energy) +
                (fw.tiles_c - 1) * rows * adder(t, h.adc_bits + eb, 1, 0).read_energy;
            c.bwd_energy_per_driven_col_J = fw.tiles_r * drive.read_energy;
            c.bwd_cell_energy_per_S = fw.read_cell_energy_per_S;
        } else if (c.backward) {
            // Weights read out row by row through the forward read path, multiplied digitally:
            // one MAC unit per column.
            const int acc_bits = h.adc_bits + eb + ceil_log2(cols);
            const auto mac = multiply(t, h.adc_bits, eb);
            kids.push_back(adder(t, acc_bits, cols * eb, 0));
            kids.back().name = "digital_mac";
            c.bwd_latency_per_row_s =
                fw.read_latency_per_bitplane_s + fw.read_latency_per_active_row_s + mac.latency;
            c.bwd_energy_per_row_J =
                fw.read_energy_per_bitplane_J + fw.read_energy_per_active_row_J;
            c.bwd_cell_energy_per_S = fw.read_cell_energy_per_S;
            c.bwd_energy_per_mac_J = mac.energy;
        }
        // The update datapath is shared like the write drivers: one unit per write driver
        // (ceil(cols / write_mux)), serving its columns in turn.
        const int units = ceil_div(cols, h.write_mux);
        const int turns = ceil_div(cols, units);
        // Outer product x_i · δ_j: a serial (shift-add) in_bits × error_bits multiplier per unit.
        {
            const auto m = multiply(t, eb, in_bits);
            kids.push_back(shift_add(t, eb + in_bits, units, 0, h.clock));
            kids.back().name = "gradient_unit";
            c.grad_energy_per_product_J = m.energy;
            c.grad_latency_per_row_s = turns * m.latency;
        }
        // Δw → pulses: the state-word-wide Δw times Pmax/2, rounded: a serial multiplier per unit.
        {
            const auto m = multiply(t, wb, pulse_bits);
            kids.push_back(shift_add(t, wb + pulse_bits, units, 0, h.clock));
            kids.back().name = "pulse_conversion";
            c.convert_energy_per_weight_J = m.energy;
            c.convert_latency_per_row_s = turns * m.latency;
        }
        if (spec.state_words > 0) {
            auto mem = sram(t, rows, cols * spec.state_words, wb, h.max_rows, h.max_cols, h.clock,
                            "optimizer_state");
            const double words_per_row = static_cast<double>(cols) * spec.state_words;
            c.state_read_energy_per_word_J = mem.read_energy / words_per_row;
            c.state_write_energy_per_word_J = mem.write_energy / words_per_row;
            c.state_latency_per_row_s = mem.read_latency + mem.write_latency;
            kids.push_back(mem);
        }
        if (spec.batch_size > 1) {
            auto buf = sram(t, rows, cols, wb, h.max_rows, h.max_cols, h.clock, "batch_buffer");
            const auto add = adder(t, wb, cols, 0);
            c.buffer_read_energy_per_row_J = buf.read_energy;
            c.buffer_write_energy_per_row_J = buf.write_energy;
            c.buffer_add_energy_per_row_J = add.read_energy;
            c.buffer_latency_per_row_s = buf.read_latency + add.read_latency + buf.write_latency;
            kids.push_back(buf);
            kids.push_back(add);
            kids.back().name = "batch_adders";
        }
        // Update control: the pulse counts of the column batch being written in a register; one
        // pulse counter per write driver, stepped once per pulse slot of the trains; one
        // pulse-width timer for the layer, clocked through the trains (wide enough for the
        // longest pulse period).
        {
            const int drivers = units;
            auto reg = dff_register(t, drivers * pulse_bits, 0, h.clock);
            auto cnt = counter(t, pulse_bits, 0);
            const double period = std::max(d.ltp.pulse_width, d.ltd.pulse_width);
            const int timer_bits =
                std::max(1, ceil_log2(static_cast<int>(std::min(period * h.clock + 1, 1e9))));
            auto timer = counter(t, timer_bits, 0);
            kids.push_back(reg);
            kids.back().name = "pulse_count_register";
            kids.push_back(times(cnt, drivers, "pulse_counters"));
            kids.push_back(timer);
            kids.back().name = "pulse_timer";
            c.control_energy_per_row_J = turns * reg.read_energy;  // one load per batch
            c.control_energy_per_slot_J = drivers * cnt.read_energy;
            c.control_energy_per_cycle_J = timer.read_energy;
        }
        tr.layers.push_back(c);
        parts.push_back(group(lname, std::move(kids)));
    }
    Block all = group("training_periphery", std::move(parts));
    tr.total.area_m2 = all.area;
    tr.total.leakage_W = all.leakage;
    tr.breakdown = to_cost_node(all);
}

}  // namespace synbench::circuit
