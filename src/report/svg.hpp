// Charts drawn as SVG by hand, for reports that need no plotting program and no network.
//
// Every mark carries its data so that a test (or a reader) can count and check it: points are
// <circle class="pt" data-series data-x data-y>, bars <rect class="bar" data-series data-category
// data-value>; the root <svg class="chart" data-figure=ID data-marks=N> says how many marks it
// drew. Values are given already in the display unit the axis label names.
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
        y_max;           // fixed axis ends (else from the data, zero included when near)
    bool lines = true;   // join the points
    bool log_x = false;  // logarithmic x axis (every x > 0)
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
};

std::string line_chart(const LineChart& c);
std::string stacked_bars(const StackedBars& c);
std::string hbars(const HBars& c);

// A colour-blind-safe palette (Okabe–Ito), cycled.
const char* color(std::size_t i);

// A line chart's x axis is drawn logarithmic when every x is positive and they span two decades.
bool wants_log_x(const std::vector<double>& x);

// "Nice" axis ticks covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int target = 6);

}  // namespace synbench::report::svg
