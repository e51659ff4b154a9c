// Chip budgets: "area=1mm2,energy=10mJ,latency=1s,leakage=100uW" checked against a run's summary or
// an estimate's totals, with margins. `compare --budget` uses it; `train` and `estimate` can too.
//
// What each item is checked against (docs/reports.md):
//   area    — the macro's area, summary.json total.area_m2
//   leakage — the macro's leakage power, summary.json total.leakage_W
//   energy  — the training run's total energy, summary.json energy_J.total (the whole bill:
//             read + write + training periphery + leakage)
//   latency — the training run's total latency, summary.json latency_s.read + latency_s.write
// An estimate (no training) has only area and leakage; energy and latency items are then reported
// as not applicable, never as passed.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace synbench::report {

struct Budget {
    std::optional<double> area_m2, energy_J, latency_s, leakage_W;
    std::string text;  // as given
};

// Parses the --budget text. A config::Error (file "--budget", field = the item) when an item is
// unknown, repeated, has no '=', a value without a unit, a unit of the wrong kind, or a value ≤ 0.
Budget parse_budget(std::string_view text);

// The quantities a budget is checked against; absent ones are "not applicable".
struct Totals {
    std::optional<double> area_m2, energy_J, latency_s, leakage_W;
};
Totals totals_from_summary(const nlohmann::json& summary);
Totals totals_from_estimate(double area_m2, double leakage_W);

struct BudgetLine {
    std::string item;              // "area", "energy", "latency", "leakage"
    double limit = 0;              // SI
    std::optional<double> actual;  // SI; empty: not applicable
    bool exceeded = false;         // actual > limit
    double margin = 0;             // limit − actual (SI; negative when exceeded)
    double margin_fraction = 0;    // margin / limit
};

struct BudgetCheck {
    std::vector<BudgetLine>
        lines;  // in the order area, energy, latency, leakage (given items only)
    bool exceeded() const;
};

BudgetCheck check_budget(const Budget& b, const Totals& t);

// One line per item: "area     0.02 mm² of 1 mm²: ok, margin 0.98 mm² (98.0 %)".
std::string format_budget(const BudgetCheck& c);
// A value of a budget item with its unit ("1 mm²", "10 mJ").
std::string format_item(const std::string& item, double si);
// The check as JSON ({"exceeded": bool, "items": [{item, limit, actual, margin, margin_fraction,
// status}]}).
nlohmann::json budget_json(const BudgetCheck& c);

}  // namespace synbench::report
