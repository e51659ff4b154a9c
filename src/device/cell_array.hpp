// The array shared by every device model: conductances, per-cell device-to-device variation,
// stuck-at faults, cycle-to-cycle noise, read noise and drift. A model supplies only a small
// `Rule` (its per-cell parameters and its noise-free update), so the update is inlined into
// program() — no virtual call per pulse, no allocation.
//
// A Rule provides:
//   struct Cell { double g_min, g_max; ... };               per-cell parameters
//   Cell cell(double g_min, double g_max, util::Rng* d2d) const;
//        the cell for a (possibly varied) range; `d2d` draws the model's own variation (nullptr:
//        nominal)
//   bool varies() const;                                    model-specific D2D is on
//   double update(const Cell&, double g, int pulses, util::Rng& noise) const;
//        conductance after `pulses` pulses (> 0 LTP, < 0 LTD) before c2c noise and clipping
//   double snap(const Cell&, double g) const;               a representable conductance
//
// Random streams (util/rng.hpp): D2D keyed by (seed, array id, cell), stuck-at by the same in a
// separate stream, programming noise by (seed, array id ⊕ cell, event) — so a cell's history
// depends only on its own writes, never on which thread performs them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "device/model.hpp"
#include "util/rng.hpp"

namespace synbench::device::detail {

// The card's array-level non-idealities in the form the array needs them.
struct Nonideal {
    double c2c_sigma = 0;   // S per pulse (c2c · (Gmax − Gmin) of the nominal range)
    double read_noise = 0;  // relative σ of one read
    double d2d_gmin = 0, d2d_gmax = 0;
    double stuck_gmin = 0, stuck_gmax = 0;
    double nu = 0, nu_sigma = 0, t0 = 1;
    static Nonideal from(const Card& c) {
        const auto& v = c.variation;
        return {v.c2c * (c.g_max - c.g_min),
                v.read_noise,
                v.d2d_gmin,
                v.d2d_gmax,
                v.stuck_at_gmin,
                v.stuck_at_gmax,
                c.drift.nu,
                c.drift.nu_sigma,
                c.drift.t0};
    }
};

inline std::uint64_t cell_key(std::uint64_t array_id, std::size_t cell) {
    return (array_id << 40) ^ cell;
}

template <class Rule>
class CellArray final : public Array {
   public:
    using Cell = typename Rule::Cell;

    CellArray(Rule rule, const Nonideal& n, double g_min, double g_max, std::size_t cells,
              std::uint64_t seed, std::uint64_t array_id)
        : rule_(std::move(rule)), n_(n), seed_(seed), id_(array_id) {
        nominal_ = rule_.cell(g_min, g_max, nullptr);
        g_.assign(cells, g_min);
        if (n_.d2d_gmin > 0 || n_.d2d_gmax > 0 || rule_.varies()) {
            cells_.resize(cells);
            for (std::size_t i = 0; i < cells; ++i) {
                util::Rng r(seed_, util::Stream::d2d_variation, id_, i);
                // Relative spread, kept positive; a range that collapses keeps the nominal ratio.
                double hi =
                    n_.d2d_gmax > 0 ? g_max * std::max(0.05, 1 + n_.d2d_gmax * r.normal()) : g_max;
                double lo =
                    n_.d2d_gmin > 0 ? g_min * std::max(0.05, 1 + n_.d2d_gmin * r.normal()) : g_min;
                if (lo >= hi) lo = hi * (g_min / g_max);
                cells_[i] = rule_.cell(lo, hi, &r);
                g_[i] = cells_[i].g_min;
            }
        }
        if (n_.stuck_gmin > 0 || n_.stuck_gmax > 0) {
            stuck_.assign(cells, 0);
            for (std::size_t i = 0; i < cells; ++i) {
                util::Rng r(seed_, util::Stream::stuck_faults, id_, i);
                double u = r.uniform();
                if (u < n_.stuck_gmin)
                    stuck_[i] = -1;
                else if (u < n_.stuck_gmin + n_.stuck_gmax)
                    stuck_[i] = 1;
                if (stuck_[i]) g_[i] = stuck_[i] > 0 ? cell(i).g_max : cell(i).g_min;
            }
        }
    }

    void set(std::size_t i, double g) override {
        if (is_stuck(i)) return;
        const Cell& c = cell(i);
        g_[i] = rule_.snap(c, std::clamp(g, c.g_min, c.g_max));
    }

    double program(std::size_t i, int pulses, std::uint64_t event) override {
        if (pulses == 0 || is_stuck(i)) return g_[i];
        const Cell& c = cell(i);
        util::Rng r(seed_, util::Stream::c2c_noise, cell_key(id_, i), event);
        double g = rule_.update(c, g_[i], pulses, r);
        if (n_.c2c_sigma > 0)
            g += r.normal() * n_.c2c_sigma * std::sqrt(static_cast<double>(std::abs(pulses)));
        g_[i] = rule_.snap(c, std::clamp(g, c.g_min, c.g_max));
        return g_[i];
    }

    void disturb(std::size_t i, double dg) override {
        if (dg == 0 || is_stuck(i)) return;
        const Cell& c = cell(i);
        g_[i] = rule_.snap(c, std::clamp(g_[i] + dg, c.g_min, c.g_max));
    }

    double read(std::size_t i, std::uint64_t event) const override {
        if (n_.read_noise == 0) return g_[i];
        util::Rng r(seed_, util::Stream::read_noise, cell_key(id_, i), event);
        return std::max(0.0, g_[i] * (1 + n_.read_noise * r.normal()));
    }
    bool noisy_reads() const override { return n_.read_noise > 0; }
    double cell_g_min(std::size_t i) const override { return cell(i).g_min; }
    double cell_g_max(std::size_t i) const override { return cell(i).g_max; }
    std::unique_ptr<Array> clone() const override { return std::make_unique<CellArray>(*this); }

    void age(double t) override {
        if ((n_.nu == 0 && n_.nu_sigma == 0) || !(t > n_.t0)) return;
        const double log_ratio = std::log(t / n_.t0);
        for (std::size_t i = 0; i < g_.size(); ++i) {
            if (is_stuck(i)) continue;
            double nu = n_.nu;
            if (n_.nu_sigma > 0)
                nu += n_.nu_sigma * util::Rng(seed_, util::Stream::drift, id_, i).normal();
            const Cell& c = cell(i);
            g_[i] = std::clamp(g_[i] * std::exp(-nu * log_ratio), c.g_min, c.g_max);
        }
    }

    const Rule& rule() const { return rule_; }

   private:
    const Cell& cell(std::size_t i) const { return cells_.empty() ? nominal_ : cells_[i]; }
    bool is_stuck(std::size_t i) const { return !stuck_.empty() && stuck_[i] != 0; }

    Rule rule_;
    Nonideal n_;
    std::uint64_t seed_, id_;
    Cell nominal_{};
    std::vector<Cell> cells_;         // empty: every cell is nominal
    std::vector<std::int8_t> stuck_;  // empty: no faults; −1 at Gmin, +1 at Gmax
};

}  // namespace synbench::device::detail
