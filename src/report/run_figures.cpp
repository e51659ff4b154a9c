// The per-run figures: accuracy vs epoch, energy per epoch stacked by block, area breakdown, and
// the device's LTP/LTD curves.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "config/config.hpp"
#include "device/card.hpp"
#include "device/model.hpp"
#include "report/format.hpp"
#include "report/report.hpp"
#include "report/run_parts.hpp"
#include "report/svg.hpp"
#include "sim/results.hpp"

namespace synbench::report {

namespace u = synbench::units;
using nlohmann::json;

DeviceCurves device_curves(const std::filesystem::path& config_yaml) {
    auto doc = config::load_file(config_yaml);
    config::Section root(doc);
    if (!root.has("device"))
        throw config::Error(config_yaml.string(), 0, 0, "device",
                            "no device card in the run's configuration");
    auto sec = root.section("device");
    auto card = device::parse_card(sec);
    auto model = device::make_model(card);
    DeviceCurves c;
    c.name = card.name;
    c.g_min = card.g_min;
    c.g_max = card.g_max;
    for (int x = 0; x <= card.ltp.levels; ++x) {
        c.ltp_x.push_back(x);
        c.ltp_g.push_back(model->ltp_curve(x));
    }
    for (int x = 0; x <= card.ltd.levels; ++x) {
        c.ltd_x.push_back(x);
        c.ltd_g.push_back(model->ltd_curve(x));
    }
    return c;
}

namespace detail {

namespace {

void leaves(const json& j, const std::string& prefix,
            std::vector<std::pair<std::string, double>>& out) {
    if (j.is_number()) {
        auto it =
            std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == prefix; });
        if (it == out.end())
            out.emplace_back(prefix, j.get<double>());
        else
            it->second += j.get<double>();
    } else if (j.is_object()) {
        for (const auto& [k, v] : j.items()) leaves(v, prefix.empty() ? k : prefix + "/" + k, out);
    }
}

double sum_leaves(const json& j) {
    if (j.is_number()) return j.get<double>();
    double s = 0;
    if (j.is_object())
        for (const auto& [k, v] : j.items()) s += sum_leaves(v);
    return s;
}

}  // namespace

std::vector<std::pair<std::string, double>> breakdown_totals(const Run& r, const std::string& key) {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& e : r.epochs_json["epochs"]) {
        const json* b = json_at(e, "breakdown");
        if (b && b->contains(key)) leaves((*b)[key], "", out);
    }
    return out;
}

std::vector<std::pair<std::string, std::vector<double>>> breakdown_by_layer(
    const Run& r, const std::string& key) {
    std::vector<std::pair<std::string, std::vector<double>>> out;
    const auto& eps = r.epochs_json["epochs"];
    for (std::size_t i = 0; i < eps.size(); ++i) {
        const json* b = json_at(eps[i], "breakdown");
        if (!b || !b->contains(key) || !(*b)[key].is_object()) continue;
        for (const auto& [layer, v] : (*b)[key].items()) {
            auto it = std::find_if(out.begin(), out.end(),
                                   [&](const auto& p) { return p.first == layer; });
            if (it == out.end()) {
                out.emplace_back(layer, std::vector<double>(eps.size(), 0.0));
                it = out.end() - 1;
            }
            it->second[i] = sum_leaves(v);
        }
    }
    return out;
}

Figure accuracy_figure(const Run& r) {
    svg::LineChart c;
    c.id = "accuracy";
    c.title = "Test accuracy after each epoch";
    c.xlabel = "epoch";
    c.ylabel = "test accuracy (%)";
    c.y_min = 0;
    c.y_max = 100;
    c.series.push_back({r.device() + (r.hardware() ? "" : " (software)"),
                        r.epochs.column(sim::epoch::number.name),
                        r.epochs.column(sim::epoch::accuracy.name),
                        {},
                        {},
                        false});
    return {"accuracy",
            fmt::format("Test-set accuracy after each of the {} epochs.", r.epochs.size()),
            svg::line_chart(c)};
}

Figure energy_figure(const Run& r, std::vector<std::string>& warnings, Figure* dynamic_out) {
    svg::StackedBars c, dynamic;
    c.id = "energy";
    c.title = "Training energy per epoch, by block";
    c.xlabel = "epoch";
    std::vector<std::vector<double>> vals;
    for (const auto& [kind, label] :
         {std::pair<std::string, std::string>{sim::epoch::read_energy.f.name, "read"},
          {sim::epoch::write_energy.f.name, "write"}}) {
        auto layers = breakdown_by_layer(r, kind);
        if (layers.empty()) {
            c.segments.push_back(label);
            vals.push_back(r.epochs.column(kind));
            continue;
        }
        for (auto& [layer, v] : layers) {
            c.segments.push_back(label + " · " + layer);
            vals.push_back(v);
        }
    }
    dynamic = c;  // read and write only, on their own scale: they vanish beside leakage
    dynamic.values = vals;
    dynamic.id = "energy-dynamic";
    dynamic.title = "Training energy per epoch, array dynamic (read + write)";
    c.segments.push_back("training periphery");
    vals.push_back(r.epochs.column(sim::epoch::training_periphery_energy.f.name));
    c.segments.push_back("leakage");
    vals.push_back(r.epochs.column(sim::epoch::leakage_energy.f.name));
    auto total = r.epochs.column(sim::epoch::energy.f.name);
    double top = 0;
    for (std::size_t k = 0; k < total.size(); ++k) {
        double s = 0;
        for (const auto& v : vals) s += v[k];
        top = std::max(top, s);
        if (std::fabs(s - total[k]) > 1e-6 * std::max(std::fabs(total[k]), 1e-300))
            warnings.push_back(
                fmt::format("epoch {}: the per-block breakdown in epochs.json adds up to {}, but "
                            "epochs.csv energy_J is {}",
                            k + 1, energy(s), energy(total[k])));
    }
    auto sc = scale_for(top, u::energy);
    for (auto& v : vals)
        for (auto& x : v) x /= sc.factor;
    c.values = std::move(vals);
    c.ylabel = "energy (" + sc.unit + ")";
    for (std::size_t k = 0; k < r.epochs.size(); ++k) c.categories.push_back(std::to_string(k + 1));
    if (dynamic_out) {
        double dyn_top = 0;
        for (std::size_t k = 0; k < total.size(); ++k) {
            double s = 0;
            for (const auto& v : dynamic.values) s += v[k];
            dyn_top = std::max(dyn_top, s);
        }
        auto dsc = scale_for(dyn_top, u::energy);
        for (auto& v : dynamic.values)
            for (auto& x : v) x /= dsc.factor;
        dynamic.ylabel = "energy (" + dsc.unit + ")";
        dynamic.categories = c.categories;
        *dynamic_out = {"energy-dynamic",
                        "Training energy of each epoch on the array-dynamic basis (read and write "
                        "per layer from "
                        "epochs.json), without leakage, on its own scale.",
                        svg::stacked_bars(dynamic)};
    }
    return {"energy",
            "Training energy of each epoch on the whole-bill basis: array dynamic (read, write "
            "per layer from epochs.json) + training periphery + leakage (leakage power × busy "
            "time).",
            svg::stacked_bars(c)};
}

Figure area_figure(const Run& r) {
    svg::HBars c;
    c.id = "area";
    c.title = "Area by block";
    const json& root = r.summary["area_breakdown"];
    double total = root.value("area_m2", 0.0);
    auto sc = area_scale(total);
    c.xlabel = "area (" + sc.unit + ")";
    std::size_t top = 0;
    auto add = [&](const json& n, int depth, std::size_t color, const std::string& parent) {
        double a = n.value("area_m2", 0.0);
        c.labels.push_back((parent.empty() ? "" : parent + " / ") +
                           n.value("name", std::string("?")));
        c.values.push_back(a / sc.factor);
        c.texts.push_back(fmt::format("{} ({:.1f} %)", area(a), total > 0 ? 100 * a / total : 0));
        c.colors.push_back(static_cast<int>(color));
        c.indent.push_back(depth);
    };
    add(root, 0, 6, "");
    if (root.contains("children"))
        for (const auto& ch : root["children"]) {
            add(ch, 1, top, "");
            if (ch.contains("children"))
                for (const auto& g : ch["children"])
                    add(g, 2, top, ch.value("name", std::string("?")));
            ++top;
        }
    return {
        "area",
        fmt::format(
            "Area of the {} ({}) by block, from summary.json area_breakdown (two levels shown).",
            root.value("name", std::string("macro")) == "chip" ? "chip (macro + training periphery)"
                                                               : "macro",
            area(total)),
        svg::hbars(c)};
}

Figure device_figure(const Run& r, std::vector<std::string>& warnings, bool& ok) {
    ok = false;
    DeviceCurves d;
    try {
        d = device_curves(r.dir / "config.yaml");
    } catch (const std::exception& e) {
        warnings.push_back(
            fmt::format("the device's LTP/LTD curve could not be drawn: {}", e.what()));
        return {};
    }
    ok = true;
    auto sc = scale_for(d.g_max, u::conductance);
    svg::LineChart c;
    c.id = "device";
    c.title = "Device conductance vs pulse number (" + d.name + ")";
    c.xlabel = "pulse number (LTP from Gmin, LTD from Gmax)";
    c.ylabel = "conductance (" + sc.unit + ")";
    auto scaled = [&](std::vector<double> g) {
        for (auto& x : g) x /= sc.factor;
        return g;
    };
    c.series.push_back({"LTP", d.ltp_x, scaled(d.ltp_g), {}, {}, false});
    c.series.push_back({"LTD", d.ltd_x, scaled(d.ltd_g), {}, {}, false});
    c.y_min = 0;
    return {"device",
            fmt::format("Noise-free LTP curve from Gmin = {} and LTD curve from Gmax = {} of the "
                        "'{}' card in config.yaml ({} and {} pulses).",
                        human(d.g_min, u::conductance), human(d.g_max, u::conductance), d.name,
                        d.ltp_x.size() - 1, d.ltd_x.size() - 1),
            svg::line_chart(c)};
}

}  // namespace detail
}  // namespace synbench::report
