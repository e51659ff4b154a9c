#include "report/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "report/format.hpp"

namespace synbench::report::svg {

namespace {

constexpr double kW = 720, kH = 400;
constexpr double kLeft = 78, kRight = 215, kTop = 40,
                 kBottom = 56;  // right margin holds the legend

const char* kFont = "font-family=\"system-ui,Helvetica,Arial,sans-serif\"";

std::string num(double v) { return fmt::format("{:.2f}", v); }

std::string tick_label(double v, double step) {
    if (v == 0) return "0";
    double a = std::fabs(step);
    if (a >= 1 && std::fabs(v) < 1e6) return fmt::format("{:.0f}", v);
    int dec = std::clamp(static_cast<int>(std::ceil(-std::log10(a) - 1e-9)), 0, 6);
    if (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-4) return fmt::format("{:.3g}", v);
    return fmt::format("{:.{}f}", v, dec);
}

struct Frame {
    double x0, x1, y0, y1;  // data ranges
    double px(double x) const { return kLeft + (x - x0) / (x1 - x0) * (kW - kLeft - kRight); }
    double py(double y) const {
        return kH - kBottom - (y - y0) / (y1 - y0) * (kH - kTop - kBottom);
    }
};

std::string open(const std::string& id, const std::string& title, std::size_t marks,
                 std::size_t series) {
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-figure=\"{}\" "
        "data-marks=\"{}\" data-series=\"{}\" "
        "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
        "aria-label=\"{}\">\n<title>{}</title>\n"
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n"
        "<text x=\"{}\" y=\"24\" font-size=\"15\" font-weight=\"600\" {}>{}</text>\n",
        html_escape(id), marks, series, kW, kH, kW, kH, html_escape(title), html_escape(title), kW,
        kH, kLeft, kFont, html_escape(title));
}

// Axes, grid, tick labels and axis titles. `xt` may be empty (category axes draw their own).
std::string axes(const Frame& f, const std::vector<double>& xt, const std::vector<double>& yt,
                 const std::string& xl, const std::string& yl, bool log_x = false) {
    std::string o;
    double ystep = yt.size() > 1 ? yt[1] - yt[0] : 1, xstep = xt.size() > 1 ? xt[1] - xt[0] : 1;
    for (double t : yt) {
        o += fmt::format(
            "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e6e6e6\"/>\n",
            kLeft, num(kW - kRight), num(f.py(t)), num(f.py(t)));
        o += fmt::format(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" {}>{}</text>\n",
            kLeft - 6, num(f.py(t) + 4), kFont, tick_label(t, ystep));
    }
    for (double t : xt)
        o += fmt::format(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" {}>{}</text>\n",
            num(f.px(t)), num(kH - kBottom + 16), kFont,
            log_x ? fmt::format("{:g}", std::pow(10.0, t)) : tick_label(t, xstep));
    o += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>\n",
        kLeft, kTop, num(kW - kLeft - kRight), num(kH - kTop - kBottom));
    o += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" {}>{}</text>\n",
        num(kLeft + (kW - kLeft - kRight) / 2), num(kH - 14), kFont, html_escape(xl));
    o += fmt::format(
        "<text transform=\"translate(18,{}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\" "
        "{}>{}</text>\n",
        num(kTop + (kH - kTop - kBottom) / 2), kFont, html_escape(yl));
    return o;
}

std::string legend(const std::vector<std::string>& names, bool squares) {
    std::string o;
    double x = kW - kRight + 14, y = kTop + 8;
    for (std::size_t i = 0; i < names.size(); ++i, y += 18) {
        if (squares)
            o += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n",
                             num(x), num(y - 9), color(i));
        else
            o += fmt::format(
                "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" "
                "stroke-width=\"2.5\"/>\n",
                num(x), num(x + 14), num(y - 3), num(y - 3), color(i));
        // Long names are shortened to fit beside the plot; the full name is the tooltip.
        std::string shown = names[i];
        if (shown.size() > 30) {
            std::size_t cut = 29;
            while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80)
                --cut;  // not inside a UTF-8 character
            shown = shown.substr(0, cut) + "…";
        }
        o += fmt::format(
            "<text class=\"legend\" x=\"{}\" y=\"{}\" font-size=\"11\" "
            "{}><title>{}</title>{}</text>\n",
            num(x + 19), num(y + 1), kFont, html_escape(names[i]), html_escape(shown));
    }
    return o;
}

std::pair<double, double> padded(double lo, double hi, bool zero) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
    if (zero) lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);
    if (hi == lo) {
        double d = hi == 0 ? 1 : std::fabs(hi) * 0.1;
        return {lo - d, hi + d};
    }
    return {lo, hi};
}

}  // namespace

const char* color(std::size_t i) {
    static constexpr std::array<const char*, 8> c{"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                  "#E69F00", "#56B4E9", "#000000", "#F0E442"};
    return c[i % c.size()];
}

std::vector<double> ticks(double lo, double hi, int target) {
    std::vector<double> out;
    if (!(hi > lo)) return {lo};
    double raw = (hi - lo) / target;
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

std::string line_chart(const LineChart& c) {
    // A logarithmic x axis is drawn as a linear one over log10(x); data-x keeps the value itself.
    auto X = [&](double x) { return c.log_x ? std::log10(x) : x; };
    double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
    std::size_t marks = 0;
    for (const auto& s : c.series) {
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            double e = i < s.err.size() ? s.err[i] : 0;
            xlo = std::min(xlo, X(s.x[i])), xhi = std::max(xhi, X(s.x[i]));
            ylo = std::min(ylo, s.y[i] - e), yhi = std::max(yhi, s.y[i] + e);
        }
        marks += s.x.size();
    }
    auto [x0, x1] = padded(xlo, xhi, false);
    bool near_zero = std::isfinite(ylo) && ylo >= 0 && ylo < 0.5 * yhi;
    auto [y0, y1] = padded(ylo, yhi, near_zero);
    auto yt = ticks(c.y_min.value_or(y0), c.y_max.value_or(y1));
    Frame f{x0, x1, c.y_min.value_or(std::min(y0, yt.front())),
            c.y_max.value_or(std::max(y1, yt.back()))};
    auto xt =
        c.log_x ? ticks(std::floor(x0), std::ceil(x1),
                        std::max(1, std::min(8, static_cast<int>(std::ceil(x1) - std::floor(x0)))))
                : ticks(x0, x1, std::min(8, std::max(1, static_cast<int>(x1 - x0))));
    if (c.log_x) {
        std::vector<double> in;  // decades within the frame
        for (double t : xt)
            if (t >= x0 - 1e-9 && t <= x1 + 1e-9 && std::fabs(t - std::round(t)) < 1e-9)
                in.push_back(t);
        xt = in;
    }
    std::string o = open(c.id, c.title, marks, c.series.size());
    o += axes(f, xt, ticks(f.y0, f.y1), c.xlabel + (c.log_x ? " (log scale)" : ""), c.ylabel,
              c.log_x);
    for (std::size_t si = 0; si < c.series.size(); ++si) {
        const auto& s = c.series[si];
        if (!s.err.empty()) {  // a ± band
            std::string pts;
            for (std::size_t i = 0; i < s.x.size(); ++i)
                pts += num(f.px(X(s.x[i]))) + "," + num(f.py(s.y[i] + s.err[i])) + " ";
            for (std::size_t i = s.x.size(); i-- > 0;)
                pts += num(f.px(X(s.x[i]))) + "," + num(f.py(s.y[i] - s.err[i])) + " ";
            o += fmt::format(
                "<polygon class=\"band\" points=\"{}\" fill=\"{}\" fill-opacity=\"0.18\" "
                "stroke=\"none\"/>\n",
                pts, color(si));
        }
        if (c.lines && !s.points_only && s.x.size() > 1) {
            std::string pts;
            for (std::size_t i = 0; i < s.x.size(); ++i)
                pts += num(f.px(X(s.x[i]))) + "," + num(f.py(s.y[i])) + " ";
            o += fmt::format(
                "<polyline class=\"line\" data-series=\"{}\" points=\"{}\" fill=\"none\" "
                "stroke=\"{}\" stroke-width=\"2\"/>\n",
                si, pts, color(si));
        }
        double r = s.x.size() > 60 ? 1.8 : 3.2;
        for (std::size_t i = 0; i < s.x.size(); ++i)
            o += fmt::format(
                "<circle class=\"pt\" data-series=\"{}\" data-x=\"{}\" data-y=\"{}\" cx=\"{}\" "
                "cy=\"{}\" r=\"{}\" fill=\"{}\">"
                "<title>{}: {} → {}</title></circle>\n",
                si, exact(s.x[i]), exact(s.y[i]), num(f.px(X(s.x[i]))), num(f.py(s.y[i])), r,
                color(si), html_escape(i < s.labels.size() ? s.labels[i] : s.name),
                c.log_x ? fmt::format("{:.4g}", s.x[i]) : tick_label(s.x[i], 1),
                fmt::format("{:.4g}", s.y[i]));
    }
    std::vector<std::string> names;
    for (const auto& s : c.series) names.push_back(s.name);
    o += legend(names, false);
    return o + "</svg>";
}

std::string stacked_bars(const StackedBars& c) {
    std::size_t n = c.categories.size();
    double top = 0;
    for (std::size_t k = 0; k < n; ++k) {
        double sum = 0;
        for (const auto& seg : c.values) sum += std::max(0.0, seg[k]);
        top = std::max(top, sum);
    }
    auto yt = ticks(0, top > 0 ? top : 1);
    Frame f{0, static_cast<double>(n), 0, std::max(top > 0 ? top : 1, yt.back())};
    std::size_t marks = 0;
    for (const auto& seg : c.values)
        for (double v : seg) marks += v > 0 ? 1 : 0;
    std::string o = open(c.id, c.title, marks, c.segments.size());
    o += axes(f, {}, yt, c.xlabel, c.ylabel);
    double slot = (kW - kLeft - kRight) / std::max<double>(1, static_cast<double>(n));
    double bw = std::max(1.0, slot * 0.72);
    std::size_t every = std::max<std::size_t>(1, (n + 11) / 12);
    for (std::size_t k = 0; k < n; ++k) {
        double base = 0, x = kLeft + slot * static_cast<double>(k) + (slot - bw) / 2;
        for (std::size_t s = 0; s < c.values.size(); ++s) {
            double v = c.values[s][k];
            if (!(v > 0)) continue;
            double ya = f.py(base), yb = f.py(base + v);
            o += fmt::format(
                "<rect class=\"bar\" data-series=\"{}\" data-category=\"{}\" data-value=\"{}\" "
                "x=\"{}\" y=\"{}\" width=\"{}\" "
                "height=\"{}\" fill=\"{}\"><title>{} {}: {:.4g}</title></rect>\n",
                s, html_escape(c.categories[k]), exact(v), num(x), num(yb), num(bw),
                num(std::max(0.01, ya - yb)), color(s), html_escape(c.categories[k]),
                html_escape(c.segments[s]), v);
            base += v;
        }
        if (k % every == 0 || k + 1 == n)
            o += fmt::format(
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" {}>{}</text>\n",
                num(x + bw / 2), num(kH - kBottom + 16), kFont, html_escape(c.categories[k]));
    }
    o += legend(c.segments, true);
    return o + "</svg>";
}

std::string hbars(const HBars& c) {
    std::size_t n = c.labels.size();
    double hi = 0;
    for (std::size_t i = 0; i < n; ++i)
        hi = std::max(hi, c.values[i] + (i < c.err.size() ? c.err[i] : 0));
    auto xt = ticks(0, hi > 0 ? hi * 1.15 : 1);
    double label_w = 170;
    double h = std::max(150.0, kTop + 30.0 * static_cast<double>(n) + kBottom);
    double plot_l = label_w + 10, plot_r = kW - 40;
    double xmax = std::max(hi > 0 ? hi * 1.15 : 1, xt.back());
    auto px = [&](double v) { return plot_l + v / xmax * (plot_r - plot_l); };
    std::string o = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-figure=\"{}\" "
        "data-marks=\"{}\" data-series=\"1\" "
        "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
        "aria-label=\"{}\">\n<title>{}</title>\n"
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n"
        "<text x=\"{}\" y=\"24\" font-size=\"15\" font-weight=\"600\" {}>{}</text>\n",
        html_escape(c.id), n, kW, num(h), kW, num(h), html_escape(c.title), html_escape(c.title),
        kW, num(h), plot_l, kFont, html_escape(c.title));
    double bottom = h - kBottom;
    double step = xt.size() > 1 ? xt[1] - xt[0] : 1;
    for (double t : xt) {
        o += fmt::format(
            "<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" "
            "stroke=\"#e6e6e6\"/>\n",
            num(px(t)), kTop, num(bottom));
        o += fmt::format(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" {}>{}</text>\n",
            num(px(t)), num(bottom + 16), kFont, tick_label(t, step));
    }
    double slot = (bottom - kTop) / std::max<double>(1, static_cast<double>(n));
    for (std::size_t i = 0; i < n; ++i) {
        double y = kTop + slot * static_cast<double>(i) + slot * 0.15, bh = slot * 0.7;
        int ind = i < c.indent.size() ? c.indent[i] : 0;
        std::size_t col = i < c.colors.size() ? static_cast<std::size_t>(c.colors[i]) : i;
        o += fmt::format(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" {}>{}</text>\n",
            num(label_w - 0.0), num(y + bh / 2 + 4), kFont, html_escape(c.labels[i]));
        o += fmt::format(
            "<rect class=\"bar\" data-series=\"0\" data-category=\"{}\" data-value=\"{}\" x=\"{}\" "
            "y=\"{}\" width=\"{}\" "
            "height=\"{}\" fill=\"{}\" fill-opacity=\"{}\"><title>{}: {}</title></rect>\n",
            html_escape(c.labels[i]), exact(c.values[i]), num(plot_l), num(y),
            num(std::max(0.5, px(c.values[i]) - plot_l)), num(bh), color(col),
            ind > 0 ? "0.65" : "1", html_escape(c.labels[i]),
            i < c.texts.size() ? html_escape(c.texts[i]) : fmt::format("{:.4g}", c.values[i]));
        double end = px(c.values[i]);
        if (i < c.err.size() && c.err[i] > 0) {
            double a = px(c.values[i] - c.err[i]), b = px(c.values[i] + c.err[i]);
            o += fmt::format(
                "<line class=\"err\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#222\" "
                "stroke-width=\"1.5\"/>\n",
                num(a), num(b), num(y + bh / 2));
            end = b;
        }
        o += fmt::format(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" {}>{}</text>\n", num(end + 5),
            num(y + bh / 2 + 4), kFont,
            html_escape(i < c.texts.size() ? c.texts[i] : fmt::format("{:.4g}", c.values[i])));
    }
    o += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#444\"/>\n",
                     num(plot_l), kTop, num(bottom));
    o += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" {}>{}</text>\n",
        num((plot_l + plot_r) / 2), num(h - 14), kFont, html_escape(c.xlabel));
    return o + "</svg>";
}

}  // namespace synbench::report::svg
