// Charts drawn as SVG by hand, for reports that need no plotting program and no network.
//
// Every mark carries its data so that a test (or a reader) can count and check it: points are
// <circle class="pt" data-series data-x data-y>, bars <rect class="bar" data-series data-category
// data-value>; the root <svg class="chart" data-figure=ID data-marks=N> says how many marks it
// drew. Values are given in the display unit the axis label names — or, when a chart is given an
// SI unit (y_unit, x_unit, HBars::unit), in that unit, and the chart picks the prefix itself.
//
// Sized for print: the viewBox is kWidth units wide and every text at least kMinFont units high,
// so that the figure scaled to a 3.5 in (252 pt) column has no text under 8 pt. Titles, axis labels
// and legend entries are wrapped or shortened (full text as tooltip) so that nothing leaves the
// figure; tools/check-html measures the result in Chromium.
//
// Logarithmic value axes: energy, latency and energy-delay figures ask wants_log(); it says yes
// when every value is positive and the largest series (or bar) peaks at least 10× above the
// smallest one — below a tenth of a linear axis a series is a flat line at zero. Decade ticks are
// labelled with SI prefixes ("10 mJ").
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace synbench::report::svg {

struct Series {
    std::string name;
    std::vector<double> x, y;
    std::vector<double> err;          // optional ± band half-widths, one per point (empty: none)
    std::vector<std::string> labels;  // optional tooltip per point (empty: the series name)
    bool points_only = false;         // never joined, whatever LineChart::lines says
};

struct LineChart {
    std::string id, title, xlabel, ylabel;
    std::vector<Series> series;
    std::optional<double> y_min,
        y_max;                   // fixed axis ends (else from the data, zero included when near)
    bool lines = true;           // join the points
    bool log_x = false;          // logarithmic x axis (every x > 0)
    bool log_y = false;          // logarithmic y axis (every y > 0); y_min/y_max then ignored
    std::string x_unit, y_unit;  // SI unit of x / y values ("J", "s"): prefixes chosen here
};

// Bars per category, stacked from `segments` (values[segment][category]).
struct StackedBars {
    std::string id, title, xlabel, ylabel;
    std::vector<std::string> categories;
    std::vector<std::string> segments;
    std::vector<std::vector<double>> values;
};

// One horizontal bar per label, with optional ± error and a printed value text.
struct HBars {
    std::string id, title, xlabel;
    std::vector<std::string> labels;
    std::vector<double> values;
    std::vector<double> err;         // empty: none
    std::vector<std::string> texts;  // printed at the bar's end (empty: the value)
    std::vector<int> colors;         // palette index per bar (empty: by position)
    std::vector<int> indent;         // label indentation level per bar (tree views)
    std::string unit;                // SI unit of the values ("J"): prefix chosen here
    bool log = false;                // logarithmic value axis (every value > 0)
};

std::string line_chart(const LineChart& c);
std::string stacked_bars(const StackedBars& c);
std::string hbars(const HBars& c);

// A colour-blind-safe palette (Okabe–Ito), cycled.
const char* color(std::size_t i);

// A line chart's x axis is drawn logarithmic when every x is positive and they span two decades.
bool wants_log_x(const std::vector<double>& x);

// A value axis is drawn logarithmic when every value is positive and the largest group's peak is
// at least kLogRatio × the smallest group's peak (a group: one series, or one bar).
inline constexpr double kLogRatio = 10;
bool wants_log(const std::vector<std::vector<double>>& groups);

// Text measures used for the layout (DejaVu Sans/Helvetica-like advance, generous).
inline constexpr double kWidth = 420;   // viewBox width
inline constexpr double kMinFont = 14;  // 14 × 252 / 420 = 8.4 pt at 3.5 in
double text_width(const std::string& utf8, double font_size);

// An SI-prefixed value: si(0.0123, "J") = "12.3 mJ", si(2e4, "") = "20k".
std::string si(double v, const std::string& unit, int significant = 3);

// "Nice" axis ticks covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int target = 6);

}  // namespace synbench::report::svg
