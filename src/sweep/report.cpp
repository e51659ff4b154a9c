#include "sweep/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "report/svg.hpp"

namespace synbench::sweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> metric(const SweepOutcome& out, std::optional<double> PointResult::*field) {
    std::vector<double> v;
    for (const auto& r : out.results)
        v.push_back(r.status == "complete" && (r.*field) ? *(r.*field) : kNaN);
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
    if (estimate)
        return {{"area (m²)", "read energy per image (J)", area,
                 metric(out, &PointResult::read_energy_per_image_J), false}};
    return {{"energy (J)", "final accuracy (%)", metric(out, &PointResult::energy_J), acc, true},
            {"area (m²)", "final accuracy (%)", area, acc, true}};
}

// The complete points of a plot (both coordinates present) and its front among them.
struct Selected {
    std::vector<std::size_t> idx;    // into the points
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

std::vector<std::pair<std::string, std::vector<double>>> effect_metrics(const SweepOutcome& out,
                                                                        bool estimate) {
    if (estimate)
        return {
            {"area (m²)", metric(out, &PointResult::area_m2)},
            {"read energy per image (J)", metric(out, &PointResult::read_energy_per_image_J)},
            {"read latency per image (s)", metric(out, &PointResult::read_latency_per_image_s)}};
    return {{"final accuracy (%)", metric(out, &PointResult::final_accuracy)},
            {"energy (J)", metric(out, &PointResult::energy_J)},
            {"area (m²)", metric(out, &PointResult::area_m2)}};
}

std::string counts_line(const SweepOutcome& out) {
    return fmt::format(
        "{} points: {} complete ({} from an earlier run), {} failed, {} interrupted, {} not run; "
        "{} mode, {} rank(s), wall {:.1f} s",
        out.results.size(), out.count("complete"), out.skipped(), out.count("failed"),
        out.count("interrupted"), out.count("not_run"), out.mode, out.ranks, out.wall_s);
}

}  // namespace

std::vector<std::size_t> pareto_front(const std::vector<double>& x, const std::vector<double>& y,
                                      bool maximize_y) {
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
    return fmt::format("[{}/{}] {}: {}, {:.1f} s, rank {}", done, total, r.name, what, r.wall_s,
                       r.rank);
}

namespace {

// A short number for tables: "1.23e-12", "71.5".
std::string short_number(double v) {
    if (v == 0) return "0";
    double a = std::abs(v);
    if (a >= 1e-2 && a < 1e5) return fmt::format("{:.4g}", v);
    return fmt::format("{:.3g}", v);
}

// The scatter of one plot: every complete point (name as tooltip), the front joined on top.
report::Figure pareto_figure(const Sweep& sw, const Plot& p, const Selected& sel, std::size_t k) {
    namespace svg = report::svg;
    svg::LineChart c;
    c.id = fmt::format("pareto-{}", k + 1);
    c.title = p.y_name + " vs " + p.x_name;
    // Axis units for rounded, SI-prefixed ticks: "(J)" → prefixes chosen by the chart; "(m²)" →
    // shown in mm² (a prefix on m² would read as a squared prefix).
    auto axis = [](const std::string& name, std::string& label, std::string& unit, double& f) {
        label = name, f = 1;
        auto strip = [&](const std::string& suffix) {
            if (name.size() < suffix.size() ||
                name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
                return false;
            label = name.substr(0, name.size() - suffix.size());
            return true;
        };
        if (strip(" (J)")) unit = "J";
        if (strip(" (m²)")) label += " (mm²)", f = 1e6;
    };
    double fx = 1, fy = 1;
    axis(p.x_name, c.xlabel, c.x_unit, fx);
    axis(p.y_name, c.ylabel, c.y_unit, fy);
    svg::Series all{"point", {}, {}, {}, {}, true}, front{"Pareto front", {}, {}, {}, {}, false};
    for (auto i : sel.idx) {
        all.x.push_back(p.x[i] * fx);
        all.y.push_back(p.y[i] * fy);
        all.labels.push_back(sw.points[i].name);
    }
    for (auto f : sel.front) {
        const auto i = sel.idx[f];
        front.x.push_back(p.x[i] * fx);
        front.y.push_back(p.y[i] * fy);
        front.labels.push_back(sw.points[i].name);
    }
    c.log_x = svg::wants_log_x(all.x);
    c.series = {all, front};
    return {c.id, c.title + " (every complete point; the non-dominated ones joined)",
            svg::line_chart(c)};
}

// Mean of one metric per value of one axis.
report::Figure effect_figure(const Sweep& sw, std::size_t a, const std::string& name,
                             const std::vector<AxisEffect>& eff, std::size_t m) {
    report::svg::HBars b;
    b.id = fmt::format("effect-{}-{}", a + 1, m + 1);
    b.title = sw.axes[a].key + ": mean " + name;
    b.xlabel = name;
    for (std::size_t v = 0; v < eff.size(); ++v) {
        b.labels.push_back(sw.axes[a].values[v].label);
        b.values.push_back(eff[v].n ? eff[v].mean : 0.0);
        b.texts.push_back(eff[v].n ? short_number(eff[v].mean) : "no complete point");
        b.colors.push_back(0);
    }
    return {b.id, b.title, report::svg::hbars(b)};
}

}  // namespace

report::Doc sweep_document(const Sweep& sw, const SweepOutcome& out, bool estimate) {
    report::Doc d;
    d.title = "Sweep " + sw.name;
    d.paragraph(counts_line(out));
    d.paragraph(fmt::format("Sweep file `{}`, mode `{}`{}.", sw.file, sw.mode,
                            estimate ? ", circuit estimate only (no training)" : ""));
    const auto ps = plots(out, estimate);
    for (std::size_t k = 0; k < ps.size(); ++k) {
        const auto& p = ps[k];
        auto sel = select(p);
        d.heading(2, fmt::format("Pareto front: {} against {}", p.y_name, p.x_name));
        report::Table t{fmt::format("pareto-{}", k + 1),
                        "Non-dominated points",
                        {"point", p.x_name, p.y_name},
                        {},
                        {},
                        true,
                        true};
        for (auto f : sel.front) {
            auto i = sel.idx[f];
            t.rows.push_back({sw.points[i].name, short_number(p.x[i]), short_number(p.y[i])});
        }
        if (sel.front.empty()) t.note = "No complete points.";
        d.table(t);
        d.figure(pareto_figure(sw, p, sel, k));
    }
    auto ms = effect_metrics(out, estimate);
    d.heading(2, "Per-axis effects (mean over complete points)");
    for (std::size_t a = 0; a < sw.axes.size(); ++a) {
        d.heading(3, sw.axes[a].key);
        report::Table t{fmt::format("effect-{}", a + 1),
                        "Mean over the complete points sharing each value of " + sw.axes[a].key,
                        {"value", "n"},
                        {},
                        {},
                        true,
                        true};
        std::vector<std::vector<AxisEffect>> eff;
        for (const auto& [name, m] : ms) {
            t.header.push_back(name);
            eff.push_back(axis_effect(sw, a, m));
        }
        for (std::size_t v = 0; v < sw.axes[a].values.size(); ++v) {
            std::vector<std::string> row{sw.axes[a].values[v].shown, std::to_string(eff[0][v].n)};
            for (const auto& e : eff)
                row.push_back(e[v].n ? short_number(e[v].mean) : std::string("–"));
            t.rows.push_back(std::move(row));
        }
        d.table(t);
        for (std::size_t m = 0; m < ms.size(); ++m)
            d.figure(effect_figure(sw, a, ms[m].first, eff[m], m));
    }
    d.heading(2, "Points");
    report::Table pts{"points",
                      "Every point (all values are in sweep.csv)",
                      {"point", "status", "rank"},
                      {},
                      {},
                      false,
                      false};
    for (const auto& [name, m] : ms) pts.header.push_back(name);
    pts.header.push_back("error");
    for (std::size_t i = 0; i < out.results.size(); ++i) {
        const auto& r = out.results[i];
        std::vector<std::string> row{r.name, r.status, std::to_string(r.rank)};
        for (const auto& [name, m] : ms)
            row.push_back(std::isfinite(m[i]) ? short_number(m[i]) : std::string());
        row.push_back(r.error);
        pts.rows.push_back(std::move(row));
    }
    d.table(pts);
    std::string failed;
    for (const auto& r : out.results)
        if (r.status == "failed") failed += fmt::format("`{}`: {}. ", r.name, r.error);
    if (!failed.empty()) d.warning("Failed points: " + failed);
    d.paragraph("Every point's run directory is `points/<name>/`; all values are in `sweep.csv`.");
    return d;
}

std::string report_markdown(const Sweep& sw, const SweepOutcome& out, bool estimate) {
    return report::to_markdown(sweep_document(sw, out, estimate));
}

std::string report_html(const Sweep& sw, const SweepOutcome& out, bool estimate) {
    return report::to_html(sweep_document(sw, out, estimate));
}

}  // namespace synbench::sweep
