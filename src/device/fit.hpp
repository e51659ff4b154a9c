// Fitting a device card to measured conductance-vs-pulse data (`synbench device fit`).
//
// Data: CSV with columns phase (ltp|ltd), pulse (pulses since the start of that phase's sweep,
// may be fractional), conductance_S, and optionally cycle (separates repeated sweeps). Each
// direction is fitted on its own, with (Gmin, Gmax, c) free, to
//     G = Gmin + (Gmax − Gmin) · (1 − e^(−c·ξ)) / (1 − e^(−c)),
// ξ = p / Pmax for LTP and 1 − p / Pmax for LTD (the position from the Gmin end), Pmax = the
// sweep's length (the largest pulse number, rounded). This is Eq. 2–4 with a = A / Pmax = 1 / c;
// c = 0 is the straight line, so the fit passes smoothly between the two curvatures.
// Levenberg–Marquardt (Eigen, unsupported/NonLinearOptimization) from several starting c. The
// card written from a fit uses one range for both directions, fitted jointly (see FitResult).
#pragma once

#include <yaml-cpp/yaml.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <functional>
#include <string>
#include <vector>

namespace synbench::device {

struct PulsePoint {
    double pulse = 0, g = 0;
    long cycle = 0;
    int line = 0;  // line in the data file
};

struct PulseData {
    std::string name;  // file name, for messages
    std::vector<PulsePoint> ltp, ltd;
};

// Structurally bad data (missing or unknown columns, unknown phase, non-numeric or negative
// values, fewer than 5 points in a phase) → config::Error naming file, line and column.
PulseData parse_pulse_data(const std::string& text, const std::string& name);
PulseData read_pulse_data(const std::filesystem::path& csv);

// How well a curve G(pulse) follows a phase's points.
struct CurveError {
    double rmse = 0;      // S
    double rel_rmse = 0;  // rmse / (max − min of the phase's conductances)
    double r2 = 0;        // 1 − SSE / SST
};
CurveError curve_error(const std::vector<PulsePoint>& pts,
                       const std::function<double(double)>& curve);

// Standard errors of a fit's parameters from the Jacobian at the optimum: covariance
// s² (JᵀJ)⁻¹ with s² = SSE / (n − k) (n points, k free parameters). This assumes independent
// residuals of one variance; data whose error walks from pulse to pulse (cycle-to-cycle noise
// that accumulates) have correlated residuals, and these errors then understate the spread.
// a = 1/c and NL(a) by the delta method; NaN where undefined (a of a straight line, JᵀJ singular).
struct ParamErrors {
    double g_min = 0, g_max = 0;  // S
    double c = 0;                 // curvature c = 1/a
    double a = 0, nl = 0;
    int dof = 0;     // n − k
    double t95 = 0;  // two-sided 95 % quantile of Student's t with `dof` degrees of freedom
};

// Student's t 97.5 % quantile (the half-width of a 95 % interval in standard errors).
double t_quantile_975(int dof);

struct DirectionFit {
    int levels = 0;  // Pmax
    double g_min = 0, g_max = 0;
    double a = 0;   // normalized A (0: linear)
    double nl = 0;  // its label
    std::size_t points = 0;
    CurveError error;
    double sigma = 0;  // cycle-to-cycle σ per pulse (S), from the residuals
    ParamErrors se;    // standard errors of g_min, g_max, c, a, nl (for the card's curves: g_min
                       // and g_max of the joint fit)
};

struct FitResult {
    DirectionFit ltp, ltd;                      // each direction with its own range
    double common_g_min = 0, common_g_max = 0;  // the common-range rule applied to those two
    // The card: both directions fitted together with one shared range (Gmin, Gmax, A_LTP,
    // A_LTD free) — the range a card states, chosen by least squares rather than by intersecting
    // the separate fits (which can cut one direction's data badly; docs/devices.md).
    DirectionFit card_ltp, card_ltd;
    double g_min = 0, g_max = 0;  // the card's range
    double c2c = 0;               // pooled σ per pulse / (g_max − g_min)
};

// Throws config::Error when the data cannot determine a curve (no conductance change, all
// points at one pulse number).
// Progress and interruption of a long fit: `progress` gets a line per least-squares start, and
// `interrupt` (set from a signal handler) is polled between starts; when set, the fit throws
// FitInterrupted. Data sets larger than kFitScreenPoints are fitted in two steps: every start on
// an evenly strided subset of about kFitScreenPoints points, then the best one on all the data.
struct FitControl {
    std::function<void(const std::string&)> progress;
    const std::atomic<bool>* interrupt = nullptr;
};
struct FitInterrupted : std::runtime_error {
    FitInterrupted() : std::runtime_error("the fit was interrupted") {}
};
inline constexpr std::size_t kFitScreenPoints = 20000;

FitResult fit_pulse_data(const PulseData& data, const FitControl& control = {});

// The fitted card (a YAML tree). With `like` (an existing card), every field the fit does not
// determine (cell, pulses, read, ...) is taken from it; without it those fields get placeholder
// values that the card's notes flag.
YAML::Node fitted_card(const FitResult& fit, const std::string& name, const std::string& data_name,
                       const YAML::Node* like);

}  // namespace synbench::device
