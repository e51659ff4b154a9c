// Soft-bounds model: ΔG = α (Gmax − G) per LTP pulse, ΔG = −α (G − Gmin) per LTD pulse, so n
// pulses give G_n = Gmax − (Gmax − G)(1 − α)^n (LTP) and G_n = Gmin + (G − Gmin)(1 − α)^n (LTD).
// α = 2 / levels of that direction (capped at 1): the step at mid-range is one linear level.
#include <algorithm>
#include <cmath>

#include "device/cell_array.hpp"
#include "device/variants.hpp"

namespace synbench::device {

namespace {

struct SoftBoundsRule {
    struct Cell {
        double g_min, g_max;
    };
    double keep_ltp, keep_ltd;  // 1 − α of each direction

    Cell cell(double lo, double hi, util::Rng*) const { return {lo, hi}; }
    bool varies() const { return false; }
    double update(const Cell& c, double g, int pulses, util::Rng&) const {
        if (pulses > 0) return c.g_max - (c.g_max - g) * std::pow(keep_ltp, pulses);
        return c.g_min + (g - c.g_min) * std::pow(keep_ltd, -pulses);
    }
    double snap(const Cell&, double g) const { return g; }
};

double keep(int levels) { return 1.0 - std::min(1.0, 2.0 / levels); }

class SoftBoundsModel final : public Model {
   public:
    explicit SoftBoundsModel(const Card& c)
        : Model(c), rule_{keep(c.ltp.levels), keep(c.ltd.levels)} {}
    double ltp_curve(double x) const override {
        return card_.g_max -
               (card_.g_max - card_.g_min) * std::pow(rule_.keep_ltp, std::max(0.0, x));
    }
    double ltd_curve(double x) const override {
        return card_.g_min +
               (card_.g_max - card_.g_min) * std::pow(rule_.keep_ltd, std::max(0.0, x));
    }
    std::unique_ptr<Array> make_array(std::size_t cells, std::uint64_t seed,
                                      std::uint64_t array_id) const override {
        return std::make_unique<detail::CellArray<SoftBoundsRule>>(
            rule_, detail::Nonideal::from(card_), card_.g_min, card_.g_max, cells, seed, array_id);
    }

   private:
    SoftBoundsRule rule_;
};

}  // namespace

std::unique_ptr<Model> make_soft_bounds_model(const Card& card) {
    return std::make_unique<SoftBoundsModel>(card);
}

}  // namespace synbench::device
