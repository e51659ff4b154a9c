// Numbers with units for reports: every value a report prints goes through here, so that a table
// in Markdown, HTML and LaTeX shows the same digits and the same unit.
#pragma once

#include <string>
#include <string_view>

#include "units/units.hpp"

namespace synbench::report {

// A value with an engineering prefix, "12.6 mJ", "300 µs" (µ, not u).
std::string human(double value, units::Dim dim, int significant = 4);
std::string energy(double joule);
std::string duration(double second);
std::string power(double watt);
// Areas in mm² (from 0.01 mm² up) or µm².
std::string area(double m2);
// Percent with a fixed number of decimals: "72.00 %".
std::string percent(double p, int decimals = 2);
// Integer counts: "90000"; non-integers keep 6 significant digits.
std::string count(double n);
// "73.00 ± 1.41 %"-style pairs: formats both with the unit of `mean`.
std::string mean_sd(double mean, double sd, units::Dim dim, int significant = 4);

// A scale for plotting values of a dimension: divide SI values by `factor` and label the axis
// with `unit` ("mJ", "µs", "mm²").
struct Scale {
    double factor = 1;
    std::string unit;
};
Scale scale_for(double max_abs, units::Dim dim);
Scale area_scale(double max_abs_m2);

// Escaping for the three output languages.
std::string html_escape(std::string_view s);
std::string md_escape_cell(std::string_view s);
// Text with µ, ±, ×, ², ≥, ≤, →, – and TeX specials turned into LaTeX.
std::string latex_escape(std::string_view s);

// "%.17g" — how numbers are written to JSON-free text outputs that must round-trip.
std::string exact(double v);

}  // namespace synbench::report
