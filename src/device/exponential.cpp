#include "device/exponential.hpp"

#include <algorithm>
#include <cmath>

#include "device/nonlinearity.hpp"
#include "util/rng.hpp"

namespace synbench::device {

double ExpCurve::at(double x) const {
    if (A == 0) return g_min + (g_max - g_min) * x / pmax;
    double B = (g_max - g_min) / (-std::expm1(-pmax / A));
    return B * (-std::expm1(-x / A)) + g_min;
}

double ExpCurve::position(double g) const {
    if (A == 0) return std::clamp((g - g_min) / (g_max - g_min) * pmax, 0.0, pmax);
    double B = (g_max - g_min) / (-std::expm1(-pmax / A));
    double arg = 1.0 - (g - g_min) / B;
    if (arg <= 0) return pmax;
    return std::clamp(-A * std::log(arg), 0.0, pmax);
}

namespace {

struct CellVar {
    double g_min, g_max, a_ltp, a_ltd;
    std::int8_t stuck;  // 0 none, -1 at g_min, +1 at g_max
};

class ExponentialArray final : public Array {
   public:
    ExponentialArray(const Card& c, std::size_t n, std::uint64_t seed, std::uint64_t array_id)
        : card_(c), seed_(seed), array_id_(array_id) {
        g_.assign(n, c.g_min);
        const auto& v = c.variation;
        uniform_ = v.d2d_nl == 0 && v.d2d_gmax == 0 && v.d2d_gmin == 0 && v.stuck_at_gmin == 0 && v.stuck_at_gmax == 0;
        nominal_ = {c.g_min, c.g_max, c.ltp.a_normalized, c.ltd.a_normalized, 0};
        if (uniform_) return;
        cells_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            util::Rng r(seed, util::Stream::d2d_variation, array_id, i);
            CellVar cv = nominal_;
            if (v.d2d_gmax > 0) cv.g_max = c.g_max * std::max(0.0, 1 + v.d2d_gmax * r.normal());
            if (v.d2d_gmin > 0) cv.g_min = c.g_min * std::max(0.0, 1 + v.d2d_gmin * r.normal());
            if (cv.g_min >= cv.g_max) cv.g_min = cv.g_max * (c.g_min / c.g_max);
            if (v.d2d_nl > 0) {
                auto vary = [&](const Direction& d) {
                    double nl = d.nl_label.value_or(nl_from_normalized_a(d.a_normalized)) + v.d2d_nl * r.normal();
                    nl = std::clamp(nl, -10.0, 10.0);
                    return normalized_a_from_nl(nl);
                };
                cv.a_ltp = vary(c.ltp);
                cv.a_ltd = vary(c.ltd);
            }
            util::Rng s(seed, util::Stream::stuck_faults, array_id, i);
            double u = s.uniform();
            if (u < v.stuck_at_gmin) cv.stuck = -1;
            else if (u < v.stuck_at_gmin + v.stuck_at_gmax) cv.stuck = 1;
            cells_[i] = cv;
            g_[i] = cv.stuck > 0 ? cv.g_max : cv.g_min;
        }
    }

    void set(std::size_t cell, double g) override {
        const auto& cv = var(cell);
        if (cv.stuck) return;
        g_[cell] = std::clamp(g, cv.g_min, cv.g_max);
    }

    double program(std::size_t cell, int pulses, std::uint64_t event) override {
        if (pulses == 0) return g_[cell];
        const auto& cv = var(cell);
        if (cv.stuck) return g_[cell];
        const bool up = pulses > 0;
        const Direction& d = up ? card_.ltp : card_.ltd;
        ExpCurve curve{cv.g_min, cv.g_max, static_cast<double>(d.levels), (up ? cv.a_ltp : cv.a_ltd) * d.levels};
        double x = curve.position(g_[cell]);
        double gn = curve.at(x + pulses);
        if (card_.variation.c2c > 0) {
            util::Rng r(seed_, util::Stream::c2c_noise, (array_id_ << 40) ^ cell, event);
            gn += r.normal() * card_.variation.c2c * (card_.g_max - card_.g_min) * std::sqrt(std::abs(pulses));
        }
        g_[cell] = std::clamp(gn, cv.g_min, cv.g_max);
        return g_[cell];
    }

    double read(std::size_t cell, std::uint64_t event) const override {
        if (card_.variation.read_noise == 0) return g_[cell];
        util::Rng r(seed_, util::Stream::read_noise, (array_id_ << 40) ^ cell, event);
        return std::max(0.0, g_[cell] * (1 + card_.variation.read_noise * r.normal()));
    }
    bool noisy_reads() const override { return card_.variation.read_noise > 0; }
    double cell_g_min(std::size_t cell) const override { return var(cell).g_min; }
    double cell_g_max(std::size_t cell) const override { return var(cell).g_max; }
    std::unique_ptr<Array> clone() const override { return std::make_unique<ExponentialArray>(*this); }

   private:
    const CellVar& var(std::size_t cell) const { return uniform_ ? nominal_ : cells_[cell]; }
    Card card_;
    std::uint64_t seed_, array_id_;
    bool uniform_ = true;
    CellVar nominal_{};
    std::vector<CellVar> cells_;
};

}  // namespace

ExponentialModel::ExponentialModel(const Card& card)
    : Model(card),
      ltp_{card.g_min, card.g_max, static_cast<double>(card.ltp.levels), card.ltp.a_normalized * card.ltp.levels},
      ltd_{card.g_min, card.g_max, static_cast<double>(card.ltd.levels), card.ltd.a_normalized * card.ltd.levels} {}

double ExponentialModel::ltp_curve(double x) const { return std::clamp(ltp_.at(x), card_.g_min, card_.g_max); }

double ExponentialModel::ltd_curve(double x) const {
    // x LTD pulses from Gmax: position Pmax − x on the LTD curve.
    return std::clamp(ltd_.at(ltd_.pmax - x), card_.g_min, card_.g_max);
}

std::unique_ptr<Array> ExponentialModel::make_array(std::size_t cells, std::uint64_t seed, std::uint64_t array_id) const {
    return std::make_unique<ExponentialArray>(card_, cells, seed, array_id);
}

}  // namespace synbench::device
