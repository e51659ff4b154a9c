#include "report/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "report/format.hpp"

namespace synbench::report::svg {

namespace {

// Font sizes (viewBox units; see kMinFont) and the frame of a chart.
constexpr double kFs = kMinFont;  // ticks, legend, bar labels
constexpr double kFsAxis = 14.5;  // axis titles
constexpr double kFsTitle = 15.5;
constexpr double kPlotH = 210;   // plot height of line and bar charts
constexpr double kMargin = 10;   // between the figure's edge and any text
constexpr double kScreen = 1.7;  // width attribute = viewBox × this, for screens

const char* kFont = "font-family=\"DejaVu Sans,Helvetica,Arial,sans-serif\"";

std::string num(double v) { return fmt::format("{:.2f}", v); }

std::size_t glyphs(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
    return n;
}

// The first `n` characters of a UTF-8 string.
std::string first_glyphs(const std::string& s, std::size_t n) {
    std::size_t i = 0, k = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (k == n) break;
            ++k;
        }
    }
    return s.substr(0, i);
}

// `s` shortened with "…" to at most `px` wide.
std::string fit(const std::string& s, double px, double fs) {
    if (text_width(s, fs) <= px) return s;
    std::size_t n = glyphs(s);
    while (n > 1 && text_width(first_glyphs(s, n - 1) + "…", fs) > px) --n;
    return first_glyphs(s, n > 1 ? n - 1 : 1) + "…";
}

// Words wrapped into lines at most `px` wide (a word too long for a line is shortened).
std::vector<std::string> wrap(const std::string& s, double px, double fs) {
    std::vector<std::string> lines;
    std::string cur;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto sp = s.find(' ', start);
        std::string w = s.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
        start = sp == std::string::npos ? s.size() + 1 : sp + 1;
        if (w.empty()) continue;
        std::string trial = cur.empty() ? w : cur + " " + w;
        if (text_width(trial, fs) <= px || cur.empty()) {
            cur = trial;
        } else {
            lines.push_back(cur);
            cur = w;
        }
    }
    if (!cur.empty()) lines.push_back(cur);
    for (auto& l : lines) l = fit(l, px, fs);
    if (lines.empty()) lines.emplace_back();
    return lines;
}

std::string text(double x, double y, double fs, const char* anchor, const std::string& s,
                 const std::string& extra = "") {
    return fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" {}{}>{}</text>\n", num(x),
        num(y), fs, anchor, kFont, extra, html_escape(s));
}

constexpr std::array<const char*, 11> kPrefix{"a", "f", "p", "n", "µ", "m", "", "k", "M", "G", "T"};

// The power of 1000 (−18 … 12) to show `v` with.
int exponent3(double v) {
    if (v == 0 || !std::isfinite(v)) return 0;
    int e = static_cast<int>(std::floor(std::log10(std::fabs(v)) / 3 + 1e-9)) * 3;
    return std::clamp(e, -18, 12);
}
const char* prefix(int e3) { return kPrefix[static_cast<std::size_t>((e3 + 18) / 3)]; }

// Labels for linear ticks: one scale for the axis, decimals from the step. With a unit, the
// prefixed unit is returned for the axis title (the ticks are plain numbers); without one, values
// that would need e-notation carry a prefix letter.
std::pair<std::vector<std::string>, std::string> linear_labels(const std::vector<double>& t,
                                                               const std::string& unit) {
    double m = 0;
    for (double v : t) m = std::max(m, std::fabs(v));
    int e3 = 0;
    if (!unit.empty() || m >= 1e4 || (m > 0 && m < 1e-2)) e3 = exponent3(m);
    double f = std::pow(10.0, e3);
    double step = t.size() > 1 ? (t[1] - t[0]) / f : 1;
    int dec = std::clamp(static_cast<int>(std::ceil(-std::log10(std::fabs(step)) - 1e-9)), 0, 6);
    std::vector<std::string> out;
    for (double v : t) {
        std::string s = fmt::format("{:.{}f}", v / f, dec);
        if (s.find_first_not_of("-0.") == std::string::npos) s = "0";
        if (unit.empty() && e3 != 0 && s != "0") s += prefix(e3);
        out.push_back(s);
    }
    return {out, unit.empty() ? std::string() : std::string(prefix(e3)) + unit};
}

// A log axis over [lo, hi] (values > 0): its decades, from the one at or below lo to the one at
// or above hi.
std::pair<int, int> decades(double lo, double hi) {
    int a = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
    int b = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
    if (b <= a) b = a + 1;
    return {a, b};
}

std::string decade_label(int d, const std::string& unit) { return si(std::pow(10.0, d), unit); }

// A value axis: maps data to one screen coordinate, linear or logarithmic.
struct Axis {
    double lo = 0, hi = 1;  // data range
    bool log = false;
    double a = 0, b = 1;  // screen range (a ↔ lo)
    double map(double v) const {
        if (log) {
            double l = std::log10(std::max(v, lo));
            return a + (l - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) * (b - a);
        }
        return a + (v - lo) / (hi - lo) * (b - a);
    }
};

struct Ticks {
    std::vector<double> at;  // data values
    std::vector<std::string> label;
    std::vector<double> minor;  // unlabelled grid lines (log axes: 2…9 × each decade)
    std::string unit_title;     // "(mJ)" part for the axis title ("" on log axes: in the ticks)
};

// Ticks for a value axis, about `target` of them; log axes label decades (every k-th when many).
Ticks make_ticks(Axis& ax, const std::string& unit, int target, bool log_decades_at_ends) {
    Ticks t;
    if (ax.log) {
        auto [a, b] = decades(ax.lo, ax.hi);
        if (log_decades_at_ends) ax.lo = std::pow(10.0, a), ax.hi = std::pow(10.0, b);
        int every = std::max(1, (b - a + target - 1) / target);
        for (int d = a; d <= b; ++d) {
            double v = std::pow(10.0, d);
            if (v < ax.lo * (1 - 1e-9) || v > ax.hi * (1 + 1e-9)) continue;
            if ((d - a) % every == 0) {
                t.at.push_back(v);
                t.label.push_back(decade_label(d, unit));
            } else {
                t.minor.push_back(v);
            }
            for (int k = 2; k <= 9; ++k)
                if (every == 1 && k * v <= ax.hi * (1 + 1e-9)) t.minor.push_back(k * v);
        }
        return t;
    }
    t.at = ticks(ax.lo, ax.hi, target);
    ax.lo = std::min(ax.lo, t.at.front());
    ax.hi = std::max(ax.hi, t.at.back());
    auto [labels, u] = linear_labels(t.at, unit);
    t.label = labels;
    if (!u.empty()) t.unit_title = " (" + u + ")";
    return t;
}

std::string open(const std::string& id, const std::string& title, std::size_t marks,
                 std::size_t series, double h, bool log) {
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-figure=\"{}\" "
        "data-marks=\"{}\" data-series=\"{}\" data-log=\"{}\" "
        "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
        "aria-label=\"{}\">\n<title>{}</title>\n"
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
        html_escape(id), marks, series, log ? "true" : "false", kWidth, num(h),
        num(kWidth * kScreen), num(h * kScreen), html_escape(title), html_escape(title), kWidth,
        num(h));
}

// Title lines from the top; returns the SVG and the y below them.
std::pair<std::string, double> title_block(const std::string& title) {
    std::string o;
    double y = kMargin + kFsTitle;
    for (const auto& l : wrap(title, kWidth - 2 * kMargin, kFsTitle)) {
        o += text(kMargin, y, kFsTitle, "start", l, " font-weight=\"600\"");
        y += kFsTitle * 1.25;
    }
    // Room under the last line for the top tick label, centred on the plot's top edge.
    return {o, y - kFsTitle * 1.25 + kFsTitle * 0.4 + kFs * 0.9};
}

// A legend flowing in rows under the chart from y; returns the SVG and the y below it.
std::pair<std::string, double> legend(const std::vector<std::string>& names, bool squares,
                                      double y) {
    std::string o;
    double x = kMargin, row = kFs * 1.45;
    y += kFs;
    const double max_text = kWidth - 2 * kMargin - 22;
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::string shown = fit(names[i], max_text, kFs);
        double w = 22 + text_width(shown, kFs) + 16;
        if (x > kMargin && x + w - 16 > kWidth - kMargin) x = kMargin, y += row;
        if (squares)
            o += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n",
                             num(x), num(y - 11), color(i));
        else
            o += fmt::format(
                "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" "
                "stroke-width=\"2.5\"/>\n",
                num(x), num(x + 16), num(y - 5), num(y - 5), color(i));
        o += fmt::format(
            "<text class=\"legend\" x=\"{}\" y=\"{}\" font-size=\"{}\" "
            "{}><title>{}</title>{}</text>\n",
            num(x + 22), num(y), kFs, kFont, html_escape(names[i]), html_escape(shown));
        x += w;
    }
    return {o, y + kFs * 0.6};
}

// The y axis: grid, tick labels left of x0, the title rotated at the left edge.
std::string y_axis(const Axis& ay, const Ticks& t, double x0, double x1,
                   const std::vector<std::string>& ytitle) {
    std::string o;
    for (double v : t.minor)
        o += fmt::format(
            "<line class=\"grid minor\" x1=\"{0}\" x2=\"{2}\" y1=\"{1}\" y2=\"{1}\" "
            "stroke=\"#f0f0f0\"/>\n",
            num(x0), num(ay.map(v)), num(x1));
    for (std::size_t i = 0; i < t.at.size(); ++i) {
        double y = ay.map(t.at[i]);
        o += fmt::format(
            "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e0e0e0\"/>\n",
            num(x0), num(x1), num(y), num(y));
        o += text(x0 - 5, y + kFs * 0.35, kFs, "end", t.label[i], " class=\"tick\"");
    }
    double mid = (ay.a + ay.b) / 2;
    for (std::size_t i = 0; i < ytitle.size(); ++i)
        o += fmt::format(
            "<text transform=\"translate({},{}) rotate(-90)\" font-size=\"{}\" "
            "text-anchor=\"middle\" {}>{}</text>\n",
            num(kMargin + kFsAxis * (0.85 + 1.2 * static_cast<double>(i))), num(mid), kFsAxis,
            kFont, html_escape(ytitle[i]));
    return o;
}

// The x axis title centred at cx below y, wrapped to stay inside the figure; returns the new y.
double x_title(std::string& o, const std::string& title, double cx, double y) {
    double half = std::min(cx - kMargin, kWidth - kMargin - cx);
    for (const auto& l : wrap(title, 2 * half, kFsAxis)) {
        y += kFsAxis * 1.2;
        o += text(cx, y, kFsAxis, "middle", l);
    }
    return y;
}

double widest(const std::vector<std::string>& s, double fs) {
    double w = 0;
    for (const auto& x : s) w = std::max(w, text_width(x, fs));
    return w;
}

// Left edge of the plot: room for the y title lines and the widest tick label.
double plot_left(const std::vector<std::string>& ytitle, const Ticks& t) {
    return kMargin + kFsAxis * 1.2 * static_cast<double>(ytitle.size()) + 4 + widest(t.label, kFs) +
           6;
}

// Tick positions and labels that do not collide: every k-th, k chosen from the widest label.
std::size_t label_every(const std::vector<std::string>& labels, double spacing) {
    double w = widest(labels, kFs) + 8;
    return std::max<std::size_t>(1,
                                 static_cast<std::size_t>(std::ceil(w / std::max(spacing, 1.0))));
}

// Data range of values, NaN-free.
std::pair<double, double> range_of(const std::vector<double>& v) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double x : v)
        if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    return {lo, hi};
}

}  // namespace

double text_width(const std::string& s, double fs) {
    // DejaVu Sans (what Debian's Chromium and rsvg-convert use) averages ≈ 0.6 em; capitals and
    // digits are wider, so count those at 0.7 em.
    double w = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char ch = static_cast<unsigned char>(s[i]);
        if ((ch & 0xC0) == 0x80) continue;
        if ((ch >= 'A' && ch <= 'Z') || ch == 'm' || ch == 'w' || ch == 'M' || ch == 'W')
            w += 0.78;
        else if (ch >= '0' && ch <= '9')
            w += 0.66;
        else if (ch == ' ' || ch == '.' || ch == ',' || ch == ':' || ch == 'i' || ch == 'l' ||
                 ch == '|' || ch == '\'' || ch == '(' || ch == ')' || ch == '/' || ch == 'j' ||
                 ch == 't' || ch == 'f' || ch == 'r')
            w += 0.42;
        else
            w += 0.64;
    }
    return w * fs;
}

std::string si(double v, const std::string& unit, int significant) {
    if (v == 0) return unit.empty() ? "0" : "0 " + unit;
    int e3 = exponent3(v);
    double m = v / std::pow(10.0, e3);
    std::string s = fmt::format("{:.{}g}", m, significant);
    if (s.find('e') != std::string::npos) s = fmt::format("{:.0f}", m);
    std::string p = prefix(e3);
    if (unit.empty()) return s + p;
    return s + " " + p + unit;
}

const char* color(std::size_t i) {
    static constexpr std::array<const char*, 8> c{"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                  "#E69F00", "#56B4E9", "#000000", "#F0E442"};
    return c[i % c.size()];
}

std::vector<double> ticks(double lo, double hi, int target) {
    std::vector<double> out;
    if (!(hi > lo)) return {lo};
    double raw = (hi - lo) / std::max(1, target);
    double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double n = raw / mag;
    double step = (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
        out.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
    return out;
}

bool wants_log_x(const std::vector<double>& x) {
    if (x.empty()) return false;
    double lo = std::numeric_limits<double>::infinity(), hi = 0;
    for (double v : x) {
        if (!(v > 0)) return false;
        lo = std::min(lo, v), hi = std::max(hi, v);
    }
    return hi >= 100 * lo;
}

bool wants_log(const std::vector<std::vector<double>>& groups) {
    double small = std::numeric_limits<double>::infinity(), big = 0;
    bool any = false;
    for (const auto& g : groups) {
        if (g.empty()) continue;
        double peak = 0;
        for (double v : g) {
            if (!(v > 0) || !std::isfinite(v)) return false;
            peak = std::max(peak, v);
        }
        small = std::min(small, peak), big = std::max(big, peak);
        any = true;
    }
    return any && big >= kLogRatio * small;
}

std::string line_chart(const LineChart& c) {
    // A logarithmic x axis is drawn as a linear one over log10(x); data-x keeps the value itself.
    std::vector<double> xs, ys, lows;
    std::size_t marks = 0;
    bool nonneg = true;
    for (const auto& s : c.series) {
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            double e = i < s.err.size() ? s.err[i] : 0;
            xs.push_back(s.x[i]);
            ys.push_back(s.y[i] + e);
            ys.push_back(s.y[i]);
            if (!c.log_y) ys.push_back(s.y[i] - e);
            nonneg = nonneg && s.y[i] >= 0;
        }
        marks += s.x.size();
    }
    auto [ylo, yhi] = range_of(ys);
    auto [xlo, xhi] = range_of(xs);
    Axis ay;
    ay.log = c.log_y && ylo > 0;
    if (!std::isfinite(ylo)) ylo = 0, yhi = 1;
    if (ay.log) {
        ay.lo = ylo, ay.hi = yhi;
    } else {
        bool near_zero = ylo >= 0 && ylo < 0.5 * yhi;
        if (near_zero) ylo = 0;
        if (yhi == ylo) {
            double d = yhi == 0 ? 1 : std::fabs(yhi) * 0.1;
            ylo -= d, yhi += d;
        }
        if (nonneg) ylo = std::max(0.0, ylo);  // an energy axis never goes negative
        ay.lo = c.y_min.value_or(ylo), ay.hi = c.y_max.value_or(yhi);
    }
    Ticks yt = make_ticks(ay, c.y_unit, 5, true);
    if (!ay.log && c.y_min) ay.lo = *c.y_min;
    if (!ay.log && c.y_max) ay.hi = *c.y_max;

    Axis ax;
    ax.log = c.log_x && xlo > 0;
    if (!std::isfinite(xlo)) xlo = 0, xhi = 1;
    if (xhi == xlo) xlo -= ax.log ? xlo * 0.5 : 1, xhi += ax.log ? xhi : 1;
    ax.lo = xlo, ax.hi = xhi;
    Ticks xt;
    if (ax.log) {
        xt = make_ticks(ax, c.x_unit, 8, false);
        ax.lo = xlo, ax.hi = xhi;
    } else {
        xt.at = ticks(xlo, xhi, std::min(6, std::max(1, static_cast<int>(xhi - xlo))));
        auto [labels, u] = linear_labels(xt.at, c.x_unit);
        xt.label = labels;
        if (!u.empty()) xt.unit_title = " (" + u + ")";
        std::vector<double> at;  // within the data range
        std::vector<std::string> lab;
        for (std::size_t i = 0; i < xt.at.size(); ++i)
            if (xt.at[i] >= xlo - 1e-9 * std::fabs(xhi - xlo) &&
                xt.at[i] <= xhi + 1e-9 * std::fabs(xhi - xlo))
                at.push_back(xt.at[i]), lab.push_back(xt.label[i]);
        xt.at = at, xt.label = lab;
    }

    auto [head, top] = title_block(c.title);
    auto ytitle = wrap(c.ylabel + yt.unit_title + (ay.log ? " (log scale)" : ""), kPlotH, kFsAxis);
    double x0 = plot_left(ytitle, yt);
    double last_half = xt.label.empty() ? 0 : text_width(xt.label.back(), kFs) / 2;
    double x1 = kWidth - std::max(kMargin + 4, last_half + kMargin);
    ay.a = top + kPlotH, ay.b = top;
    ax.a = x0, ax.b = x1;

    std::string body;
    body += y_axis(ay, yt, x0, x1, ytitle);
    {
        double spacing = xt.at.size() > 1 ? std::fabs(ax.map(xt.at[1]) - ax.map(xt.at[0])) : 1e9;
        std::size_t every = label_every(xt.label, spacing);
        for (std::size_t i = 0; i < xt.at.size(); i += every)
            body += text(ax.map(xt.at[i]), top + kPlotH + kFs + 4, kFs, "middle", xt.label[i],
                         " class=\"tick\"");
    }
    body += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>\n",
        num(x0), num(top), num(x1 - x0), num(kPlotH));
    double y = x_title(body, c.xlabel + xt.unit_title + (ax.log ? " (log scale)" : ""),
                       (x0 + x1) / 2, top + kPlotH + kFs + 8);
    auto yv = [&](double v) { return ay.map(std::clamp(v, ay.lo, ay.hi)); };
    for (std::size_t si_ = 0; si_ < c.series.size(); ++si_) {
        const auto& s = c.series[si_];
        if (!s.err.empty()) {  // a ± band, clipped to the axis
            std::string pts;
            for (std::size_t i = 0; i < s.x.size(); ++i)
                pts += num(ax.map(s.x[i])) + "," + num(yv(s.y[i] + s.err[i])) + " ";
            for (std::size_t i = s.x.size(); i-- > 0;)
                pts += num(ax.map(s.x[i])) + "," + num(yv(s.y[i] - s.err[i])) + " ";
            body += fmt::format(
                "<polygon class=\"band\" points=\"{}\" fill=\"{}\" fill-opacity=\"0.18\" "
                "stroke=\"none\"/>\n",
                pts, color(si_));
        }
        if (c.lines && !s.points_only && s.x.size() > 1) {
            std::string pts;
            for (std::size_t i = 0; i < s.x.size(); ++i)
                pts += num(ax.map(s.x[i])) + "," + num(yv(s.y[i])) + " ";
            body += fmt::format(
                "<polyline class=\"line\" data-series=\"{}\" points=\"{}\" fill=\"none\" "
                "stroke=\"{}\" stroke-width=\"2\"/>\n",
                si_, pts, color(si_));
        }
        double r = s.x.size() > 60 ? 1.8 : 3.2;
        for (std::size_t i = 0; i < s.x.size(); ++i)
            body += fmt::format(
                "<circle class=\"pt\" data-series=\"{}\" data-x=\"{}\" data-y=\"{}\" cx=\"{}\" "
                "cy=\"{}\" r=\"{}\" fill=\"{}\">"
                "<title>{}: {} → {}</title></circle>\n",
                si_, exact(s.x[i]), exact(s.y[i]), num(ax.map(s.x[i])), num(yv(s.y[i])), r,
                color(si_), html_escape(i < s.labels.size() ? s.labels[i] : s.name),
                si(s.x[i], c.x_unit, 4), si(s.y[i], c.y_unit, 4));
    }
    std::vector<std::string> names;
    for (const auto& s : c.series) names.push_back(s.name);
    auto [leg, bottom] = legend(names, false, y + 4);
    return open(c.id, c.title, marks, c.series.size(), bottom + kMargin, ay.log) + head + body +
           leg + "</svg>";
}

std::string stacked_bars(const StackedBars& c) {
    std::size_t n = c.categories.size();
    double top_v = 0;
    for (std::size_t k = 0; k < n; ++k) {
        double sum = 0;
        for (const auto& seg : c.values) sum += std::max(0.0, seg[k]);
        top_v = std::max(top_v, sum);
    }
    Axis ay;
    ay.lo = 0, ay.hi = top_v > 0 ? top_v : 1;
    Ticks yt = make_ticks(ay, "", 5, true);
    std::size_t marks = 0;
    for (const auto& seg : c.values)
        for (double v : seg) marks += v > 0 ? 1 : 0;
    auto [head, top] = title_block(c.title);
    auto ytitle = wrap(c.ylabel, kPlotH, kFsAxis);
    double x0 = plot_left(ytitle, yt), x1 = kWidth - kMargin - 4;
    ay.a = top + kPlotH, ay.b = top;
    std::string body = y_axis(ay, yt, x0, x1, ytitle);
    double slot = (x1 - x0) / std::max<double>(1, static_cast<double>(n));
    double bw = std::max(1.0, slot * 0.72);
    std::size_t every = label_every(c.categories, slot);
    for (std::size_t k = 0; k < n; ++k) {
        double base = 0, x = x0 + slot * static_cast<double>(k) + (slot - bw) / 2;
        for (std::size_t s = 0; s < c.values.size(); ++s) {
            double v = c.values[s][k];
            if (!(v > 0)) continue;
            double ya = ay.map(base), yb = ay.map(base + v);
            body += fmt::format(
                "<rect class=\"bar\" data-series=\"{}\" data-category=\"{}\" data-value=\"{}\" "
                "x=\"{}\" y=\"{}\" width=\"{}\" "
                "height=\"{}\" fill=\"{}\"><title>{} {}: {:.4g}</title></rect>\n",
                s, html_escape(c.categories[k]), exact(v), num(x), num(yb), num(bw),
                num(std::max(0.01, ya - yb)), color(s), html_escape(c.categories[k]),
                html_escape(c.segments[s]), v);
            base += v;
        }
        // Every k-th label, the last one only when it keeps clear of the one before.
        bool last_fits = k + 1 == n && (k % every) * slot >= widest(c.categories, kFs) + 8;
        if (k % every == 0 || last_fits)
            body += text(x + bw / 2, top + kPlotH + kFs + 4, kFs, "middle", c.categories[k],
                         " class=\"tick\"");
    }
    body += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>\n",
        num(x0), num(top), num(x1 - x0), num(kPlotH));
    double y = x_title(body, c.xlabel, (x0 + x1) / 2, top + kPlotH + kFs + 8);
    auto [leg, bottom] = legend(c.segments, true, y + 4);
    return open(c.id, c.title, marks, c.segments.size(), bottom + kMargin, false) + head + body +
           leg + "</svg>";
}

std::string hbars(const HBars& c) {
    std::size_t n = c.labels.size();
    std::vector<double> hi_each;
    double hi = 0, lo_pos = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
        double v = c.values[i] + (i < c.err.size() ? c.err[i] : 0);
        hi = std::max(hi, v);
        if (c.values[i] > 0) lo_pos = std::min(lo_pos, c.values[i]);
    }
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < n; ++i)
        texts.push_back(i < c.texts.size() ? c.texts[i] : si(c.values[i], c.unit, 4));
    auto [head, top] = title_block(c.title);
    // Columns: labels | bars | value texts; each as wide as its widest text, within limits.
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < n; ++i) {
        labels.push_back(c.labels[i]);  // depth shows as a lighter bar (indent)
    }
    // Labels beside the bars when labels, texts and a third of the width for the bars fit;
    // otherwise each label on its own line above its bar, with the whole width.
    const double full = kWidth - 2 * kMargin;
    const bool above = widest(labels, kFs) + widest(texts, kFs) + 14 > full - kWidth / 3;
    double label_w = above ? full : std::min(widest(labels, kFs), kWidth * 0.36);
    double text_w =
        std::min(widest(texts, kFs), full - (above ? 0 : label_w + 8) - 6 - kWidth * 0.3);
    double plot_l = above ? kMargin + 16 : kMargin + label_w + 8,
           plot_r = kWidth - kMargin - text_w - 6;
    Axis ax;
    ax.log = c.log && lo_pos > 0 && std::isfinite(lo_pos);
    if (ax.log)
        ax.lo = lo_pos, ax.hi = hi;
    else
        ax.lo = 0, ax.hi = hi > 0 ? hi * 1.05 : 1;
    int target = std::max(2, static_cast<int>((plot_r - plot_l) / 70));
    Ticks xt = make_ticks(ax, c.unit, target, true);
    if (above && !xt.label.empty())  // the first tick label stays inside the figure
        plot_l = std::max(plot_l, kMargin + text_width(xt.label.front(), kFs) / 2 + 2);
    ax.a = plot_l, ax.b = plot_r;
    const double label_h = above ? kFs * 1.25 : 0;  // a label line above each bar
    double slot = std::max(kFs * 1.9, 26.0) + label_h;
    double bottom = top + slot * static_cast<double>(n);
    std::string body;
    for (double t : xt.minor)
        body += fmt::format(
            "<line class=\"grid minor\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" "
            "stroke=\"#f0f0f0\"/>\n",
            num(ax.map(t)), num(top), num(bottom));
    std::size_t every = label_every(
        xt.label, xt.at.size() > 1 ? std::fabs(ax.map(xt.at[1]) - ax.map(xt.at[0])) : 1e9);
    for (std::size_t i = 0; i < xt.at.size(); ++i) {
        body += fmt::format(
            "<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" "
            "stroke=\"#e0e0e0\"/>\n",
            num(ax.map(xt.at[i])), num(top), num(bottom));
        bool last_clear = i + 1 == xt.at.size() &&
                          text_width(xt.label[i], kFs) / 2 + ax.map(xt.at[i]) <= kWidth - kMargin;
        if (i % every == 0 && (i + 1 < xt.at.size() || last_clear))
            body += text(ax.map(xt.at[i]), bottom + kFs + 4, kFs, "middle", xt.label[i],
                         " class=\"tick\"");
    }
    for (std::size_t i = 0; i < n; ++i) {
        double bar_slot = slot - label_h;
        double y = top + slot * static_cast<double>(i) + label_h + bar_slot * 0.15,
               bh = bar_slot * 0.7;
        int ind = i < c.indent.size() ? c.indent[i] : 0;
        std::size_t col = i < c.colors.size() ? static_cast<std::size_t>(c.colors[i]) : i;
        std::string shown = fit(labels[i], above ? kWidth - kMargin - plot_l - 4 : label_w, kFs);
        if (above)  // right of the axis, with a white halo over the grid lines
            body += fmt::format(
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\" stroke=\"#ffffff\" "
                "stroke-width=\"4\" paint-order=\"stroke\" {}><title>{}</title>{}</text>\n",
                num(plot_l + 4), num(y - bar_slot * 0.15 - kFs * 0.3), kFs, kFont,
                html_escape(c.labels[i]), html_escape(shown));
        else
            body += fmt::format(
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"end\" "
                "{}><title>{}</title>{}</text>\n",
                num(plot_l - 8), num(y + bh / 2 + kFs * 0.35), kFs, kFont, html_escape(c.labels[i]),
                html_escape(shown));
        double end = c.values[i] > 0 || !ax.log ? ax.map(c.values[i]) : plot_l;
        body += fmt::format(
            "<rect class=\"bar\" data-series=\"0\" data-category=\"{}\" data-value=\"{}\" x=\"{}\" "
            "y=\"{}\" width=\"{}\" "
            "height=\"{}\" fill=\"{}\" fill-opacity=\"{}\"><title>{}: {}</title></rect>\n",
            html_escape(c.labels[i]), exact(c.values[i]), num(plot_l), num(y),
            num(std::max(0.5, end - plot_l)), num(bh), color(col), ind > 0 ? "0.65" : "1",
            html_escape(c.labels[i]), html_escape(texts[i]));
        if (i < c.err.size() && c.err[i] > 0) {
            double a = ax.map(std::max(c.values[i] - c.err[i], ax.lo)),
                   b = ax.map(c.values[i] + c.err[i]);
            body += fmt::format(
                "<line class=\"err\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#222\" "
                "stroke-width=\"1.5\"/>\n",
                num(a), num(b), num(y + bh / 2));
            end = std::max(end, b);
        }
        body +=
            fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"{}\" {}><title>{}</title>{}</text>\n",
                        num(end + 5), num(y + bh / 2 + kFs * 0.35), kFs, kFont,
                        html_escape(texts[i]), html_escape(fit(texts[i], text_w, kFs)));
    }
    body += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#444\"/>\n",
                        num(plot_l), num(top), num(bottom));
    double y = x_title(body, c.xlabel + xt.unit_title + (ax.log ? " (log scale)" : ""),
                       (plot_l + plot_r) / 2, bottom + kFs + 8);
    return open(c.id, c.title, n, 1, y + kMargin, ax.log) + head + body + "</svg>";
}

}  // namespace synbench::report::svg
