#include "tech/wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tech/transistor.hpp"

namespace synbench::tech {

double wire_resistance_per_m(const Card& t, double w, double rho, double ar, double tb) {
    const double conducting = 1 - (2 * ar * w + w) * tb / (ar * w * w);
    if (!(conducting > 0))
        throw std::invalid_argument(
            fmt::format("wire of width {} m: barrier {} m leaves no conductor", w, tb));
    const double rho_eff = rho / conducting * (1 + t.wire_temp_coeff * (t.temperature - 300));
    return rho_eff / (ar * w * w);
}

double local_wire_resistance_per_m(const Card& t) {
    return wire_resistance_per_m(t, t.wire_width, t.wire_resistivity, t.wire_aspect_ratio,
                                 t.wire_barrier);
}

namespace {
ArrayWire array_wire_at(const Card& t, double width) {
    const auto& a = t.array_wires;
    if (a.empty() || width < a.front().width * (1 - 1e-9) || width > a.back().width * (1 + 1e-9))
        throw std::invalid_argument(
            fmt::format("array wire width {:.4g} nm is outside the {} card's array_wires table "
                        "({:.4g} to {:.4g} nm)",
                        width * 1e9, t.name, a.empty() ? 0.0 : a.front().width * 1e9,
                        a.empty() ? 0.0 : a.back().width * 1e9));
    std::size_t i = 0;
    while (i + 2 < a.size() && width > a[i + 1].width) ++i;
    const double f =
        a.size() == 1 ? 0.0
                      : std::clamp((width - a[i].width) / (a[i + 1].width - a[i].width), 0.0, 1.0);
    const auto& hi = a.size() == 1 ? a[0] : a[i + 1];
    const double rho = a[i].resistivity + f * (hi.resistivity - a[i].resistivity);
    const double ar = a[i].aspect_ratio + f * (hi.aspect_ratio - a[i].aspect_ratio);
    return ArrayWire{width, rho, ar};
}
}  // namespace

double array_wire_resistance_per_m(const Card& t, double width) {
    const auto w = array_wire_at(t, width);
    return wire_resistance_per_m(t, width, w.resistivity, w.aspect_ratio, 0.0);
}

double array_wire_cross_section(const Card& t, double width) {
    return array_wire_at(t, width).aspect_ratio * width * width;
}

double wire_cap_per_m(const Card& t) { return t.wire_cap_per_m; }

namespace {
struct MinInv {
    double r0, c0, cd, leak;
};
MinInv min_inverter(const Card& t) {
    const double wn = min_width(t, Mos::n), wp = min_width(t, Mos::p);
    const double h = standard_height(t);
    return {(on_resistance(t, wn, Mos::n) + on_resistance(t, wp, Mos::p)) / 2,
            gate_cap(t, wn) + gate_cap(t, wp), drain_cap(t, wn, h) + drain_cap(t, wp, h),
            gate_leakage(t, GateKind::inv, 1, wn, wp)};
}
}  // namespace

WireCost unrepeated_wire(const Card& t, double len, double r, double c, double c_load) {
    const auto inv = min_inverter(t);
    const double rw = r * len, cw = c * len;
    WireCost w;
    w.delay = 0.69 * inv.r0 * (inv.cd + cw + c_load) + 0.38 * rw * cw + 0.69 * rw * c_load;
    w.energy = (cw + c_load + inv.cd) * t.vdd * t.vdd;
    w.leakage = inv.leak;
    return w;
}

WireCost repeated_wire(const Card& t, double len, double r, double c) {
    const auto inv = min_inverter(t);
    const double size = std::max(1.0, std::sqrt(inv.r0 * c / (r * inv.c0)));
    const double spacing = std::sqrt(2 * inv.r0 * (inv.c0 + inv.cd) / (r * c));
    const int n = std::max(1, static_cast<int>(std::ceil(len / spacing)));
    const double seg = len / n;
    const double rd = inv.r0 / size, cg = inv.c0 * size, cd = inv.cd * size;
    const double t_seg =
        0.69 * rd * (cd + c * seg + cg) + 0.38 * r * seg * c * seg + 0.69 * r * seg * cg;
    WireCost w;
    w.delay = n * t_seg;
    w.energy = (c * len + n * (cg + cd)) * t.vdd * t.vdd;
    w.leakage = n * size * inv.leak;
    w.repeaters = n;
    w.repeater_size = size;
    return w;
}

}  // namespace synbench::tech
