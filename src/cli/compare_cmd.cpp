#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "report/budget.hpp"
#include "report/compare.hpp"
#include "report/report.hpp"
#include "units/units.hpp"
#include "util/files.hpp"

namespace synbench::cli {

void add_compare_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "compare",
        "Compare runs side by side: tables, overlaid figures, differences in words, budgets");
    struct Opts {
        std::vector<std::string> runs;
        std::string out, budget, cpu_power, title, cpu_energy_file;
        std::vector<std::string> cpu_presets;
        bool force = false, paper_table = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option(
           "runs", o->runs,
           "Run directories (results/<run>); runs differing only in seed are grouped as mean ± sd")
        ->required();
    cmd->add_option("--out,-o", o->out,
                    "Output directory for comparison.{md,html,tex,json} and figures/")
        ->required();
    cmd->add_option(
        "--budget", o->budget,
        "Chip budget, e.g. area=1mm2,energy=10mJ,latency=1s,leakage=100uW (exit 3 when exceeded)");
    cmd->add_option("--cpu-power", o->cpu_power,
                    "Also estimate the software baseline's energy as CPU time × this power "
                    "(e.g. 65W), besides the presets");
    cmd->add_option("--cpu-preset", o->cpu_presets,
                    "Power presets of data/cpu-energy.yaml for the software baseline's energy "
                    "(CPU time × power), e.g. i7-10750H, this-machine (default: all)")
        ->delimiter(',');
    cmd->add_option("--cpu-energy-file", o->cpu_energy_file,
                    "The computer baseline's constants (default: data/cpu-energy.yaml in the "
                    "card search roots)");
    cmd->add_flag("--paper-table", o->paper_table,
                  "Add the founding paper's Table 1 reproduced, with its reading (tools/main)");
    cmd->add_option("--title", o->title, "Title of the comparison report");
    cmd->add_flag(
        "--force", o->force,
        "Write into an existing non-empty --out that is not an earlier comparison's directory");
    cmd->callback([o] {
        report::CompareOptions opt;
        for (const auto& r : o->runs) {
            // The same run twice (by any path) compares a run with itself: nothing to compare.
            std::error_code ec1, ec2;
            for (const auto& prev : opt.runs)
                if (std::filesystem::equivalent(prev, r, ec1) && !ec1)
                    throw ExitRequest{kExitBadInput,
                                      fmt::format("error: '{}' and '{}' are the same run "
                                                  "directory: comparing a run with itself "
                                                  "says nothing (give different runs)",
                                                  prev.string(), r)};
            (void)ec2;
            opt.runs.emplace_back(r);
        }
        opt.out = o->out;
        // --out is new, empty or an earlier comparison (it holds comparison.json); never a run's
        // own directory.
        util::check_may_replace(
            opt.out, o->force,
            [&] { return std::filesystem::is_regular_file(opt.out / "comparison.json"); },
            "an earlier comparison's directory (no comparison.json)", "--force, or another --out");
        opt.title = o->title;
        if (!o->budget.empty()) opt.budget = report::parse_budget(o->budget);
        if (!o->cpu_power.empty()) {
            try {
                opt.cpu_power_W = units::parse_as(o->cpu_power, units::power, false);
            } catch (const units::UnitError& e) {
                throw ExitRequest{
                    kExitBadInput,
                    fmt::format("error: --cpu-power: {} (expected a power such as 65W)", e.what())};
            }
            if (!(*opt.cpu_power_W > 0) || !std::isfinite(*opt.cpu_power_W))
                throw ExitRequest{kExitBadInput,
                                  fmt::format("error: --cpu-power '{}': expected a positive power "
                                              "such as 65W",
                                              o->cpu_power)};
        }
        opt.cpu_presets = o->cpu_presets;
        opt.cpu_energy_file = o->cpu_energy_file;
        opt.paper_table = o->paper_table;
        report::CompareWritten w;
        try {
            w = report::compare_runs(opt);
        } catch (const report::Error& e) {
            throw ExitRequest{kExitBadInput, std::string("error: ") + e.what()};
        }
        if (auto pdf = report::write_pdfs(w.figures); !pdf.note.empty())
            std::cerr << "note: " << pdf.note << "\n";
        for (const auto& f : w.comparison.flags)
            std::cerr << (f.kind == "dataset" || f.kind == "tech" ? "WARNING: MISMATCH: "
                                                                  : "warning: ")
                      << f.message << "\n";
        for (const auto& s : w.comparison.sentences) std::cout << s << "\n";
        if (opt.budget) {
            for (std::size_t i = 0; i < w.comparison.runs.size(); ++i)
                std::cout << fmt::format("budget {} for {}:\n{}", opt.budget->text,
                                         w.comparison.runs[i].dir.string(),
                                         report::format_budget(*w.comparison.budgets[i]));
        }
        std::cout << "comparison: " << w.html.string() << "\n            " << w.markdown.string()
                  << "\n";
        if (w.comparison.budget_exceeded) throw ExitRequest{kExitBudget, "budget exceeded"};
    });
}

}  // namespace synbench::cli
