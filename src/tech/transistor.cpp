#include "tech/transistor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace synbench::tech {

double effective_width(const Card& t, double w) {
    if (t.kind == Kind::planar) return w;
    const double per_fin = 2 * t.fin_height + t.fin_width;
    return std::max(1.0, std::ceil(w / per_fin - 1e-9)) * per_fin;
}

double gate_cap(const Card& t, double w) {
    return (t.c_gate_ideal + t.c_overlap + t.c_fringe) * effective_width(t, w);
}

double drain_cap(const Card& t, double w, double region) {
    const auto& L = t.layout;
    const double F = t.node;
    const double max_w = std::max(F, region - 2 * (L.poly_ext + L.gap_field_poly / 2) * F);
    const int fingers = std::max(1, static_cast<int>(std::ceil(w / max_w - 1e-9)));
    const double wf = w / fingers;
    const int drains = fingers / 2 + 1;  // drains shared between adjacent fingers
    const double ld = (L.contact + 2 * L.gap_contact_poly) * F;  // drain diffusion length
    const double bottom = t.c_junction * wf * ld;
    const double side = t.c_sidewall * (2 * ld + wf);
    const double gate_edge = t.c_gate_sidewall * wf;
    double c = drains * (bottom + side) + fingers * gate_edge;
    return c;
}

double on_resistance(const Card& t, double w, Mos type) {
    const double ion = type == Mos::n ? t.ion_n : t.ion_p;
    return t.r_on_factor * t.vdd / (ion * effective_width(t, w));
}

double width_for_resistance(const Card& t, double r, Mos type) {
    const double ion = type == Mos::n ? t.ion_n : t.ion_p;
    return t.r_on_factor * t.vdd / (ion * r);
}

double min_width(const Card& t, Mos type) {
    const double wn = t.layout.min_nmos_width * t.node;
    return type == Mos::n ? wn : wn * t.pn_ratio();
}

double gate_leakage(const Card& t, GateKind kind, int inputs, double wn, double wp) {
    const double in = t.ioff_n * (wn > 0 ? effective_width(t, wn) : 0.0);
    const double ip = t.ioff_p * (wp > 0 ? effective_width(t, wp) : 0.0);
    const auto& s = t.stacking;
    double i = 0;
    switch (kind) {
        case GateKind::inv:
            i = (in + ip) / 2;
            break;
        case GateKind::nand:
            i = inputs * ip * (inputs <= 2 ? s.nand2 : s.nand3);
            break;
        case GateKind::nor:
            i = inputs * in * (inputs <= 2 ? s.nor2 : s.nor3);
            break;
        case GateKind::tg:
            i = 0;
            break;
    }
    return i * t.vdd;
}

Delay horowitz(const Card& t, double tau, double ramp_in) {
    const double vs = t.horowitz_vs;
    const double alpha = std::isinf(ramp_in) ? 0.0 : 1.0 / (ramp_in * tau);
    Delay d;
    d.delay = tau * std::sqrt(std::log(vs) * std::log(vs) + 2 * alpha * t.horowitz_beta * (1 - vs));
    d.ramp_out = d.delay > 0 ? (1 - vs) / d.delay : std::numeric_limits<double>::infinity();
    return d;
}

double standard_height(const Card& t) { return t.layout.max_transistor_height * t.node; }

Footprint gate_footprint(const Card& t, GateKind kind, int inputs, double wn, double wp,
                         double region) {
    const auto& L = t.layout;
    const double F = t.node;
    const double pitch = (L.poly_width + L.gap_gate_poly) * F;  // one gate finger with its spacing
    const double ends = 2 * (L.poly_ext + L.gap_field_poly / 2) * F;
    // Diffusion height available to each device type.
    double avail_n, avail_p;
    if (wn > 0 && wp > 0) {
        const double ratio = wp / (wn + wp);
        const double avail = std::max(2 * F, region - L.gap_p_n * F - ends);
        avail_p = ratio * avail;
        avail_n = (1 - ratio) * avail;
    } else {
        avail_n = avail_p = std::max(F, region - ends);
    }
    // Planar: fold a device into ceil(W / available) fingers. FinFET: the same with fins of pitch
    // fin_pitch.
    auto fingers = [&](double w, double avail) -> int {
        if (w <= 0) return 0;
        if (t.kind == Kind::finfet) {
            const double per_fin = 2 * t.fin_height + t.fin_width;
            const int fins = std::max(1, static_cast<int>(std::ceil(w / per_fin - 1e-9)));
            const int max_fins = std::max(1, static_cast<int>(std::floor(avail / t.fin_pitch)) + 1);
            return (fins + max_fins - 1) / max_fins;
        }
        return std::max(1, static_cast<int>(std::ceil(w / avail - 1e-9)));
    };
    const int fn = fingers(wn, avail_n), fp = fingers(wp, avail_p);
    // Each input is one gate stripe per finger; a series stack and a parallel group cost the same
    // number of stripes; plus one diffusion contact column at the end.
    const int stripes = (kind == GateKind::inv || kind == GateKind::tg) ? 1 : inputs;
    const double width = (std::max(fn, fp) * stripes + 1) * pitch;
    return Footprint{width, region};
}

}  // namespace synbench::tech
