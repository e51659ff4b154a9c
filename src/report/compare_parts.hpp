// Internal pieces of the comparison report.
#pragma once

#include <string>

#include "report/compare.hpp"

namespace synbench::report::detail {

std::string stat_text(const Stat& s, const Metric& m);
std::string ratio_words(double a, double b, const std::string& what);
Table side_by_side(const Comparison& c);
Table per_run_table(const Comparison& c);
Table budget_table(const Comparison& c, const Budget& b);
void baseline_section(Doc& d, const Comparison& c);
// The founding paper's Table 1 reproduced, with its reading (report/paper_table.cpp).
void paper_table_section(Doc& d, const Comparison& c);
std::vector<Figure> comparison_figures(const Comparison& c);

}  // namespace synbench::report::detail
