// Programming schemes (docs/non-idealities.md): the write-verify correction rule.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace synbench::sim {

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
