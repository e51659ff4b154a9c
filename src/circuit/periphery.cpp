#include "circuit/periphery.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "circuit/logic.hpp"
#include "tech/transistor.hpp"

namespace synbench::circuit {

using tech::GateKind;
using tech::Mos;

namespace {
int address_bits(int outputs) {
    return std::max(1, static_cast<int>(std::ceil(std::log2(std::max(2, outputs)) - 1e-12)));
}
double stage_delay(const tech::Card& t, double r, double c, double& ramp) {
    auto d = tech::horowitz(t, r * c, ramp);
    ramp = d.ramp_out;
    return d.delay;
}
}  // namespace

Block row_decoder(const tech::Card& t, int outputs, double side, double c_load, std::string name) {
    const int a = address_bits(outputs);
    const int groups = a / 2;            // 2-bit predecoders (4 NAND2 each)
    const int nor_inputs = (a + 1) / 2;  // one predecoded line per group (+ the odd bit)
    const auto inv = inverter(t);
    const auto nand = nand_gate(t, 2);
    // NOR: NMOS minimum, PMOS stack widened by its depth.
    const double wn = tech::min_width(t, Mos::n), wp = nor_inputs * tech::min_width(t, Mos::p);
    const double h = tech::standard_height(t);
    const auto nor_fp = tech::gate_footprint(t, GateKind::nor, nor_inputs, wn, wp, h);
    const double nor_leak = tech::gate_leakage(t, GateKind::nor, std::min(nor_inputs, 3), wn, wp) *
                            nor_inputs / std::min(nor_inputs, 3);
    const auto drv = inverter(t, t.design.decoder_driver_size);
    const int n_nand = a > 2 ? 4 * groups : 0;
    Block b;
    b.name = std::move(name);
    const double width =
        a * inv.width + n_nand * nand.width + outputs * (nor_fp.width + 2 * drv.width);
    b.area = placed_area(t, width, side);
    b.leakage = a * inv.leakage + n_nand * nand.leakage + outputs * (nor_leak + 2 * drv.leakage);
    // One decode: address inverter → NAND2 → NOR → driver → driver → load.
    const double c_nor_in = tech::gate_cap(t, wn) + tech::gate_cap(t, wp);
    const double r_nor = std::max(tech::on_resistance(t, wn, Mos::n),
                                  nor_inputs * tech::on_resistance(t, wp, Mos::p));
    const double c_nor_out = nor_inputs * tech::drain_cap(t, wn, h) + tech::drain_cap(t, wp, h);
    double ramp = std::numeric_limits<double>::infinity();
    double lat = stage_delay(t, inv.r_drive, inv.c_out + 4 * nand.c_in, ramp);
    if (n_nand) lat += stage_delay(t, nand.r_drive, nand.c_out + (outputs / 4.0) * c_nor_in, ramp);
    lat += stage_delay(t, r_nor, c_nor_out + drv.c_in, ramp);
    lat += stage_delay(t, drv.r_drive, drv.c_out + drv.c_in, ramp);
    lat += stage_delay(t, drv.r_drive, drv.c_out + c_load, ramp);
    b.read_latency = b.write_latency = lat;
    const double c_switched =
        a * (inv.c_in + inv.c_out) +
        (n_nand ? groups * 2 * (nand.c_out + (outputs / 4.0) * c_nor_in) : 0) +
        2 * (c_nor_out + drv.c_in) + 2 * (drv.c_out + drv.c_in) + c_load;
    b.read_energy = b.write_energy = c_switched * t.vdd * t.vdd;
    return b;
}

Block wl_driver(const tech::Card& t, int rows, double side, double c_line, double r_line) {
    const auto nor = nor_gate(t, 2), inv = inverter(t);
    const auto tg = transmission_gate(t, 0, 0);
    const double wn = tech::min_width(t, Mos::n);
    const double h = tech::standard_height(t);
    const auto pd = tech::gate_footprint(t, GateKind::inv, 1, wn, 0, h);
    Block b;
    b.name = "wl_driver";
    b.area = placed_area(t, rows * (nor.width + inv.width + tg.width + pd.width), side);
    b.leakage = rows * (nor.leakage + inv.leakage + tech::gate_leakage(t, GateKind::inv, 1, wn, 0));
    double ramp = std::numeric_limits<double>::infinity();
    double lat = stage_delay(t, nor.r_drive, nor.c_out + inv.c_in, ramp);
    lat += stage_delay(t, inv.r_drive + tg.r_drive, inv.c_out + tg.c_out + c_line, ramp);
    lat += 0.38 * r_line * c_line;
    b.read_latency = b.write_latency = lat;
    b.read_energy = b.write_energy =
        (nor.c_in + nor.c_out + inv.c_in + inv.c_out + tg.c_in + c_line) * t.vdd * t.vdd;
    return b;
}

Block switch_matrix(const tech::Card& t, std::string name, int lines, double r_tg, double side,
                    double c_line, double v_line, double clock) {
    const auto tg = transmission_gate_for(t, r_tg);
    auto dff = dff_register(t, lines, 0, clock);
    const auto inv = inverter(t);
    Block b;
    b.name = std::move(name);
    const double dff_width = lines * t.design.dff_footprint_cells * inv.width;
    b.area = placed_area(t, dff_width + lines * 2 * tg.width, side);
    b.leakage = dff.leakage;  // pass gates do not leak (see tech::gate_leakage)
    double ramp = std::numeric_limits<double>::infinity();
    b.read_latency = b.write_latency = stage_delay(t, tg.r_drive, tg.c_out + c_line, ramp);
    b.read_energy = b.write_energy =
        dff.read_energy / lines + tg.c_in * t.vdd * t.vdd + c_line * v_line * v_line;
    return b;
}

Block column_mux(const tech::Card& t, int columns, int ways, double r_tg, double side) {
    const auto tg = transmission_gate_for(t, r_tg);
    Block m;
    m.name = "mux";
    m.area = placed_area(t, columns * tg.width, side);
    m.leakage = 0;
    m.read_latency = 0.69 * tg.r_drive * tg.c_out * (ways + 1);
    const int outputs = static_cast<int>(std::ceil(static_cast<double>(columns) / ways));
    m.read_energy =
        outputs * tg.c_in * t.vdd * t.vdd * 2;  // the selected gates turn on, the previous turn off
    if (ways <= 1) {
        Block b = group("column_mux", {m});
        b.read_latency = m.read_latency;
        b.read_energy = m.read_energy;
        return b;
    }
    auto dec = row_decoder(t, ways, 0, outputs * tg.c_in, "mux_decoder");
    Block b = group("column_mux", {m, dec});
    b.read_latency = dec.read_latency + m.read_latency;
    b.read_energy = dec.read_energy + m.read_energy;
    return b;
}

Block write_drivers(const tech::Card& t, int count, double r_load, double v_write, double side) {
    const auto& d = t.design;
    const double v = std::abs(v_write);
    // Driver output resistance at most tol × the load; never below a minimum inverter.
    const double r_drv = d.ir_drop_tolerance * r_load;
    const double size = std::max(1.0, inverter(t).r_drive / r_drv);
    const auto drv = inverter(t, size);
    const auto inv = inverter(t);
    const bool shift = v > t.vdd;
    const double hv = shift ? d.ls_hv_area_factor : 1.0;
    Block b;
    b.name = "write_drivers";
    const double width = count * ((shift ? d.ls_cells * inv.width : 0.0) + drv.width) * hv;
    b.area = placed_area(t, width, side);
    // Devices biased at v leak (roughly) v/Vdd times the core leakage.
    const double scale = std::max(1.0, v / t.vdd);
    b.leakage = count * ((shift ? 2 * inv.leakage : 0.0) + drv.leakage) * scale;
    double ramp = std::numeric_limits<double>::infinity();
    b.write_latency = (shift ? stage_delay(t, inv.r_drive, 4 * inv.c_in, ramp) * 2 : 0.0) +
                      stage_delay(t, drv.r_drive, drv.c_out, ramp);
    b.write_energy = (shift ? 2 * (inv.c_in + inv.c_out) * v * v : 0.0) +
                     drv.c_in * (shift ? v * v : t.vdd * t.vdd) + drv.c_out * v * v;
    return b;
}

}  // namespace synbench::circuit
