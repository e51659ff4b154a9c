#include "device/fit.hpp"

#include <fmt/format.h>

#include <Eigen/Core>
#include <Eigen/LU>
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

// One field of a data line: its text (quotes removed), where it starts (1-based column) and
// whether it was quoted.
struct Field {
    std::string text;
    int column = 0;
};

// Splits `line` at `sep` outside double quotes (RFC 4180: a quoted field may hold the separator,
// and "" inside quotes is one quote); spaces around a field are trimmed.
std::vector<Field> split_fields(const std::string& line, char sep, const std::string& name,
                                int lineno) {
    std::vector<Field> out;
    std::size_t i = 0;
    while (true) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t') && line[i] != sep) ++i;
        Field f;
        f.column = static_cast<int>(i) + 1;
        if (i < line.size() && line[i] == '"') {
            std::size_t j = i + 1;
            bool closed = false;
            while (j < line.size()) {
                if (line[j] == '"') {
                    if (j + 1 < line.size() && line[j + 1] == '"') {
                        f.text += '"';
                        j += 2;
                        continue;
                    }
                    closed = true;
                    ++j;
                    break;
                }
                f.text += line[j++];
            }
            if (!closed)
                throw config::Error(name, lineno, f.column, "",
                                    "a quoted field has no closing '\"' (expected \"text\")");
            while (j < line.size() && (line[j] == ' ' || line[j] == '\t') && line[j] != sep) ++j;
            if (j < line.size() && line[j] != sep)
                throw config::Error(
                    name, lineno, static_cast<int>(j) + 1, "",
                    fmt::format("'{}' after a quoted field (expected the separator '{}')",
                                line.substr(j, 1),
                                sep == '\t' ? std::string("tab") : std::string(1, sep)));
            i = j;
        } else {
            const auto e = line.find(sep, i);
            f.text = trim(line.substr(i, e == std::string::npos ? std::string::npos : e - i));
            i = e == std::string::npos ? line.size() : e;
        }
        out.push_back(std::move(f));
        if (i >= line.size()) break;
        ++i;  // the separator
        if (i == line.size()) {
            out.push_back(Field{"", static_cast<int>(i) + 1});
            break;
        }
    }
    return out;
}

// The separator of a data file, from its header line: ';' or a tab when the line has one outside
// quotes (spreadsheet exports in locales with a decimal comma), ',' otherwise.
char detect_separator(const std::string& header) {
    bool quoted = false, semicolon = false, tab = false, comma = false;
    for (char ch : header) {
        if (ch == '"') quoted = !quoted;
        if (quoted) continue;
        semicolon |= ch == ';';
        tab |= ch == '\t';
        comma |= ch == ',';
    }
    return semicolon ? ';' : tab && !comma ? '\t' : ',';
}

// A finite number; with `decimal_comma` (files separated by ';' or tabs) "1,5e-6" is 1.5e-6.
bool to_number(std::string s, double& v, bool decimal_comma = false) {
    if (decimal_comma && s.find(',') != std::string::npos) {
        if (s.find('.') != std::string::npos || s.find(',') != s.rfind(',')) return false;
        s[s.find(',')] = '.';
    }
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
    std::vector<double> se;  // standard errors of (gmin, gmax, c_0, ...), normalized units
    int dof = 0;
};

// Standard errors of the parameters p at the optimum of f: sqrt of the diagonal of
// s² (JᵀJ)⁻¹, s² = SSE / (n − k). NaN when n ≤ k or JᵀJ is singular.
std::vector<double> standard_errors(const Residuals& f, const Eigen::VectorXd& p, double sse,
                                    int& dof) {
    const auto k = p.size();
    const auto n = static_cast<Eigen::Index>(f.values());
    dof = static_cast<int>(n - k);
    std::vector<double> out(static_cast<std::size_t>(k), std::numeric_limits<double>::quiet_NaN());
    if (n <= k) return out;
    Eigen::NumericalDiff<Residuals, Eigen::Central> nd(f);
    Eigen::MatrixXd J(n, k);
    nd.df(p, J);
    const Eigen::MatrixXd jtj = J.transpose() * J;
    Eigen::FullPivLU<Eigen::MatrixXd> lu(jtj);
    if (!lu.isInvertible()) return out;
    const Eigen::MatrixXd cov = (sse / static_cast<double>(dof)) * lu.inverse();
    for (Eigen::Index i = 0; i < k; ++i)
        if (cov(i, i) >= 0) out[static_cast<std::size_t>(i)] = std::sqrt(cov(i, i));
    return out;
}

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
    Shape best{0, 1, {}, std::numeric_limits<double>::infinity(), {}, 0};
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
            best = {p[0], p[1], std::vector<double>(p.data() + 2, p.data() + 2 + curves),
                    sse,  {},   0},
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
            return Shape{0, 1, {}, std::numeric_limits<double>::infinity(), {}, 0};
        f(p, rf);
        best = {
            p[0], p[1], std::vector<double>(p.data() + 2, p.data() + 2 + curves), rf.squaredNorm(),
            {},   0};
        best_p = p;
    }
    if (std::isfinite(best.sse)) best.se = standard_errors(f, best_p, best.sse, best.dof);
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

// The standard errors of a direction (curve `k` of the fit `s`, conductances scaled by `range`).
void set_errors(ParamErrors& e, const Shape& s, int k, double range) {
    const auto c = s.c[static_cast<std::size_t>(k)];
    e.g_min = s.se[0] * range;
    e.g_max = s.se[1] * range;
    e.c = s.se[2 + static_cast<std::size_t>(k)];
    e.dof = s.dof;
    e.t95 = t_quantile_975(s.dof);
    // a = 1/c: σ_a = σ_c / c²; NL(a) by its numerical derivative. A straight line (c ≈ 0) has no
    // finite a.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (std::abs(c) < 1e-9) {
        e.a = e.nl = nan;
        return;
    }
    const double a = 1.0 / c;
    e.a = e.c / (c * c);
    const double h = 1e-6 * std::abs(a);
    const double dnl = (nl_from_normalized_a(a + h) - nl_from_normalized_a(a - h)) / (2 * h);
    e.nl = std::abs(dnl) * e.a;
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
    set_errors(d.se, s, 0, hi - lo);
    return d;
}

}  // namespace

namespace {

// The conductance column's name: conductance_S, or conductance / G with a conductance unit in
// parentheses or brackets ("G (S)", "conductance [uS]"). Returns the unit's scale to siemens, 0
// when `header` is not a conductance column; throws when the unit is not a conductance.
double conductance_column(const std::string& header, const std::string& name, int lineno,
                          int column) {
    const auto k = lower(header);
    if (k == "conductance_s") return 1.0;
    const auto open = header.find_first_of("([");
    if (open == std::string::npos) return 0.0;
    const auto base = lower(trim(header.substr(0, open)));
    if (base != "g" && base != "conductance") return 0.0;
    const char close = header[open] == '(' ? ')' : ']';
    const auto end = header.find(close, open);
    const auto unit = trim(
        header.substr(open + 1, end == std::string::npos ? std::string::npos : end - open - 1));
    const char* expected = "expected a conductance unit: S, mS, uS or nS";
    if (end == std::string::npos || trim(header.substr(end + 1)) != "")
        throw config::Error(name, lineno, column, header,
                            fmt::format("malformed unit in the column name ({})", expected));
    try {
        const auto q = units::parse("1 " + unit);
        if (q.dim == units::conductance && q.value > 0) return q.value;
    } catch (const units::UnitError&) {
    }
    throw config::Error(name, lineno, column, header,
                        fmt::format("unit '{}' is not a conductance ({})", unit, expected));
}

}  // namespace

PulseData parse_pulse_data(const std::string& raw, const std::string& name) {
    PulseData out;
    out.name = name;
    std::string text = raw;
    // Spreadsheet exports: a UTF-8 byte-order mark, CRLF or (old Mac) CR line ends.
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    if (text.rfind("\xFF\xFE", 0) == 0 || text.rfind("\xFE\xFF", 0) == 0)
        throw config::Error(name, 1, 1, "",
                            "the file is UTF-16 text (expected UTF-8 or ASCII: save it as \"CSV "
                            "UTF-8\")");
    if (text.find('\n') == std::string::npos) std::replace(text.begin(), text.end(), '\r', '\n');
    std::istringstream in(text);
    std::string line;
    int lineno = 0;
    int col_phase = -1, col_pulse = -1, col_g = -1, col_cycle = -1;
    double g_scale = 1.0;
    std::size_t ncols = 0;
    bool header = false;
    char sep = ',';
    std::vector<std::string> names;  // header names, for messages
    while (std::getline(in, line)) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (trim(line).empty() || trim(line)[0] == '#') continue;
        if (!header) sep = detect_separator(line);
        const bool decimal_comma = sep != ',';
        auto f = split_fields(line, sep, name, lineno);
        if (!header) {
            for (std::size_t i = 0; i < f.size(); ++i) {
                const auto k = lower(f[i].text);
                const double scale = conductance_column(f[i].text, name, lineno, f[i].column);
                int* slot = k == "phase"   ? &col_phase
                            : k == "pulse" ? &col_pulse
                            : scale > 0    ? &col_g
                            : k == "cycle" ? &col_cycle
                                           : nullptr;
                if (!slot)
                    throw config::Error(name, lineno, f[i].column, f[i].text,
                                        "unknown column (expected phase, pulse, conductance_S "
                                        "(or \"G (S)\", \"G (uS)\", ...) and optionally cycle)");
                if (*slot >= 0)
                    throw config::Error(name, lineno, f[i].column, f[i].text, "column given twice");
                *slot = static_cast<int>(i);
                if (scale > 0) g_scale = scale;
                names.push_back(f[i].text);
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
            throw config::Error(
                name, lineno, 0, "",
                fmt::format("expected {} values separated by '{}', got {}{}", ncols,
                            sep == '\t' ? std::string("tab") : std::string(1, sep), f.size(),
                            sep == ',' && f.size() > ncols
                                ? " (a decimal comma needs ';' as the separator)"
                                : ""));
        PulsePoint p;
        p.line = lineno;
        auto field = [&](int col) -> const Field& { return f[static_cast<std::size_t>(col)]; };
        auto bad = [&](int col, const std::string& what) {
            return config::Error(name, lineno, field(col).column,
                                 names[static_cast<std::size_t>(col)], what);
        };
        const auto phase = lower(field(col_phase).text);
        if (phase != "ltp" && phase != "ltd")
            throw bad(col_phase, fmt::format("unknown phase '{}' (expected ltp or ltd)",
                                             field(col_phase).text));
        const auto& ps = field(col_pulse).text;
        if (!to_number(ps, p.pulse, decimal_comma))
            throw bad(col_pulse,
                      fmt::format("'{}' is not a number (expected the pulse count, e.g. 12)", ps));
        if (p.pulse < 0)
            throw bad(col_pulse, fmt::format("negative pulse number {} (expected 0 or more)", ps));
        const auto& gs = field(col_g).text;
        if (!to_number(gs, p.g, decimal_comma))
            throw bad(col_g, fmt::format("'{}' is not a number (expected a conductance{}{})", gs,
                                         g_scale == 1.0 ? " in S" : " in the column's unit",
                                         decimal_comma ? ""
                                                       : "; a decimal comma needs ';' as the "
                                                         "separator"));
        if (p.g < 0)
            throw bad(col_g, fmt::format("negative conductance {} (expected 0 or more)", gs));
        p.g *= g_scale;
        if (col_cycle >= 0) {
            double cy = 0;
            const auto& cs = field(col_cycle).text;
            if (!to_number(cs, cy, decimal_comma) || cy != std::floor(cy) || cy < 0)
                throw bad(col_cycle,
                          fmt::format("'{}' is not a non-negative whole number (expected the "
                                      "sweep's number, e.g. 0)",
                                      cs));
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

double t_quantile_975(int dof) {
    if (dof <= 0) return std::numeric_limits<double>::quiet_NaN();
    // Exact for 1 and 2 degrees of freedom (tan(π(p − 1/2)) and (2p − 1)·sqrt(2 / (1 − (2p − 1)²))
    // at p = 0.975); from 3 on the Cornish–Fisher expansion in 1/ν about the normal quantile
    // z = 1.959964 (Abramowitz & Stegun 26.7.5), within 0.2 % of the tabulated values (3.182 at
    // ν = 3, 2.228 at 10, 1.984 at 100).
    if (dof == 1) return 12.706204736;
    if (dof == 2) return 4.302652730;
    const double z = 1.959963985, v = dof;
    const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
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
    set_errors(up.se, s, 0, hi - lo);
    set_errors(down.se, s, 1, hi - lo);
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
