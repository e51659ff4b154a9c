#include "device/fit.hpp"

#include <fmt/format.h>

#include <Eigen/Core>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <unsupported/Eigen/NonLinearOptimization>
#include <unsupported/Eigen/NumericalDiff>

#include "config/config.hpp"
#include "device/nonlinearity.hpp"
#include "units/units.hpp"
#include "util/files.hpp"

namespace synbench::device {

namespace {

constexpr std::size_t kMinPoints = 5;

std::string trim(std::string s) {
    auto b = s.find_first_not_of(" \t\r");
    auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto comma = line.find(',', start);
        out.push_back(trim(
            line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

bool to_number(const std::string& s, double& v) {
    if (s.empty()) return false;
    const char* b = s.data();
    if (*b == '+') ++b;
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size() && std::isfinite(v);
}

// Normalized curve h(ξ; c) = (1 − e^(−cξ)) / (1 − e^(−c)); the straight line as c → 0.
double shape(double xi, double c) {
    if (std::abs(c) < 1e-6) return xi + 0.5 * c * xi * (1 - xi);
    return std::expm1(-c * xi) / std::expm1(-c);
}

// Residuals in normalized units (conductance scaled by the data's range). Every point belongs to
// one of `curves` curves that share (Gmin, Gmax) and have their own c: p = (gmin, gmax, c_0, ...).
struct Residuals {
    using Scalar = double;
    enum { InputsAtCompileTime = Eigen::Dynamic, ValuesAtCompileTime = Eigen::Dynamic };
    using InputType = Eigen::VectorXd;
    using ValueType = Eigen::VectorXd;
    using JacobianType = Eigen::MatrixXd;
    const std::vector<double>* xi;
    const std::vector<double>* y;
    const std::vector<int>* curve;
    int curves;
    int inputs() const { return 2 + curves; }
    int values() const { return static_cast<int>(y->size()); }
    int operator()(const Eigen::VectorXd& p, Eigen::VectorXd& r) const {
        for (std::size_t i = 0; i < y->size(); ++i)
            r[static_cast<Eigen::Index>(i)] =
                p[0] + (p[1] - p[0]) * shape((*xi)[i], p[2 + (*curve)[i]]) - (*y)[i];
        return 0;
    }
};

struct Shape {
    double gmin, gmax;
    std::vector<double> c;
    double sse;
};

// Least squares from every combination of the starting curvatures; the best result wins.
// Least squares from p (in place); false when it ends non-finite or with an absurd curvature.
bool minimize(const Residuals& f, Eigen::VectorXd& p, int curves) {
    Eigen::NumericalDiff<Residuals, Eigen::Central> nd(f);
    Eigen::LevenbergMarquardt<Eigen::NumericalDiff<Residuals, Eigen::Central>> lm(nd);
    lm.parameters.xtol = 1e-12;
    lm.parameters.ftol = 1e-12;
    lm.parameters.maxfev = 4000;
    lm.minimize(p);
    return p.allFinite() && p.tail(curves).cwiseAbs().maxCoeff() <= 1e3;
}

void poll(const FitControl& ctl) {
    if (ctl.interrupt && ctl.interrupt->load()) throw FitInterrupted();
}

Shape fit_shape(const std::vector<double>& xi, const std::vector<double>& y,
                const std::vector<int>& curve, int curves,
                const std::vector<std::vector<double>>& starts, const FitControl& ctl,
                const std::string& what) {
    Shape best{0, 1, {}, std::numeric_limits<double>::infinity()};
    // Large data: the starts compete on an evenly strided subset (each LM iteration is linear in
    // the points, and every start would otherwise pay for all of them); the winner is then refined
    // on all the points. Up to kFitScreenPoints points, every start runs on all of them.
    const std::size_t stride =
        y.size() > kFitScreenPoints ? (y.size() + kFitScreenPoints - 1) / kFitScreenPoints : 1;
    std::vector<double> sxi, sy;
    std::vector<int> scurve;
    if (stride > 1)
        for (std::size_t i = 0; i < y.size(); i += stride)
            sxi.push_back(xi[i]), sy.push_back(y[i]), scurve.push_back(curve[i]);
    const Residuals f{&xi, &y, &curve, curves};
    const Residuals fs = stride > 1 ? Residuals{&sxi, &sy, &scurve, curves} : f;
    Eigen::VectorXd r(static_cast<Eigen::Index>(fs.values()));
    Eigen::VectorXd best_p;
    for (std::size_t s = 0; s < starts.size(); ++s) {
        poll(ctl);
        if (ctl.progress)
            ctl.progress(fmt::format("{}: start {}/{} on {} points", what, s + 1, starts.size(),
                                     fs.values()));
        Eigen::VectorXd p(2 + curves);
        p[0] = 0.0;
        p[1] = 1.0;  // the data span [0, 1] in normalized units
        for (int k = 0; k < curves; ++k) p[2 + k] = starts[s][static_cast<std::size_t>(k)];
        if (!minimize(fs, p, curves)) continue;
        fs(p, r);
        double sse = r.squaredNorm();
        if (sse < best.sse)
            best = {p[0], p[1], std::vector<double>(p.data() + 2, p.data() + 2 + curves), sse},
            best_p = p;
    }
    if (stride > 1 && std::isfinite(best.sse)) {
        poll(ctl);
        if (ctl.progress)
            ctl.progress(
                fmt::format("{}: refining the best start on all {} points", what, y.size()));
        Eigen::VectorXd p = best_p;
        Eigen::VectorXd rf(static_cast<Eigen::Index>(y.size()));
        if (!minimize(f, p, curves))
            return Shape{0, 1, {}, std::numeric_limits<double>::infinity()};
        f(p, rf);
        best = {p[0], p[1], std::vector<double>(p.data() + 2, p.data() + 2 + curves),
                rf.squaredNorm()};
    }
    return best;
}

const std::vector<double> kStarts{-12.0, -5.0, -2.0, -0.5, 0.0, 0.5, 2.0, 5.0, 12.0};

// Position ξ in [0, 1] from the Gmin end of a point `p` pulses into its phase's sweep.
double position(double p, int levels, bool ltp) { return ltp ? p / levels : 1.0 - p / levels; }

void range_of(const std::vector<PulsePoint>& pts, double& lo, double& hi) {
    for (const auto& q : pts) {
        lo = std::min(lo, q.g);
        hi = std::max(hi, q.g);
    }
}

// Fills the curve, its errors and the c2c σ of a direction fitted with range [g_min, g_max], c.
void finish_direction(DirectionFit& d, const std::vector<PulsePoint>& pts, bool ltp, double c) {
    d.points = pts.size();
    d.a = std::abs(c) < 1e-9 ? 0.0 : 1.0 / c;
    d.nl = d.a == 0 ? 0.0 : nl_from_normalized_a(d.a);
    auto curve = [&](double p) {
        return d.g_min +
               (d.g_max - d.g_min) * shape(std::clamp(position(p, d.levels, ltp), 0.0, 1.0), c);
    };
    d.error = curve_error(pts, curve);
    // Cycle-to-cycle noise: the reference model adds N(0, σ√n) after every train and keeps it, so
    // the residual walks from pulse to pulse; its increments estimate σ: σ² = ΣΔr² / ΣΔp over
    // consecutive points of each sweep (cycle).
    std::map<long, std::vector<std::pair<double, double>>> sweeps;
    for (const auto& q : pts) sweeps[q.cycle].push_back({q.pulse, q.g - curve(q.pulse)});
    double sum_r2 = 0, sum_p = 0;
    for (auto& [cy, v] : sweeps) {
        std::stable_sort(v.begin(), v.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t i = 1; i < v.size(); ++i) {
            sum_r2 += (v[i].second - v[i - 1].second) * (v[i].second - v[i - 1].second);
            sum_p += v[i].first - v[i - 1].first;
        }
    }
    d.sigma = sum_p > 0 ? std::sqrt(sum_r2 / sum_p) : 0.0;
}

int levels_of(const std::vector<PulsePoint>& pts, bool ltp, const std::string& name) {
    const char* phase = ltp ? "ltp" : "ltd";
    double lo = pts[0].g, hi = pts[0].g, pmin = pts[0].pulse, pmax = pts[0].pulse;
    range_of(pts, lo, hi);
    for (const auto& q : pts) {
        pmin = std::min(pmin, q.pulse);
        pmax = std::max(pmax, q.pulse);
    }
    if (!(hi > lo))
        throw config::Error(name, 0, 0, "conductance_S",
                            fmt::format("the {} conductances never change: nothing to fit", phase));
    if (!(pmax > pmin))
        throw config::Error(
            name, 0, 0, "pulse",
            fmt::format("every {} point is at pulse {}: nothing to fit", phase, pmax));
    return std::max(1, static_cast<int>(std::lround(pmax)));
}

void check_range(const DirectionFit& d, const char* what, const std::string& name) {
    if (!(d.g_max > d.g_min) || d.g_min <= 0)
        throw config::Error(name, 0, 0, "",
                            fmt::format("the {} data do not follow a monotonic saturating curve "
                                        "(fitted Gmin {:.4g} S, Gmax {:.4g} S)",
                                        what, d.g_min, d.g_max));
}

// One direction with its own (Gmin, Gmax, c).
DirectionFit fit_direction(const std::vector<PulsePoint>& pts, bool ltp, const std::string& name,
                           const FitControl& ctl) {
    DirectionFit d;
    d.levels = levels_of(pts, ltp, name);
    double lo = pts[0].g, hi = pts[0].g;
    range_of(pts, lo, hi);
    std::vector<double> xi, y;
    for (const auto& q : pts) {
        xi.push_back(position(q.pulse, d.levels, ltp));
        y.push_back((q.g - lo) / (hi - lo));
    }
    std::vector<std::vector<double>> starts;
    for (double c : kStarts) starts.push_back({c});
    Shape s = fit_shape(xi, y, std::vector<int>(y.size(), 0), 1, starts, ctl,
                        ltp ? "ltp fit" : "ltd fit");
    if (!std::isfinite(s.sse))
        throw config::Error(name, 0, 0, "",
                            fmt::format("the {} fit did not converge", ltp ? "ltp" : "ltd"));
    d.g_min = lo + s.gmin * (hi - lo);
    d.g_max = lo + s.gmax * (hi - lo);
    check_range(d, ltp ? "ltp" : "ltd", name);
    finish_direction(d, pts, ltp, s.c[0]);
    return d;
}

}  // namespace

PulseData parse_pulse_data(const std::string& text, const std::string& name) {
    PulseData out;
    out.name = name;
    std::istringstream in(text);
    std::string line;
    int lineno = 0;
    int col_phase = -1, col_pulse = -1, col_g = -1, col_cycle = -1;
    std::size_t ncols = 0;
    bool header = false;
    while (std::getline(in, line)) {
        ++lineno;
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        auto f = split(line);
        if (!header) {
            for (std::size_t i = 0; i < f.size(); ++i) {
                const auto k = lower(f[i]);
                int* slot = k == "phase"           ? &col_phase
                            : k == "pulse"         ? &col_pulse
                            : k == "conductance_s" ? &col_g
                            : k == "cycle"         ? &col_cycle
                                                   : nullptr;
                if (!slot)
                    throw config::Error(name, lineno, 0, f[i],
                                        "unknown column (expected phase, pulse, conductance_S and "
                                        "optionally cycle)");
                if (*slot >= 0) throw config::Error(name, lineno, 0, f[i], "column given twice");
                *slot = static_cast<int>(i);
            }
            for (auto [col, what] :
                 {std::pair{col_phase, "phase"}, {col_pulse, "pulse"}, {col_g, "conductance_S"}})
                if (col < 0)
                    throw config::Error(
                        name, lineno, 0, what,
                        "missing column (the header must name phase, pulse, conductance_S)");
            ncols = f.size();
            header = true;
            continue;
        }
        if (f.size() != ncols)
            throw config::Error(name, lineno, 0, "",
                                fmt::format("expected {} values, got {}", ncols, f.size()));
        PulsePoint p;
        p.line = lineno;
        const auto phase = lower(f[static_cast<std::size_t>(col_phase)]);
        if (phase != "ltp" && phase != "ltd")
            throw config::Error(name, lineno, 0, "phase",
                                fmt::format("unknown phase '{}' (expected ltp or ltd)",
                                            f[static_cast<std::size_t>(col_phase)]));
        const auto& ps = f[static_cast<std::size_t>(col_pulse)];
        if (!to_number(ps, p.pulse))
            throw config::Error(name, lineno, 0, "pulse", fmt::format("'{}' is not a number", ps));
        if (p.pulse < 0)
            throw config::Error(name, lineno, 0, "pulse",
                                fmt::format("negative pulse number {}", p.pulse));
        const auto& gs = f[static_cast<std::size_t>(col_g)];
        if (!to_number(gs, p.g))
            throw config::Error(name, lineno, 0, "conductance_S",
                                fmt::format("'{}' is not a number (conductance in S)", gs));
        if (p.g < 0)
            throw config::Error(name, lineno, 0, "conductance_S",
                                fmt::format("negative conductance {}", gs));
        if (col_cycle >= 0) {
            double cy = 0;
            const auto& cs = f[static_cast<std::size_t>(col_cycle)];
            if (!to_number(cs, cy) || cy != std::floor(cy) || cy < 0)
                throw config::Error(name, lineno, 0, "cycle",
                                    fmt::format("'{}' is not a non-negative whole number", cs));
            p.cycle = static_cast<long>(cy);
        }
        (phase == "ltp" ? out.ltp : out.ltd).push_back(p);
    }
    if (!header)
        throw config::Error(name, 0, 0, "",
                            "no header line (expected phase,pulse,conductance_S[,cycle])");
    for (auto [v, what] : {std::pair{&out.ltp, "ltp"}, {&out.ltd, "ltd"}})
        if (v->size() < kMinPoints)
            throw config::Error(name, 0, 0, "phase",
                                fmt::format("{} {} point(s); a fit needs at least {} per phase",
                                            v->size(), what, kMinPoints));
    return out;
}

PulseData read_pulse_data(const std::filesystem::path& csv) {
    return parse_pulse_data(util::read_file(csv), csv.string());
}

CurveError curve_error(const std::vector<PulsePoint>& pts,
                       const std::function<double(double)>& curve) {
    CurveError e;
    if (pts.empty()) return e;
    double lo = pts[0].g, hi = pts[0].g, mean = 0;
    for (const auto& q : pts) {
        lo = std::min(lo, q.g);
        hi = std::max(hi, q.g);
        mean += q.g;
    }
    mean /= static_cast<double>(pts.size());
    double sse = 0, sst = 0;
    for (const auto& q : pts) {
        double r = q.g - curve(q.pulse);
        sse += r * r;
        sst += (q.g - mean) * (q.g - mean);
    }
    e.rmse = std::sqrt(sse / static_cast<double>(pts.size()));
    e.rel_rmse = hi > lo ? e.rmse / (hi - lo) : 0.0;
    e.r2 = sst > 0 ? 1 - sse / sst : 0.0;
    return e;
}

FitResult fit_pulse_data(const PulseData& data, const FitControl& ctl) {
    FitResult f;
    f.ltp = fit_direction(data.ltp, true, data.name, ctl);
    f.ltd = fit_direction(data.ltd, false, data.name, ctl);
    // The common-range rule applied to the separate fits (devices.md "Conventions").
    f.common_g_min = std::max(f.ltp.g_min, f.ltd.g_min);
    f.common_g_max = std::min(f.ltp.g_max, f.ltd.g_max);

    // The card's curves: both directions at once with one shared range, so that the range the
    // card states is the least-squares one rather than the intersection of two separate fits.
    DirectionFit up, down;
    up.levels = f.ltp.levels;
    down.levels = f.ltd.levels;
    double lo = data.ltp[0].g, hi = data.ltp[0].g;
    range_of(data.ltp, lo, hi);
    range_of(data.ltd, lo, hi);
    std::vector<double> xi, y;
    std::vector<int> which;
    for (auto [pts, ltp] : {std::pair{&data.ltp, true}, {&data.ltd, false}})
        for (const auto& q : *pts) {
            xi.push_back(position(q.pulse, ltp ? up.levels : down.levels, ltp));
            y.push_back((q.g - lo) / (hi - lo));
            which.push_back(ltp ? 0 : 1);
        }
    std::vector<std::vector<double>> starts;
    auto c_of = [](const DirectionFit& d) { return d.a == 0 ? 0.0 : 1.0 / d.a; };
    starts.push_back({c_of(f.ltp), c_of(f.ltd)});
    for (double a : {-5.0, -1.0, 0.0, 1.0, 5.0})
        for (double b : {-5.0, -1.0, 0.0, 1.0, 5.0}) starts.push_back({a, b});
    Shape s = fit_shape(xi, y, which, 2, starts, ctl, "joint ltp/ltd fit");
    if (!std::isfinite(s.sse))
        throw config::Error(data.name, 0, 0, "", "the joint LTP/LTD fit did not converge");
    up.g_min = down.g_min = f.g_min = lo + s.gmin * (hi - lo);
    up.g_max = down.g_max = f.g_max = lo + s.gmax * (hi - lo);
    check_range(up, "ltp and ltd", data.name);
    finish_direction(up, data.ltp, true, s.c[0]);
    finish_direction(down, data.ltd, false, s.c[1]);
    f.card_ltp = up;
    f.card_ltd = down;
    // Pooled σ per pulse over both directions of the card's curves, relative to its range.
    double n_up = static_cast<double>(up.points), n_down = static_cast<double>(down.points);
    double pooled = std::sqrt((up.sigma * up.sigma * n_up + down.sigma * down.sigma * n_down) /
                              (n_up + n_down));
    f.c2c = pooled / (f.g_max - f.g_min);
    return f;
}

}  // namespace synbench::device
