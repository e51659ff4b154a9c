#include "device/exponential.hpp"

#include <algorithm>
#include <cmath>

#include "device/cell_array.hpp"
#include "device/nonlinearity.hpp"

namespace synbench::device {

ExpCurve ExpCurve::make(double g_min, double g_max, double pmax, double A) {
    ExpCurve c{g_min, g_max, pmax, A, g_max - g_min};
    if (A != 0) c.B = (g_max - g_min) / (-std::expm1(-pmax / A));
    return c;
}

double ExpCurve::at(double x) const {
    if (A == 0) return g_min + B * x / pmax;
    return B * (-std::expm1(-x / A)) + g_min;
}

double ExpCurve::position(double g) const {
    if (A == 0) return std::clamp((g - g_min) / B * pmax, 0.0, pmax);
    double arg = 1.0 - (g - g_min) / B;
    if (arg <= 0) return pmax;
    return std::clamp(-A * std::log(arg), 0.0, pmax);
}

namespace {

struct ExpRule {
    struct Cell {
        double g_min, g_max;
        ExpCurve up, down;
    };
    int p_ltp, p_ltd;
    double a_ltp, a_ltd;    // nominal normalized A
    double nl_ltp, nl_ltd;  // nominal labels (for D2D)
    double d2d_nl;

    Cell cell(double lo, double hi, util::Rng* d2d) const {
        double al = a_ltp, ad = a_ltd;
        if (d2d && d2d_nl > 0) {
            // The label varies from cell to cell; |NL| stays where the curve can reach.
            al = normalized_a_from_nl(std::clamp(nl_ltp + d2d_nl * d2d->normal(), -9.9, 9.9));
            ad = normalized_a_from_nl(std::clamp(nl_ltd + d2d_nl * d2d->normal(), -9.9, 9.9));
        }
        return {lo, hi, ExpCurve::make(lo, hi, p_ltp, al * p_ltp),
                ExpCurve::make(lo, hi, p_ltd, ad * p_ltd)};
    }
    bool varies() const { return d2d_nl > 0; }
    double update(const Cell& c, double g, int pulses, util::Rng&) const {
        // LTP moves the position up along the LTP curve, LTD down along the LTD curve.
        const ExpCurve& k = pulses > 0 ? c.up : c.down;
        return k.at(k.position(g) + pulses);
    }
    double snap(const Cell&, double g) const { return g; }
};

double label_of(const Direction& d) {
    return d.nl_label.value_or(d.a_normalized == 0 ? 0.0 : nl_from_normalized_a(d.a_normalized));
}

}  // namespace

ExponentialModel::ExponentialModel(const Card& card)
    : Model(card),
      ltp_(ExpCurve::make(card.g_min, card.g_max, card.ltp.levels,
                          card.ltp.a_normalized * card.ltp.levels)),
      ltd_(ExpCurve::make(card.g_min, card.g_max, card.ltd.levels,
                          card.ltd.a_normalized * card.ltd.levels)) {}

double ExponentialModel::ltp_curve(double x) const {
    return std::clamp(ltp_.at(x), card_.g_min, card_.g_max);
}

double ExponentialModel::ltd_curve(double x) const {
    // x LTD pulses from Gmax: position Pmax − x on the LTD curve.
    return std::clamp(ltd_.at(ltd_.pmax - x), card_.g_min, card_.g_max);
}

std::unique_ptr<Array> ExponentialModel::make_array(std::size_t cells, std::uint64_t seed,
                                                    std::uint64_t array_id) const {
    ExpRule rule{card_.ltp.levels,       card_.ltd.levels,    card_.ltp.a_normalized,
                 card_.ltd.a_normalized, label_of(card_.ltp), label_of(card_.ltd),
                 card_.variation.d2d_nl};
    return std::make_unique<detail::CellArray<ExpRule>>(
        rule, detail::Nonideal::from(card_), card_.g_min, card_.g_max, cells, seed, array_id);
}

}  // namespace synbench::device
