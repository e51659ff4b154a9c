#include "report/format.hpp"
#include "sweep/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace synbench::sweep::svg {

namespace {

constexpr double kW = 520, kH = 340, kL = 78, kR = 16, kT = 30, kB = 48;

struct Range {
    double lo = 0, hi = 1;
};

Range range_of(const std::vector<double>& v, bool from_zero = false) {
    std::vector<double> f;
    for (double x : v)
        if (std::isfinite(x)) f.push_back(x);
    if (f.empty()) return {};
    auto [mn, mx] = std::minmax_element(f.begin(), f.end());
    Range r{*mn, *mx};
    if (r.hi == r.lo) {
        double pad = r.lo == 0 ? 1 : std::abs(r.lo) * 0.1;
        r.lo -= pad;
        r.hi += pad;
    } else {
        double pad = (r.hi - r.lo) * 0.05;
        if (!(from_zero && r.lo == 0)) r.lo -= pad;
        r.hi += pad;
    }
    return r;
}

std::string frame(const std::string& title, const std::string& x_label, const std::string& y_label, const Range& xr, const Range& yr,
                  bool x_ticks, bool log_x = false) {
    std::string s = fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="sans-serif" font-size="11">)",
                                kW, kH, kW, kH);
    s += fmt::format(R"(<rect x="0" y="0" width="{}" height="{}" fill="white"/>)", kW, kH);
    s += fmt::format(R"(<text x="{}" y="18" text-anchor="middle" font-size="13" font-weight="bold">{}</text>)", kW / 2, escape(title));
    s += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#444"/>)", kL, kT, kW - kL - kR, kH - kT - kB);
    for (int i = 0; i <= 4; ++i) {
        double fy = i / 4.0;
        double py = kH - kB - fy * (kH - kT - kB);
        s += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="#ddd"/>)", kL, py, kW - kR, py);
        s += fmt::format(R"(<text x="{}" y="{:.1f}" text-anchor="end">{}</text>)", kL - 4, py + 4, short_number(yr.lo + fy * (yr.hi - yr.lo)));
        if (x_ticks) {
            double px = kL + fy * (kW - kL - kR);
            s += fmt::format(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", px, kH - kB + 14, short_number(log_x ? std::pow(10.0, xr.lo + fy * (xr.hi - xr.lo)) : xr.lo + fy * (xr.hi - xr.lo)));
        }
    }
    s += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", (kL + kW - kR) / 2, kH - 8, escape(x_label));
    s += fmt::format(R"x(<text x="14" y="{}" text-anchor="middle" transform="rotate(-90 14 {})">{}</text>)x", (kT + kH - kB) / 2,
                     (kT + kH - kB) / 2, escape(y_label));
    return s;
}

}  // namespace

std::string escape(const std::string& s) { return report::html_escape(s); }

std::string short_number(double v) {
    if (v == 0) return "0";
    double a = std::abs(v);
    if (a >= 1e-2 && a < 1e5) return fmt::format("{:.4g}", v);
    return fmt::format("{:.3g}", v);
}

std::string scatter(const Scatter& sc) {
    // A logarithmic x axis when every x is positive and they span two decades or more.
    bool log_x = !sc.x.empty();
    for (double x : sc.x) log_x = log_x && x > 0;
    if (log_x) log_x = *std::max_element(sc.x.begin(), sc.x.end()) >= 100 * *std::min_element(sc.x.begin(), sc.x.end());
    std::vector<double> xs = sc.x;
    if (log_x)
        for (auto& x : xs) x = std::log10(x);
    const Range xr = range_of(xs), yr = range_of(sc.y);
    auto px = [&](double x) { return kL + ((log_x ? std::log10(x) : x) - xr.lo) / (xr.hi - xr.lo) * (kW - kL - kR); };
    auto py = [&](double y) { return kH - kB - (y - yr.lo) / (yr.hi - yr.lo) * (kH - kT - kB); };
    std::string s = frame(sc.title, log_x ? sc.x_label + " (log scale)" : sc.x_label, sc.y_label, xr, yr, true, log_x);
    if (sc.front.size() > 1) {
        std::string pts;
        for (auto i : sc.front) pts += fmt::format("{:.1f},{:.1f} ", px(sc.x[i]), py(sc.y[i]));
        s += fmt::format(R"(<polyline points="{}" fill="none" stroke="#d62728" stroke-width="1.5"/>)", pts);
    }
    std::vector<bool> on_front(sc.x.size(), false);
    for (auto i : sc.front) on_front[i] = true;
    for (std::size_t i = 0; i < sc.x.size(); ++i) {
        std::string tip = i < sc.labels.size() ? sc.labels[i] : "";
        s += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="{}" fill="{}" fill-opacity="0.8"><title>{}</title></circle>)", px(sc.x[i]),
                         py(sc.y[i]), on_front[i] ? 4.5 : 3, on_front[i] ? "#d62728" : "#1f77b4", escape(tip));
    }
    if (sc.x.empty())
        s += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" fill="#888">no complete points</text>)", kW / 2, kH / 2);
    return s + "</svg>";
}

std::string bars(const Bars& b) {
    std::vector<double> with_zero = b.values;
    with_zero.push_back(0);
    const Range yr = range_of(with_zero, true);
    auto py = [&](double y) { return kH - kB - (y - yr.lo) / (yr.hi - yr.lo) * (kH - kT - kB); };
    std::string s = frame(b.title, "", b.y_label, {}, yr, false);
    const double n = static_cast<double>(std::max<std::size_t>(1, b.categories.size()));
    const double slot = (kW - kL - kR) / n;
    for (std::size_t i = 0; i < b.categories.size(); ++i) {
        double x = kL + slot * static_cast<double>(i);
        double v = i < b.values.size() ? b.values[i] : 0;
        double top = std::min(py(v), py(0)), h = std::abs(py(v) - py(0));
        if (std::isfinite(v))
            s += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#1f77b4"><title>{}: {}</title></rect>)",
                             x + slot * 0.15, top, slot * 0.7, h, escape(b.categories[i]), short_number(v));
        s += fmt::format(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", x + slot / 2, kH - kB + 14, escape(b.categories[i]));
    }
    return s + "</svg>";
}

}  // namespace synbench::sweep::svg
