// Sweep reports: report.md and a self-contained report.html (inline SVG) with the Pareto fronts
// (accuracy against energy and against area; with --estimate, energy per image against area)
// and per-axis effect plots (mean of each metric over the complete points sharing an axis value).
#pragma once

#include <string>
#include <vector>

#include "report/doc.hpp"
#include "sweep/driver.hpp"

namespace synbench::sweep {

// Indices of the non-dominated points when x is minimised and y maximised (or minimised),
// sorted by x. A point is dominated when another is at least as good in both and better in one.
std::vector<std::size_t> pareto_front(const std::vector<double>& x, const std::vector<double>& y,
                                      bool maximize_y);

struct AxisEffect {
    std::string value;  // the axis value as written
    int n = 0;          // complete points with this value
    double mean = 0;
};
// Mean of `metric` (one entry per point, NaN where missing) per value of axis `a`.
std::vector<AxisEffect> axis_effect(const Sweep& sw, std::size_t a,
                                    const std::vector<double>& metric);

// The sweep's report as a document (report::Doc), written as report.md, report.html and figures/.
report::Doc sweep_document(const Sweep& sw, const SweepOutcome& out, bool estimate);
std::string report_markdown(const Sweep& sw, const SweepOutcome& out, bool estimate);
std::string report_html(const Sweep& sw, const SweepOutcome& out, bool estimate);

// "[3/24] device=ag-asi_seed=1: complete, accuracy 71.20 %, 12.3 s, rank 1"
std::string point_progress_line(const PointResult& r, int done, std::size_t total);

}  // namespace synbench::sweep
