// Overlaid figures of a comparison: accuracy and cumulative energy vs epoch, and one bar chart per
// figure of merit (mean ± sd for seed groups).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/compare_parts.hpp"
#include "report/format.hpp"
#include "report/svg.hpp"
#include "sim/summary_fields.hpp"
#include "sim/results.hpp"

namespace synbench::report::detail {

namespace u = synbench::units;

namespace {

// Mean (and sd) per epoch of a column over a group's runs, over the epochs all of them completed.
svg::Series epoch_series(const Comparison& c, const Group& g, const std::string& column,
                         double factor) {
    std::size_t n = c.runs[g.runs[0]].epochs.size();
    for (auto i : g.runs) n = std::min(n, c.runs[i].epochs.size());
    svg::Series s;
    s.name =
        g.label + (g.runs.size() > 1 ? fmt::format(" (mean ± sd, {} seeds)", g.runs.size()) : "");
    for (std::size_t e = 0; e < n; ++e) {
        std::vector<double> v;
        for (auto i : g.runs)
            v.push_back(c.runs[i].epochs.rows[e][c.runs[i].epochs.col(column)] / factor);
        auto st = stat(v);
        s.x.push_back(static_cast<double>(e + 1));
        s.y.push_back(st.mean);
        if (g.runs.size() > 1) s.err.push_back(st.sd);
    }
    return s;
}

Figure bars(const Comparison& c, const std::string& id, const std::string& title, const Metric& m,
            bool hardware_only, const std::string& unit_label, double factor,
            const std::string& caption, const std::string& log_unit = "") {
    svg::HBars b;
    b.unit = log_unit;
    b.log = !log_unit.empty();  // values in SI units, the chart picks the decades
    b.id = id;
    b.title = title;
    b.xlabel = unit_label;
    bool any_err = false;
    for (std::size_t gi = 0; gi < c.groups.size(); ++gi) {
        const auto& g = c.groups[gi];
        if (hardware_only && !g.hardware) continue;
        auto s = g.of(c.runs, m);
        b.labels.push_back(g.label);
        b.values.push_back(s.mean / factor);
        b.err.push_back(s.sd / factor);
        any_err = any_err || s.n > 1;
        b.texts.push_back(stat_text(s, m));
        b.colors.push_back(static_cast<int>(gi));
    }
    if (!any_err) b.err.clear();
    return {id, caption, svg::hbars(b)};
}

double max_mean(const Comparison& c, const Metric& m) {
    double hi = 0;
    for (const auto& g : c.groups)
        if (g.hardware) hi = std::max(hi, std::fabs(g.of(c.runs, m).mean));
    return hi;
}

}  // namespace

std::vector<Figure> comparison_figures(const Comparison& c) {
    std::vector<Figure> out;
    {
        svg::LineChart ch;
        ch.id = "cmp-accuracy";
        ch.title = "Test accuracy vs epoch";
        ch.xlabel = "epoch";
        ch.ylabel = "test accuracy (%)";
        ch.y_min = 0;
        ch.y_max = 100;
        for (const auto& g : c.groups)
            ch.series.push_back(epoch_series(c, g, sim::epoch::accuracy.name, 1));
        out.push_back({"cmp-accuracy",
                       "Test accuracy after each epoch (bands: ± one sample sd over seeds).",
                       svg::line_chart(ch)});
    }
    bool any_hw =
        std::any_of(c.groups.begin(), c.groups.end(), [](const Group& g) { return g.hardware; });
    if (!any_hw) return out;
    {
        // SI values: the chart picks the prefix, and a log axis when the devices differ by 10× or
        // more (svg::wants_log), so that the smaller one is not a flat line at zero.
        svg::LineChart ch;
        ch.id = "cmp-energy";
        ch.title = "Cumulative training energy vs epoch";
        ch.xlabel = "epoch";
        ch.ylabel = "training energy so far";
        ch.y_unit = "J";
        std::vector<std::vector<double>> ys;
        for (const auto& g : c.groups)
            if (g.hardware) {
                ch.series.push_back(epoch_series(c, g, sim::cumulative(sim::epoch::energy), 1));
                ys.push_back(ch.series.back().y);
            }
        ch.log_y = svg::wants_log(ys);
        out.push_back(
            {"cmp-energy",
             std::string("Training energy on the whole-bill basis (array read + write + training "
                         "periphery + leakage) accumulated over the epochs") +
                 (ch.log_y ? "; logarithmic axis: the devices differ by 10× or more." : "."),
             svg::line_chart(ch)});
    }
    out.push_back(bars(c, "cmp-final-accuracy", "Final test accuracy", metric("final_accuracy_pct"),
                       false, "test accuracy (%)", 1, "Final test accuracy."));
    struct B {
        const char* key;
        const char* id;
        const char* title;
        u::Dim dim;
        const char* suffix;
        const char* si_unit;  // non-empty: may switch to a log axis (energy, latency, EDP)
    };
    const B list[] = {
        {"energy_J", "cmp-energy-total", "Training energy, whole bill (+ leakage)", u::energy, "",
         "J"},
        {"energy_array_dynamic_J", "cmp-energy-array-dynamic",
         "Training energy, array dynamic (read + write; the founding paper's basis)", u::energy, "",
         "J"},
        {"latency_s", "cmp-latency", "Training latency (read + write)", u::time, "", "s"},
        {"area_m2", "cmp-area", "Area of the macro", u::area, "", ""},
        {"leakage_W", "cmp-leakage", "Leakage power", u::power, "", ""},
        {"edp_Js", "cmp-edp", "Energy-delay product (training, whole bill)", u::energy, "·s",
         "J·s"},
        {"accuracy_per_J_pct_per_J", "cmp-acc-per-joule",
         "Accuracy per joule (final % / training J, whole bill)", u::dimensionless, "%/J", ""}};
    for (const auto& b : list) {
        const auto& m = metric(b.key);
        if (*b.si_unit) {
            std::vector<std::vector<double>> means;
            for (const auto& g : c.groups)
                if (g.hardware) means.push_back({g.of(c.runs, m).mean});
            if (svg::wants_log(means)) {
                out.push_back(bars(
                    c, b.id, b.title, m, true, m.label, 1,
                    std::string(b.title) + "; logarithmic axis: the devices differ by 10× or more.",
                    b.si_unit));
                continue;
            }
        }
        auto sc = scale_for(max_mean(c, m), b.dim);
        std::string unit = sc.unit + b.suffix;
        out.push_back(bars(c, b.id, b.title, m, true, fmt::format("{} ({})", m.label, unit),
                           sc.factor, std::string(b.title) + "."));
    }
    return out;
}

}  // namespace synbench::report::detail
