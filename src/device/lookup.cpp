// Measured look-up-table model: for each direction, the mean change per pulse ΔG(G) and its
// spread σ(G), tabulated against G and interpolated linearly (held constant beyond the table's
// ends). A train of n pulses is applied pulse by pulse: G += ΔG(G) + σ(G)·N(0, 1), clipped to
// the cell's range after each pulse. Under device-to-device variation of Gmin/Gmax, G is mapped
// onto the nominal range before the look-up and ΔG, σ are scaled back to the cell's range.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "device/cell_array.hpp"
#include "device/variants.hpp"

namespace synbench::device {

namespace {

struct Table {
    std::vector<double> g, dg, sigma;
    explicit Table(const std::vector<LookupPoint>& rows) {
        for (const auto& r : rows) {
            g.push_back(r.g);
            dg.push_back(r.dg);
            sigma.push_back(r.dg_sigma);
        }
    }
    // Mean step and spread at conductance x.
    void at(double x, double& mean, double& sd) const {
        if (x <= g.front()) {
            mean = dg.front();
            sd = sigma.front();
            return;
        }
        if (x >= g.back()) {
            mean = dg.back();
            sd = sigma.back();
            return;
        }
        auto i = static_cast<std::size_t>(std::upper_bound(g.begin(), g.end(), x) - g.begin());
        double t = (x - g[i - 1]) / (g[i] - g[i - 1]);
        mean = dg[i - 1] + t * (dg[i] - dg[i - 1]);
        sd = sigma[i - 1] + t * (sigma[i] - sigma[i - 1]);
    }
};

struct LookupRule {
    struct Cell {
        double g_min, g_max;
    };
    Table up, down;
    double g_min, g_max;  // nominal range the tables refer to

    Cell cell(double lo, double hi, util::Rng*) const { return {lo, hi}; }
    bool varies() const { return false; }
    double step(const Cell& c, double g, bool ltp, util::Rng* noise) const {
        const double scale = (c.g_max - c.g_min) / (g_max - g_min);
        double mean = 0, sd = 0;
        (ltp ? up : down).at(g_min + (g - c.g_min) / scale, mean, sd);
        double d = mean + (noise && sd > 0 ? sd * noise->normal() : 0.0);
        return std::clamp(g + d * scale, c.g_min, c.g_max);
    }
    double update(const Cell& c, double g, int pulses, util::Rng& noise) const {
        for (int k = 0, n = std::abs(pulses); k < n; ++k) g = step(c, g, pulses > 0, &noise);
        return g;
    }
    double snap(const Cell&, double g) const { return g; }
};

class LookupModel final : public Model {
   public:
    explicit LookupModel(const Card& c)
        : Model(c), rule_{Table(c.ltp_table), Table(c.ltd_table), c.g_min, c.g_max} {}
    // Noise-free sweeps; a fractional x interpolates between whole pulses.
    double ltp_curve(double x) const override { return sweep(x, true); }
    double ltd_curve(double x) const override { return sweep(x, false); }
    std::unique_ptr<Array> make_array(std::size_t cells, std::uint64_t seed,
                                      std::uint64_t array_id) const override {
        return std::make_unique<detail::CellArray<LookupRule>>(
            rule_, detail::Nonideal::from(card_), card_.g_min, card_.g_max, cells, seed, array_id);
    }

   private:
    double sweep(double x, bool ltp) const {
        const LookupRule::Cell c{card_.g_min, card_.g_max};
        double g = ltp ? c.g_min : c.g_max;
        x = std::max(0.0, x);
        auto whole = static_cast<long>(std::floor(x));
        for (long k = 0; k < whole; ++k) g = rule_.step(c, g, ltp, nullptr);
        double frac = x - static_cast<double>(whole);
        return frac > 0 ? g + frac * (rule_.step(c, g, ltp, nullptr) - g) : g;
    }
    LookupRule rule_;
};

}  // namespace

std::unique_ptr<Model> make_lookup_model(const Card& card) {
    return std::make_unique<LookupModel>(card);
}

}  // namespace synbench::device
