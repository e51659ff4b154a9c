// The device-fit figure (see fit_figure.hpp).
#include "report/fit_figure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "report/svg.hpp"

namespace synbench::report {

namespace {

// A conductance display unit for values up to `max_abs` S: the largest of S, mS, µS, nS, pS in
// which the largest value is at least 1.
struct Unit {
    double scale;
    const char* name;
};
Unit unit_for(double max_abs) {
    constexpr Unit kUnits[] = {{1.0, "S"}, {1e-3, "mS"}, {1e-6, "µS"}, {1e-9, "nS"}};
    for (const auto& u : kUnits)
        if (max_abs >= u.scale) return u;
    return {1e-12, "pS"};
}

double max_abs(const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m = std::max(m, std::abs(x));
    return m;
}

// Every `stride`-th index of n points so that at most kFitFigureMaxPoints remain.
std::size_t stride_for(std::size_t n) {
    return n > kFitFigureMaxPoints ? (n + kFitFigureMaxPoints - 1) / kFitFigureMaxPoints : 1;
}

// The width and height of an SVG document from its root's viewBox "0 0 W H".
std::pair<double, double> size_of(const std::string& svg) {
    const auto v = svg.find("viewBox=\"");
    if (v == std::string::npos) throw std::logic_error("fit_figure: a chart without viewBox");
    double x0 = 0, y0 = 0, w = 0, h = 0;
    if (std::sscanf(svg.c_str() + v + 9, "%lf %lf %lf %lf", &x0, &y0, &w, &h) != 4)
        throw std::logic_error("fit_figure: a chart with an unreadable viewBox");
    return {w, h};
}

// A chart's document placed at (0, y) inside another: the nested <svg> gets x and y.
std::string placed(const std::string& svg, double y) {
    auto s = svg;
    if (s.rfind("<?xml", 0) == 0) s.erase(0, s.find("?>") + 2);
    const auto at = s.find("<svg");
    if (at == std::string::npos) throw std::logic_error("fit_figure: a chart without <svg>");
    s.insert(at + 4, fmt::format(" x=\"0\" y=\"{}\"", y));
    return s;
}

}  // namespace

std::string fit_figure(const FitFigureData& d) {
    const auto all_g = [&] {
        auto v = d.ltp_g;
        v.insert(v.end(), d.ltd_g.begin(), d.ltd_g.end());
        return v;
    }();
    const Unit gu = unit_for(max_abs(all_g));
    // x: LTP pulses from 0, then the LTD sweep after the LTP one.
    const double ltd_offset = d.ltp_levels;
    svg::Series ltp_meas{"LTP measured", {}, {}, {}, {}, true};
    svg::Series ltd_meas{"LTD measured", {}, {}, {}, {}, true};
    svg::Series ltp_res{"LTP", {}, {}, {}, {}, true};
    svg::Series ltd_res{"LTD", {}, {}, {}, {}, true};
    std::vector<double> residuals;
    std::size_t drawn = 0, total = 0;
    auto add = [&](const std::vector<double>& p, const std::vector<double>& g,
                   const std::function<double(double)>& curve, double offset, svg::Series& meas,
                   std::vector<double>& res_x) {
        const std::size_t step = stride_for(p.size());
        total += p.size();
        for (std::size_t i = 0; i < p.size(); i += step, ++drawn) {
            meas.x.push_back(offset + p[i]);
            meas.y.push_back(g[i] / gu.scale);
            res_x.push_back(offset + p[i]);
            residuals.push_back(g[i] - curve(p[i]));
        }
    };
    add(d.ltp_pulse, d.ltp_g, d.ltp_curve, 0, ltp_meas, ltp_res.x);
    const std::size_t n_ltp = residuals.size();
    add(d.ltd_pulse, d.ltd_g, d.ltd_curve, ltd_offset, ltd_meas, ltd_res.x);
    const Unit ru = unit_for(max_abs(residuals));
    for (std::size_t i = 0; i < residuals.size(); ++i)
        (i < n_ltp ? ltp_res : ltd_res).y.push_back(residuals[i] / ru.scale);

    // The fitted curves, sampled finely enough to look smooth.
    auto curve_series = [&](const char* name, int levels, double offset,
                            const std::function<double(double)>& curve) {
        svg::Series s{name, {}, {}, {}, {}, false};
        const int n = 100;  // smooth at figure size; every sample is also a marker
        for (int i = 0; i <= n; ++i) {
            const double p = static_cast<double>(levels) * i / n;
            s.x.push_back(offset + p);
            s.y.push_back(curve(p) / gu.scale);
        }
        return s;
    };
    svg::LineChart top;
    top.id = "fit";
    top.title = d.title;
    top.xlabel = "pulse (LTP sweep, then LTD sweep)";
    top.ylabel = fmt::format("conductance ({})", gu.name);
    top.series = {ltp_meas, ltd_meas, curve_series("LTP fitted", d.ltp_levels, 0, d.ltp_curve),
                  curve_series("LTD fitted", d.ltd_levels, ltd_offset, d.ltd_curve)};
    svg::LineChart bottom;
    bottom.id = "fit-residuals";
    bottom.title = drawn < total ? fmt::format(
                                       "Residuals, measured − fitted ({} of {} points "
                                       "drawn)",
                                       drawn, total)
                                 : std::string("Residuals, measured − fitted");
    bottom.xlabel = top.xlabel;
    bottom.ylabel = fmt::format("residual ({})", ru.name);
    // Symmetric about zero, with a margin: over- and under-shoot read at the same scale, and no
    // point sits on the frame.
    const double m = 1.1 * max_abs(residuals) / ru.scale;
    if (m > 0) bottom.y_min = -m, bottom.y_max = m;
    const double x_end = ltd_offset + d.ltd_levels;
    bottom.series = {ltp_res, ltd_res,
                     svg::Series{"measured = fitted", {0.0, x_end}, {0.0, 0.0}, {}, {}, false}};

    const std::string a = svg::line_chart(top), b = svg::line_chart(bottom);
    const auto [wa, ha] = size_of(a);
    const auto [wb, hb] = size_of(b);
    const double w = std::max(wa, wb), h = ha + hb;
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"figure\" data-figure=\"device-fit\" "
        "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">\n{}{}"
        "</svg>\n",
        w, h, w, h, "device fit: measured points, fitted curve and residuals", placed(a, 0),
        placed(b, ha));
}

}  // namespace synbench::report
