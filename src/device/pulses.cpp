#include <cmath>

#include "device/model.hpp"

namespace synbench::device {

namespace {
// Σ k^p for k = 0 … m (m >= −1), p = 0 … 3, in closed form.
double power_sum(int p, double m) {
    if (m < 0) return 0;
    switch (p) {
        case 0:
            return m + 1;
        case 1:
            return m * (m + 1) / 2;
        case 2:
            return m * (m + 1) * (2 * m + 1) / 6;
        default:
            return std::pow(m * (m + 1) / 2, 2);
    }
}
}  // namespace

PulseTrain pulse_train(const Direction& d, int n, int start) {
    PulseTrain t;
    if (n <= 0) return t;
    // Sums over k = start … start+n−1 of k^p.
    const double lo = start - 1.0, hi = start + n - 1.0;
    double s[4];
    for (int p = 0; p < 4; ++p) s[p] = power_sum(p, hi) - power_sum(p, lo);
    const double v = std::abs(d.voltage), dv = d.voltage_step, w = d.pulse_width, dw = d.width_step;
    // |V_k| = v + dv·k, t_k = w + dw·k.
    t.sum_v2 = v * v * s[0] + 2 * v * dv * s[1] + dv * dv * s[2];
    t.sum_t = w * s[0] + dw * s[1];
    t.sum_v2_t = v * v * w * s[0] + (v * v * dw + 2 * v * dv * w) * s[1] +
                 (2 * v * dv * dw + dv * dv * w) * s[2] + dv * dv * dw * s[3];
    return t;
}

}  // namespace synbench::device
