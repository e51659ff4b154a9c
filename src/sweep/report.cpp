#include "sweep/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "sweep/svg.hpp"

namespace synbench::sweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> metric(const SweepOutcome& out, std::optional<double> PointResult::*field) {
    std::vector<double> v;
    for (const auto& r : out.results) v.push_back(r.status == "complete" && (r.*field) ? *(r.*field) : kNaN);
    return v;
}

struct Plot {
    std::string x_name, y_name;
    std::vector<double> x, y;
    bool maximize_y;
};

// The plots of a report: (x minimised, y maximised or minimised).
std::vector<Plot> plots(const SweepOutcome& out, bool estimate) {
    auto acc = metric(out, &PointResult::final_accuracy);
    auto area = metric(out, &PointResult::area_m2);
    if (estimate) return {{"area (m²)", "read energy per image (J)", area, metric(out, &PointResult::read_energy_per_image_J), false}};
    return {{"energy (J)", "final accuracy (%)", metric(out, &PointResult::energy_J), acc, true}, {"area (m²)", "final accuracy (%)", area, acc, true}};
}

// The complete points of a plot (both coordinates present) and its front among them.
struct Selected {
    std::vector<std::size_t> idx;  // into the points
    std::vector<std::size_t> front;  // into idx
};
Selected select(const Plot& p) {
    Selected s;
    std::vector<double> x, y;
    for (std::size_t i = 0; i < p.x.size(); ++i)
        if (std::isfinite(p.x[i]) && std::isfinite(p.y[i])) {
            s.idx.push_back(i);
            x.push_back(p.x[i]);
            y.push_back(p.y[i]);
        }
    s.front = pareto_front(x, y, p.maximize_y);
    return s;
}

std::vector<std::pair<std::string, std::vector<double>>> effect_metrics(const SweepOutcome& out, bool estimate) {
    if (estimate)
        return {{"area (m²)", metric(out, &PointResult::area_m2)},
                {"read energy per image (J)", metric(out, &PointResult::read_energy_per_image_J)},
                {"read latency per image (s)", metric(out, &PointResult::read_latency_per_image_s)}};
    return {{"final accuracy (%)", metric(out, &PointResult::final_accuracy)}, {"energy (J)", metric(out, &PointResult::energy_J)},
            {"area (m²)", metric(out, &PointResult::area_m2)}};
}

std::string counts_line(const SweepOutcome& out) {
    return fmt::format("{} points: {} complete ({} from an earlier run), {} failed, {} interrupted, {} not run; {} mode, {} rank(s), wall {:.1f} s",
                       out.results.size(), out.count("complete"), out.skipped(), out.count("failed"), out.count("interrupted"),
                       out.count("not_run"), out.mode, out.ranks, out.wall_s);
}

}  // namespace

std::vector<std::size_t> pareto_front(const std::vector<double>& x, const std::vector<double>& y, bool maximize_y) {
    std::vector<std::size_t> order(x.size());
    std::iota(order.begin(), order.end(), 0);
    auto better = [&](double a, double b) { return maximize_y ? a > b : a < b; };
    // By x ascending, ties by the better y first, then by index (deterministic).
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (x[a] != x[b]) return x[a] < x[b];
        if (y[a] != y[b]) return better(y[a], y[b]);
        return a < b;
    });
    std::vector<std::size_t> front;
    for (auto i : order) {
        // On the front when strictly better in y than everything with smaller or equal x so far.
        if (front.empty() || better(y[i], y[front.back()])) front.push_back(i);
    }
    return front;
}

std::vector<AxisEffect> axis_effect(const Sweep& sw, std::size_t a, const std::vector<double>& m) {
    std::vector<AxisEffect> e(sw.axes[a].values.size());
    std::vector<double> sum(e.size(), 0.0);
    for (std::size_t v = 0; v < e.size(); ++v) e[v].value = sw.axes[a].values[v].shown;
    for (std::size_t i = 0; i < sw.points.size() && i < m.size(); ++i) {
        if (!std::isfinite(m[i])) continue;
        auto v = sw.points[i].value[a];
        sum[v] += m[i];
        ++e[v].n;
    }
    for (std::size_t v = 0; v < e.size(); ++v) e[v].mean = e[v].n ? sum[v] / e[v].n : kNaN;
    return e;
}

std::string point_progress_line(const PointResult& r, int done, std::size_t total) {
    std::string what = r.status;
    if (r.skipped) what += " (already done)";
    if (r.final_accuracy) what += fmt::format(", accuracy {:.2f} %", *r.final_accuracy);
    if (!r.error.empty()) what += ": " + r.error;
    return fmt::format("[{}/{}] {}: {}, {:.1f} s, rank {}", done, total, r.name, what, r.wall_s, r.rank);
}

std::string report_markdown(const Sweep& sw, const SweepOutcome& out, bool estimate) {
    std::string s = fmt::format("# Sweep {}\n\n{}\n\nSweep file: `{}`, mode `{}`{}.\n\n", sw.name, counts_line(out), sw.file, sw.mode,
                                estimate ? ", circuit estimate only (no training)" : "");
    for (const auto& p : plots(out, estimate)) {
        auto sel = select(p);
        s += fmt::format("## Pareto front: {} against {}\n\n| point | {} | {} |\n|---|---|---|\n", p.y_name, p.x_name, p.x_name, p.y_name);
        for (auto f : sel.front) {
            auto i = sel.idx[f];
            s += fmt::format("| {} | {} | {} |\n", sw.points[i].name, svg::short_number(p.x[i]), svg::short_number(p.y[i]));
        }
        if (sel.front.empty()) s += "| (no complete points) | | |\n";
        s += "\n";
    }
    auto ms = effect_metrics(out, estimate);
    s += "## Per-axis effects (mean over complete points)\n\n";
    for (std::size_t a = 0; a < sw.axes.size(); ++a) {
        s += fmt::format("### {}\n\n| value | n |", sw.axes[a].key);
        for (const auto& [name, m] : ms) s += " " + name + " |";
        s += "\n|---|---|";
        for (std::size_t k = 0; k < ms.size(); ++k) s += "---|";
        s += "\n";
        std::vector<std::vector<AxisEffect>> eff;
        for (const auto& [name, m] : ms) eff.push_back(axis_effect(sw, a, m));
        for (std::size_t v = 0; v < sw.axes[a].values.size(); ++v) {
            s += fmt::format("| {} | {} |", sw.axes[a].values[v].shown, eff[0][v].n);
            for (const auto& e : eff) s += " " + (e[v].n ? svg::short_number(e[v].mean) : std::string("–")) + " |";
            s += "\n";
        }
        s += "\n";
    }
    std::string failed;
    for (const auto& r : out.results)
        if (r.status == "failed") failed += fmt::format("- `{}`: {}\n", r.name, r.error);
    if (!failed.empty()) s += "## Failed points\n\n" + failed + "\n";
    s += "Every point's run directory is `points/<name>/`; all values are in `sweep.csv`.\n";
    return s;
}

std::string report_html(const Sweep& sw, const SweepOutcome& out, bool estimate) {
    std::string s = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Sweep " + svg::escape(sw.name) +
                    "</title><style>body{font-family:sans-serif;margin:2em;max-width:1150px}svg{margin:4px;border:1px solid #eee}"
                    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px}</style></head><body>\n";
    s += fmt::format("<h1>Sweep {}</h1>\n<p>{}</p>\n<p>Sweep file <code>{}</code>, mode <code>{}</code>{}.</p>\n", svg::escape(sw.name),
                     svg::escape(counts_line(out)), svg::escape(sw.file), sw.mode, estimate ? ", circuit estimate only (no training)" : "");
    s += "<h2>Pareto fronts</h2>\n<p>Red: non-dominated points (joined). Hover a point for its name.</p>\n";
    for (const auto& p : plots(out, estimate)) {
        auto sel = select(p);
        svg::Scatter sc;
        sc.title = p.y_name + " vs " + p.x_name;
        sc.x_label = p.x_name;
        sc.y_label = p.y_name;
        for (auto i : sel.idx) {
            sc.x.push_back(p.x[i]);
            sc.y.push_back(p.y[i]);
            sc.labels.push_back(sw.points[i].name);
        }
        sc.front = sel.front;
        s += svg::scatter(sc) + "\n";
    }
    s += "<h2>Per-axis effects</h2>\n<p>Mean over the complete points that share each axis value.</p>\n";
    auto ms = effect_metrics(out, estimate);
    for (std::size_t a = 0; a < sw.axes.size(); ++a) {
        s += "<h3>" + svg::escape(sw.axes[a].key) + "</h3>\n<div>";
        for (const auto& [name, m] : ms) {
            auto eff = axis_effect(sw, a, m);
            svg::Bars b;
            b.title = "mean " + name;
            b.y_label = name;
            for (const auto& e : eff) {
                b.categories.push_back(sw.axes[a].values[&e - eff.data()].label);
                b.values.push_back(e.mean);
            }
            s += svg::bars(b);
        }
        s += "</div>\n";
    }
    s += "<h2>Points</h2>\n<table><tr><th>point</th><th>status</th><th>rank</th>";
    for (const auto& [name, m] : ms) s += "<th>" + svg::escape(name) + "</th>";
    s += "<th>error</th></tr>\n";
    for (std::size_t i = 0; i < out.results.size(); ++i) {
        const auto& r = out.results[i];
        s += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td>", svg::escape(r.name), r.status, r.rank);
        for (const auto& [name, m] : ms) s += "<td>" + (std::isfinite(m[i]) ? svg::short_number(m[i]) : std::string()) + "</td>";
        s += "<td>" + svg::escape(r.error) + "</td></tr>\n";
    }
    s += "</table>\n</body></html>\n";
    return s;
}

}  // namespace synbench::sweep
