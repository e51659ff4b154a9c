// Programming schemes (docs/non-idealities.md): the write-verify correction rule.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace synbench::sim {

// How a training step turns the optimizer's Δw into new weights: fixed for a run by its
// experiment, chosen once when the trainer is built (Trainer::choose_update, update.cpp).
struct UpdatePolicy {
    enum class Gradient {
        outer_product,  // batch 1: row i's gradient x_i · δ is formed during the update
        accumulated     // batch > 1: the optimizer reads the gradient summed over the batch
    };
    enum class Weights {
        software,  // no arrays: w += Δw, clamped to [-1, 1]
        pulses     // Δw → programming pulses on the arrays
    };
    enum class Rounding {
        nearest,    // round(Δw/2 · Pmax), |·| < 0.5 → 0
        stochastic  // floor + Bernoulli(fraction), counter-based RNG
    };
    Gradient gradient = Gradient::outer_product;
    Weights weights = Weights::software;
    Rounding rounding = Rounding::nearest;
    bool skip_zero_rows = false;  // SGD with batch 1: a row whose input is 0 has no update
    bool verify = false;          // write-verify: read back and correct after the pulses
    bool half_select = false;     // half-select disturb bookkeeping (V/2 scheme)
};

// Corrective pulses after a verify read: 0 when |target − g_read| ≤ tol or no budget is left; else
// round(|error| / step) pulses (at least 1, at most `budget`) towards the target — LTP (> 0) when
// the cell reads below it (step = step_ltp), LTD (< 0) above it (step = step_ltd).
inline int verify_correction(double g_read, double target, double tol, double step_ltp,
                             double step_ltd, int budget) {
    const double e = target - g_read;
    if (!(std::fabs(e) > tol) || budget <= 0) return 0;
    const double step = e > 0 ? step_ltp : step_ltd;
    const double n = std::clamp(std::round(std::fabs(e) / step), 1.0, static_cast<double>(budget));
    return e > 0 ? static_cast<int>(n) : -static_cast<int>(n);
}

}  // namespace synbench::sim
