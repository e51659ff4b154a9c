// Small self-contained SVG charts for sweep reports (no external scripts or fonts).
#pragma once

#include <string>
#include <vector>

namespace synbench::sweep::svg {

struct Scatter {
    std::string title, x_label, y_label;
    std::vector<double> x, y;
    std::vector<std::string> labels;  // tooltips, one per point
    std::vector<std::size_t> front;   // indices drawn highlighted and joined, in x order
};
std::string scatter(const Scatter& s);

struct Bars {
    std::string title, y_label;
    std::vector<std::string> categories;
    std::vector<double> values;
};
std::string bars(const Bars& b);

// Escapes &, <, >, " for XML text and attributes.
std::string escape(const std::string& s);

// A short number for axis ticks and tables: "1.23e-12", "71.5".
std::string short_number(double v);

}  // namespace synbench::sweep::svg
