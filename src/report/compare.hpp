// `synbench compare RUN… --out DIR`: side-by-side tables, overlaid figures, the differences spelled
// out, seeds grouped as mean ± sd, mismatched datasets or technology cards flagged, budgets, and
// the founding paper's "hardware vs conventional computer" table when a software-mode run is
// included.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/budget.hpp"
#include "report/cpu_baseline.hpp"
#include "report/doc.hpp"
#include "report/run_data.hpp"

namespace synbench::report {

struct CompareOptions {
    std::vector<std::filesystem::path> runs;
    std::filesystem::path out;
    std::optional<Budget> budget;
    // The software baseline's energy (report/cpu_baseline.hpp): the presets of
    // data/cpu-energy.yaml to show (empty: all of them), an extra assumed power (--cpu-power), the
    // data file (empty: found in the card search roots).
    std::vector<std::string> cpu_presets;
    std::optional<double> cpu_power_W;
    std::filesystem::path cpu_energy_file;
    bool paper_table = false;  // add the founding paper's Table 1 reproduced (tools/main)
    std::string title;         // empty: a title from the devices
};

// One figure of merit of a run, with how to print it. Values are SI (accuracy in percent).
struct Metric {
    std::string key;    // JSON key with its unit suffix ("energy_J")
    std::string label;  // for tables ("training energy")
    bool hardware_only;
    double (*get)(const Run&);
    std::string (*format)(double);
};
const std::vector<Metric>& metrics();
const Metric& metric(const std::string& key);

struct Stat {
    double mean = 0, sd = 0;  // sd: sample standard deviation (n − 1); 0 for a single run
    std::size_t n = 0;
};
Stat stat(const std::vector<double>& v);

// Runs that differ only in their seed (same config.yaml apart from `seed`, same dataset files).
struct Group {
    std::string label;
    std::vector<std::size_t> runs;  // indices into the run list, in the order given
    bool hardware = true;
    Stat of(const std::vector<Run>& all, const Metric& m) const;
};
std::vector<Group> group_runs(const std::vector<Run>& runs);

// Things that make a comparison unfair, found in the run files: kind is "dataset", "tech", "setup"
// or "incomplete"; dataset and tech mismatches are the loud ones.
struct Flag {
    std::string kind, message;
};
std::vector<Flag> find_flags(const std::vector<Run>& runs);

// One sentence per pair of groups ("TaOx/TiO2 reaches 85.00 % at 61.2 mJ; Ag:a-Si 72.00 % at 12.6
// mJ. …").
std::vector<std::string> pair_sentences(const std::vector<Run>& runs,
                                        const std::vector<Group>& groups);

struct Comparison {
    std::vector<Run> runs;
    std::vector<Group> groups;
    std::vector<Flag> flags;
    std::vector<std::string> sentences;
    std::vector<std::optional<BudgetCheck>> budgets;  // per run, when a budget was given
    bool budget_exceeded = false;
    std::optional<CpuEnergyData> cpu_data;       // loaded when a software run is compared
    std::vector<std::optional<CpuBracket>> cpu;  // per group: the software groups' bracket
};
Comparison build_comparison(const CompareOptions& opt);
Doc comparison_document(const Comparison& c, const CompareOptions& opt);
nlohmann::json comparison_json(const Comparison& c, const CompareOptions& opt);

struct CompareWritten {
    std::filesystem::path markdown, html, latex, json;
    std::vector<std::filesystem::path> figures;  // figures/<id>.svg
    Comparison comparison;
};
// Loads the runs, writes comparison.{md,html,tex,json} into opt.out (created if needed).
CompareWritten compare_runs(const CompareOptions& opt);

// Whether two files are byte-identical; if not, where they first differ (for `reproduce`): for a
// CSV with a header, "line 4 (epoch 3), column 'accuracy': 71.3 vs 71.4".
struct FileDiff {
    bool identical = false;
    std::string summary;
};
FileDiff files_identical(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace synbench::report
