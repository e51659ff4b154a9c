// The comparison as words and tables: pair sentences, the side-by-side table, the budget table and
// the founding paper's "hardware vs conventional computer" table.
#include <fmt/format.h>

#include <cmath>

#include "report/compare.hpp"
#include "report/compare_parts.hpp"
#include "report/format.hpp"
#include "sim/summary_fields.hpp"

namespace synbench::report {

namespace u = synbench::units;

namespace detail {

std::string stat_text(const Stat& s, const Metric& m) {
    if (s.n <= 1) return m.format(s.mean);
    // Both numbers with the mean's unit: format the mean, then the sd with the same scale.
    std::string mean = m.format(s.mean);
    auto sp = mean.find(' ');
    if (sp == std::string::npos) return fmt::format("{} ± {:.3g}", mean, s.sd);
    double shown = std::stod(mean.substr(0, sp));
    // The display scale is a power of 1000 (an SI prefix, mm², µm²) or 1.
    double scale = s.mean != 0 && shown != 0
                       ? std::pow(10.0, 3 * std::round(std::log10(std::fabs(s.mean / shown)) / 3))
                       : 1;
    return fmt::format("{} ± {:.3g}{}", mean.substr(0, sp), s.sd / scale, mean.substr(sp));
}

std::string ratio_words(double a, double b, const std::string& what) {
    // How b compares with a.
    if (!(a > 0) || !(b > 0) || std::isnan(a) || std::isnan(b)) return "no comparable " + what;
    double r = b / a;
    if (std::fabs(r - 1) < 0.005) return "the same " + what;
    if (r > 1) return fmt::format("{:.3g}× more {}", r, what);
    return fmt::format("{:.3g}× less {}", 1 / r, what);
}

}  // namespace detail

std::vector<std::string> pair_sentences(const std::vector<Run>& runs,
                                        const std::vector<Group>& groups) {
    using detail::stat_text;
    std::vector<std::string> out;
    const auto& acc = metric("final_accuracy_pct");
    const auto& en = metric("energy_J");
    const auto& ad = metric("energy_array_dynamic_J");
    std::vector<std::size_t> hw;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (groups[i].hardware) {
            hw.push_back(i);
            continue;
        }
        out.push_back(
            fmt::format("{} (software mode, the same MLP without hardware) reaches {}; its cost is "
                        "CPU time, see "
                        "'Hardware vs conventional computer'.",
                        groups[i].label, stat_text(groups[i].of(runs, acc), acc)));
    }
    for (std::size_t ai = 0; ai < hw.size(); ++ai) {
        for (std::size_t bi = ai + 1; bi < hw.size(); ++bi) {
            if (hw.size() > 8 && ai > 0) break;  // many groups: each against the first only
            const Group& A = groups[hw[ai]];
            const Group& B = groups[hw[bi]];
            auto a_acc = A.of(runs, acc), b_acc = B.of(runs, acc);
            auto val = [&](const Group& g, const char* k) { return g.of(runs, metric(k)).mean; };
            auto chip_area = [&](const Group& g) {
                return val(g, "area_m2") + val(g, "training_periphery_area_m2");
            };
            std::size_t epochs = runs[A.runs[0]].epochs.size();
            std::string s = fmt::format(
                "{} reaches {} at {}; {} {} at {} (training energy, whole bill, "
                "{} epochs; on the array-dynamic basis {} and {}). ",
                A.label, stat_text(a_acc, acc), stat_text(A.of(runs, en), en), B.label,
                stat_text(b_acc, acc), stat_text(B.of(runs, en), en), epochs,
                stat_text(A.of(runs, ad), ad), stat_text(B.of(runs, ad), ad));
            s += fmt::format(
                "Against {}, {} uses {}, {}, {} and {}; ", A.label, B.label,
                detail::ratio_words(val(A, "energy_J"), val(B, "energy_J"),
                                    "training energy (whole bill)"),
                detail::ratio_words(val(A, "latency_s"), val(B, "latency_s"), "training latency"),
                detail::ratio_words(chip_area(A), chip_area(B),
                                    "chip area (macro + training periphery)"),
                detail::ratio_words(val(A, "leakage_W"), val(B, "leakage_W"),
                                    "macro leakage power"));
            double d = b_acc.mean - a_acc.mean;
            if (std::fabs(d) < 0.005)
                s += "both are equally accurate.";
            else
                s += fmt::format("{} is {:.2f} points more accurate.", d > 0 ? B.label : A.label,
                                 std::fabs(d));
            out.push_back(s);
        }
    }
    return out;
}

namespace detail {

Table side_by_side(const Comparison& c) {
    Table t{"side-by-side",
            "Side by side (mean ± sample sd over seeds where a configuration ran more than once)",
            {"quantity"},
            {},
            {},
            true};
    for (const auto& g : c.groups) t.header.push_back(g.label);
    std::vector<std::string> row{"runs (seeds)"};
    for (const auto& g : c.groups) {
        std::string seeds;
        for (auto i : g.runs)
            seeds += fmt::format("{}{}", seeds.empty() ? "" : ", ", c.runs[i].seed());
        row.push_back(fmt::format("{} ({})", g.runs.size(), seeds));
    }
    t.rows.push_back(row);
    row = {"technology / optimizer / epochs"};
    for (const auto& g : c.groups) {
        const Run& r = c.runs[g.runs[0]];
        row.push_back(fmt::format("{} / {} / {}", r.tech(),
                                  r.summary.value("optimizer", std::string("?")), r.epochs.size()));
    }
    t.rows.push_back(row);
    for (const auto& m : metrics()) {
        row = {m.label};
        bool any = false;
        for (const auto& g : c.groups) {
            if (m.hardware_only && !g.hardware) {
                row.push_back("—");
                continue;
            }
            auto s = g.of(c.runs, m);
            any = any || !std::isnan(s.mean);
            row.push_back(stat_text(s, m));
        }
        if (any) t.rows.push_back(row);
    }
    return t;
}

Table per_run_table(const Comparison& c) {
    Table t{"runs",
            "Every run",
            {"run", "device", "seed", "mode", "status", "final accuracy",
             "training energy (whole bill)", "training latency"},
            {},
            {},
            false};
    for (const auto& r : c.runs)
        t.rows.push_back({r.dir.filename().string(), r.device(), std::to_string(r.seed()),
                          r.hardware() ? "hardware" : "software", r.status(),
                          percent(r.number(sim::summary::final_accuracy.path)),
                          r.hardware() ? energy(r.number(sim::summary::energy_total.path)) : "—",
                          r.hardware() ? duration(r.number(sim::summary::latency_read.path) +
                                                  r.number(sim::summary::latency_write.path))
                                       : "—"});
    return t;
}

Table budget_table(const Comparison& c, const Budget& b) {
    Table t{"budget",
            "Budget check (" + b.text + ")",
            {"run", "item", "result", "budget", "margin", "status"},
            {},
            {},
            true};
    for (std::size_t i = 0; i < c.runs.size(); ++i) {
        if (!c.budgets[i]) continue;
        for (const auto& l : c.budgets[i]->lines) {
            if (!l.actual) {
                t.rows.push_back({c.runs[i].dir.filename().string(), l.item, "—",
                                  format_item(l.item, l.limit), "—", "not applicable"});
                continue;
            }
            t.rows.push_back({c.runs[i].dir.filename().string(), l.item,
                              format_item(l.item, *l.actual), format_item(l.item, l.limit),
                              fmt::format("{0}{1} ({0}{2:.1f} %)", l.margin < 0 ? "−" : "",
                                          format_item(l.item, std::fabs(l.margin)),
                                          std::fabs(100 * l.margin_fraction)),
                              l.exceeded ? "EXCEEDED" : "ok"});
        }
    }
    t.note =
        "Margin = budget − result (negative when exceeded), and as a fraction of the budget. "
        "Energy and latency are of the "
        "training run (energy on the whole-bill basis: read + write + training periphery + "
        "leakage; latency: read + write).";
    return t;
}

// The founding paper's comparison: hardware runs next to the software baseline's CPU energy,
// bracketed (report/cpu_baseline.hpp).
void baseline_section(Doc& d, const Comparison& c) {
    d.heading(2, "Hardware vs conventional computer");
    const CpuEnergyData* data = c.cpu_data ? &*c.cpu_data : nullptr;
    std::string presets;
    if (data)
        for (const auto& p : data->presets)
            presets += fmt::format("{}{} {} ({})", presets.empty() ? "" : "; ", p.name,
                                   power(p.power_W), p.what);
    d.paragraph(fmt::format(
        "Method: the software baseline is the same MLP trained by synbench in software mode "
        "(hardware.enabled: false). Its energy on a computer is given as a range. Floor: the "
        "run's floating-point operations (forward, backward, gradient, optimizer update and test "
        "passes, counted from the network shape, epochs, images and batch) × the energy of one "
        "operation: multiply {}, add {} ({}; {}) — the arithmetic alone. Upper end: the run's CPU "
        "time (summary.json software.cpu_s, user + system) × a stated power (presets of {}: {}; "
        "choose with --cpu-preset, add one with --cpu-power) — assumed powers, not measurements. "
        "Where the kernel exposes energy counters (powercap/RAPL) the train command reads them "
        "around the run (energy_counters.json) and the measurement is shown; the machines these "
        "runs were made on may not expose them. The hardware energy is the whole run's, training "
        "plus the test-pass reads, on two named bases: '{}' (the founding paper's likely basis: "
        "its tool reports the arrays' dynamic read + write energy) and '{}' (training periphery "
        "and leakage added). Ratios are shown on each basis; the paper's ratio is on its own "
        "basis only.",
        data ? energy(data->fp_multiply_J) : "?", data ? energy(data->fp_add_J) : "?",
        data ? data->fp_what : "", data ? data->fp_source : "", data ? data->file : "?", presets,
        sim::basis::array_dynamic.label, sim::basis::whole_bill.label));
    Table t{"hw-vs-cpu",
            "Hardware vs conventional computer (hardware energy on two named bases)",
            {"system", "test accuracy", "time",
             fmt::format("energy, basis {}", sim::basis::array_dynamic.label),
             fmt::format("energy, basis {}", sim::basis::whole_bill.label),
             "CPU energy / hardware energy (array dynamic; whole bill)"},
            {},
            {},
            true};
    const auto& acc = metric("final_accuracy_pct");
    std::vector<std::pair<std::string, const CpuBracket*>> cpu;  // label, bracket
    for (std::size_t gi = 0; gi < c.groups.size(); ++gi) {
        const auto& g = c.groups[gi];
        if (g.hardware || !c.cpu[gi]) continue;
        const CpuBracket& b = *c.cpu[gi];
        const Run& r = c.runs[g.runs[0]];
        std::string host = r.manifest.contains("build") && r.manifest["build"].is_object()
                               ? r.manifest["build"].value("cpu", std::string("?"))
                               : "?";
        const auto acc_text = stat_text(g.of(c.runs, acc), acc);
        // A computer has one bill: the same number in both energy columns.
        t.rows.push_back({fmt::format("{}: arithmetic floor ({:.4g} FP multiplies + {:.4g} adds)",
                                      g.label, b.flops.multiplies, b.flops.adds),
                          acc_text, "—", energy(b.floor_J), energy(b.floor_J), "—"});
        for (const auto& e : b.estimates)
            t.rows.push_back({fmt::format("{} on this CPU ({}): {}", g.label, host, e.label),
                              acc_text,
                              fmt::format("wall {}, CPU {}", duration(b.wall_s), duration(b.cpu_s)),
                              energy(e.energy_J), energy(e.energy_J), "—"});
        cpu.emplace_back(g.label, &b);
    }
    for (const auto& g : c.groups) {
        if (!g.hardware) continue;
        std::vector<double> dyn, bill;
        for (auto i : g.runs) {
            const auto& r = c.runs[i];
            const auto* te = json_at(r.summary, sim::summary::energy_test_read.path);
            const double test = te && te->is_number() ? te->get<double>() : 0.0;
            dyn.push_back(energy_on(r, sim::basis::array_dynamic) + test);
            bill.push_back(energy_on(r, sim::basis::whole_bill) + test);
        }
        auto ds = stat(dyn), bs = stat(bill);
        std::string ratio;
        for (const auto& [label, b] : cpu)
            ratio += fmt::format("{}{}; {} (vs {})", ratio.empty() ? "" : "; ",
                                 ratio_range(b->low_J() / ds.mean, b->high_J() / ds.mean),
                                 ratio_range(b->low_J() / bs.mean, b->high_J() / bs.mean), label);
        auto lat = g.of(c.runs, metric("latency_s"));
        t.rows.push_back({g.label + ": synaptic hardware (simulated)",
                          stat_text(g.of(c.runs, acc), acc),
                          fmt::format("{} (training, simulated)", duration(lat.mean)),
                          energy(ds.mean), energy(bs.mean), ratio});
    }
    t.rows.push_back({"founding paper: CNN on a CPU (as published)", "96 %", "—", energy(4.275e3),
                      energy(4.275e3), "1"});
    t.rows.push_back({"founding paper: TiO₂-synapse MLP, Adam (as published)", "≈ 92 %", "—",
                      energy(0.04421) + " (basis not stated; likely array dynamic)",
                      "not published", fmt::format("{:.4g}; —", 4.275e3 / 0.04421)});
    t.note =
        "The last two rows are quoted from the founding paper as published, not results of "
        "synbench. Its baseline was a CNN "
        "on a CPU, not the MLP that the software row above trains; the paper gives ~92 % (Table 1) "
        "and \"up to 90 %\" (abstract) "
        "for the TiO₂ MLP. The paper does not say what its 0.04421 J contains; its tool "
        "(MLP+NeuroSim) reports the arrays' dynamic read + write energy, so it stands beside "
        "synbench's array-dynamic column; no whole bill of the paper's chip is published.";
    d.table(t);
}

}  // namespace detail
}  // namespace synbench::report
