// Internal pieces of the per-run report (run_figures.cpp, run_tables.cpp), shared with compare.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "report/doc.hpp"
#include "report/run_data.hpp"

namespace synbench::report::detail {

// A config value by dotted path as text ("—" when absent; lists as "[a, b]").
std::string cfg(const YAML::Node& root, const std::string& dotted);

// Leaves of an epochs.json breakdown entry summed over all epochs, in first-seen order:
// {"layer1/cells", J}, ... for key "read_energy_J".
std::vector<std::pair<std::string, double>> breakdown_totals(const Run& r, const std::string& key);
// Per epoch, the sum of each top-level child (layer) of a breakdown key: {layer, values[epoch]}.
std::vector<std::pair<std::string, std::vector<double>>> breakdown_by_layer(const Run& r,
                                                                            const std::string& key);

// The hardware quantities a hardware-mode run reports as zero ("area", "leakage power", ...), which
// means a cost is missing rather than free. Empty for software runs.
std::vector<std::string> zero_costs(const Run& r);

// Figures.
Figure accuracy_figure(const Run& r);
// The energy per epoch stacked by block (leakage included); with `dynamic`, also the read + write
// part alone on its own scale (figure "energy-dynamic").
Figure energy_figure(const Run& r, std::vector<std::string>& warnings, Figure* dynamic = nullptr);
Figure area_figure(const Run& r);
Figure device_figure(const Run& r, std::vector<std::string>& warnings, bool& ok);

// Tables.
Table setup_table(const Run& r);
Table provenance_table(const Run& r);
Table results_table(const Run& r);
Table epochs_table(const Run& r, std::size_t max_rows);
Table energy_breakdown_table(const Run& r);
Table area_table(const Run& r);

}  // namespace synbench::report::detail
