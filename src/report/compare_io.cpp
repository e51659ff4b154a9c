// Building, writing and serialising a comparison; files_identical for `reproduce`.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "report/compare.hpp"
#include "report/compare_parts.hpp"
#include "report/format.hpp"
#include "util/files.hpp"

namespace synbench::report {

namespace fs = std::filesystem;
using nlohmann::json;

Comparison build_comparison(const CompareOptions& opt) {
    if (opt.runs.empty()) throw Error("compare: no run directories given");
    Comparison c;
    for (const auto& p : opt.runs) c.runs.push_back(load_run(p));
    c.groups = group_runs(c.runs);
    c.flags = find_flags(c.runs);
    c.sentences = pair_sentences(c.runs, c.groups);
    c.budgets.resize(c.runs.size());
    if (opt.budget)
        for (std::size_t i = 0; i < c.runs.size(); ++i) {
            c.budgets[i] = check_budget(*opt.budget, totals_from_summary(c.runs[i].summary));
            c.budget_exceeded = c.budget_exceeded || c.budgets[i]->exceeded();
        }
    c.cpu.resize(c.groups.size());
    for (std::size_t g = 0; g < c.groups.size(); ++g) {
        if (c.groups[g].hardware) continue;
        if (!c.cpu_data) {
            auto file = opt.cpu_energy_file;
            if (file.empty()) {
                auto found = find_cpu_energy();
                if (!found)
                    throw Error(
                        "compare: data/cpu-energy.yaml (the computer baseline's constants) is not "
                        "in the card search roots; give its path with --cpu-energy-file");
                file = *found;
            }
            c.cpu_data = load_cpu_energy(file);
        }
        std::vector<const Run*> rs;
        for (auto i : c.groups[g].runs) rs.push_back(&c.runs[i]);
        c.cpu[g] = cpu_bracket(rs, *c.cpu_data, opt.cpu_presets, opt.cpu_power_W);
    }
    return c;
}

Doc comparison_document(const Comparison& c, const CompareOptions& opt) {
    Doc d;
    if (!opt.title.empty()) {
        d.title = opt.title;
    } else {
        std::string labels;
        for (const auto& g : c.groups) labels += (labels.empty() ? "" : " vs ") + g.label;
        d.title = "synbench comparison: " + labels;
    }
    for (const auto& f : c.flags)
        if (f.kind == "dataset" || f.kind == "tech")
            d.warning("MISMATCH (" + f.kind + "): " + f.message);
    for (const auto& f : c.flags)
        if (f.kind != "dataset" && f.kind != "tech") d.warning(f.message);
    if (c.budget_exceeded)
        d.warning("a budget is exceeded (" + opt.budget->text + "); see 'Budget'.");
    d.heading(2, "In words");
    for (const auto& s : c.sentences) d.paragraph(s);
    d.heading(2, "Side by side");
    d.table(detail::side_by_side(c));
    d.table(detail::per_run_table(c));
    d.heading(2, "Figures");
    for (auto& f : detail::comparison_figures(c)) d.figure(std::move(f));
    if (opt.budget) {
        d.heading(2, "Budget");
        d.table(detail::budget_table(c, *opt.budget));
    }
    if (std::any_of(c.groups.begin(), c.groups.end(), [](const Group& g) { return !g.hardware; }))
        detail::baseline_section(d, c);
    if (opt.paper_table) detail::paper_table_section(d, c);
    d.heading(2, "Runs compared");
    std::string list;
    for (const auto& r : c.runs) list += (list.empty() ? "" : "\n") + r.dir.string();
    d.code(list);
    return d;
}

json comparison_json(const Comparison& c, const CompareOptions& opt) {
    json j;
    j["runs"] = json::array();
    for (std::size_t i = 0; i < c.runs.size(); ++i) {
        const auto& r = c.runs[i];
        json jr{{"dir", r.dir.string()},
                {"device", r.device()},
                {"tech", r.tech()},
                {"seed", r.seed()},
                {"hardware_enabled", r.hardware()},
                {"complete", r.complete()},
                {"status", r.status()},
                {"epochs", r.epochs.size()}};
        for (const auto& m : metrics()) {
            if (m.hardware_only && !r.hardware()) continue;
            double v = m.get(r);
            jr["metrics"][m.key] = std::isnan(v) ? json(nullptr) : json(v);
        }
        if (c.budgets[i]) jr["budget"] = budget_json(*c.budgets[i]);
        j["runs"].push_back(jr);
    }
    j["groups"] = json::array();
    for (const auto& g : c.groups) {
        json jg{{"label", g.label}, {"hardware_enabled", g.hardware}, {"runs", json::array()}};
        for (auto i : g.runs) jg["runs"].push_back(c.runs[i].dir.string());
        for (const auto& m : metrics()) {
            if (m.hardware_only && !g.hardware) continue;
            auto s = g.of(c.runs, m);
            jg["metrics"][m.key] = std::isnan(s.mean)
                                       ? json(nullptr)
                                       : json{{"mean", s.mean}, {"sd", s.sd}, {"n", s.n}};
        }
        j["groups"].push_back(jg);
    }
    j["flags"] = json::array();
    for (const auto& f : c.flags) j["flags"].push_back({{"kind", f.kind}, {"message", f.message}});
    j["sentences"] = c.sentences;
    j["budget_text"] = opt.budget ? json(opt.budget->text) : json(nullptr);
    j["budget_exceeded"] = c.budget_exceeded;
    j["cpu_power_W"] = opt.cpu_power_W ? json(*opt.cpu_power_W) : json(nullptr);
    j["cpu_energy_method"] =
        "a range: floor = the software run's floating-point operations x energy per operation; "
        "upper = CPU time (summary.json software.cpu_s) x each preset power (or --cpu-power), or "
        "the energy counters read around the run (energy_counters.json)";
    j["cpu_baseline"] = json::array();
    for (std::size_t g = 0; g < c.groups.size(); ++g) {
        if (!c.cpu[g]) continue;
        const auto& b = *c.cpu[g];
        json jb{{"group", c.groups[g].label},
                {"fp_multiplies", b.flops.multiplies},
                {"fp_adds", b.flops.adds},
                {"floor_J", b.floor_J},
                {"cpu_s", b.cpu_s},
                {"wall_s", b.wall_s},
                {"measured_J", b.measured_J ? json(*b.measured_J) : json(nullptr)},
                {"low_J", b.low_J()},
                {"high_J", b.high_J()},
                {"estimates", json::array()}};
        for (const auto& e : b.estimates)
            jb["estimates"].push_back(
                {{"label", e.label}, {"energy_J", e.energy_J}, {"source", e.source}});
        j["cpu_baseline"].push_back(jb);
    }
    return j;
}

CompareWritten compare_runs(const CompareOptions& opt) {
    CompareWritten w;
    w.comparison = build_comparison(opt);
    std::error_code ec;
    fs::create_directories(opt.out, ec);
    if (ec)
        throw Error(fmt::format("{}: cannot create the output directory: {}", opt.out.string(),
                                ec.message()));
    Doc d = comparison_document(w.comparison, opt);
    fs::create_directories(opt.out / "figures", ec);
    for (const Figure* f : d.figures()) {
        w.figures.push_back(opt.out / "figures" / (f->id + ".svg"));
        util::write_atomic(w.figures.back(),
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + f->svg + "\n");
    }
    w.markdown = opt.out / "comparison.md";
    w.html = opt.out / "comparison.html";
    w.latex = opt.out / "comparison.tex";
    w.json = opt.out / "comparison.json";
    util::write_atomic(w.markdown, to_markdown(d));
    util::write_atomic(w.html, to_html(d));
    auto name = fs::absolute(opt.out).lexically_normal();  // "cmp/" → "cmp"
    if (name.filename().empty()) name = name.parent_path();
    util::write_atomic(w.latex,
                       to_latex(d, fmt::format("comparison of {} run(s)", w.comparison.runs.size()),
                                name.filename().string()));
    util::write_atomic(w.json, comparison_json(w.comparison, opt).dump(1) + "\n");
    return w;
}

FileDiff files_identical(const fs::path& a, const fs::path& b) {
    std::string ta, tb;
    try {
        ta = util::read_file(a);
        tb = util::read_file(b);
    } catch (const util::IoError& e) {
        throw Error(e.what());
    }
    FileDiff d;
    if (ta == tb) {
        d.identical = true;
        d.summary = fmt::format("identical ({} bytes)", ta.size());
        return d;
    }
    std::istringstream sa(ta), sb(tb);
    std::string la, lb, header;
    std::size_t line = 0;
    while (true) {
        bool ga = static_cast<bool>(std::getline(sa, la)),
             gb = static_cast<bool>(std::getline(sb, lb));
        ++line;
        if (!ga || !gb) {
            d.summary = fmt::format("{} ends at line {}, {} goes on", !ga ? a.string() : b.string(),
                                    line - 1, !ga ? b.string() : a.string());
            if (!ga && !gb)
                d.summary = "the files differ only in their line endings or final newline";
            return d;
        }
        if (line == 1) header = la;
        if (la == lb) continue;
        auto split = [](const std::string& s) {
            std::vector<std::string> v;
            std::string cur;
            std::istringstream is(s);
            while (std::getline(is, cur, ',')) v.push_back(cur);
            return v;
        };
        auto ca = split(la), cb = split(lb), ch = split(header);
        if (line > 1 && ch.size() > 1) {
            for (std::size_t i = 0; i < std::max(ca.size(), cb.size()); ++i) {
                std::string va = i < ca.size() ? ca[i] : "(none)",
                            vb = i < cb.size() ? cb[i] : "(none)";
                if (va == vb) continue;
                d.summary = fmt::format(
                    "first difference at line {}{}, column '{}': {} vs {}", line,
                    ch[0] == "epoch" && !ca.empty() ? " (epoch " + ca[0] + ")" : std::string(),
                    i < ch.size() ? ch[i] : std::to_string(i + 1), va, vb);
                return d;
            }
        }
        d.summary = fmt::format("first difference at line {}: '{}' vs '{}'", line,
                                la.substr(0, 120), lb.substr(0, 120));
        return d;
    }
}

}  // namespace synbench::report
