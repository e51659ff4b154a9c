#include "report/budget.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "config/config.hpp"
#include "report/format.hpp"
#include "report/run_data.hpp"
#include "sim/summary_fields.hpp"

namespace synbench::report {

namespace u = synbench::units;

namespace {

struct Item {
    const char* name;
    u::Dim dim;
    const char* example;
    std::optional<double> Budget::*field;
};
const std::array<Item, 4> kItems{{
    {"area", u::area, "1 mm2", &Budget::area_m2},
    {"energy", u::energy, "10 mJ", &Budget::energy_J},
    {"latency", u::time, "1 s", &Budget::latency_s},
    {"leakage", u::power, "100 uW", &Budget::leakage_W},
}};

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

config::Error budget_error(const std::string& field, const std::string& msg) {
    return config::Error("--budget", 0, 0, field, msg);
}

}  // namespace

Budget parse_budget(std::string_view text) {
    Budget b;
    b.text = std::string(text);
    std::string known;
    for (const auto& it : kItems)
        known += fmt::format("{}{}=<{}>", known.empty() ? "" : ", ", it.name, it.example);
    if (trim(text).empty()) throw budget_error("", "empty budget; expected items like " + known);
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        auto part = trim(text.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
        if (part.empty())
            throw budget_error(
                "", fmt::format("empty item in '{}'; expected items like {}", text, known));
        auto eq = part.find('=');
        if (eq == std::string::npos)
            throw budget_error(
                "", fmt::format("'{}' has no '='; expected item=value with a unit, one of {}", part,
                                known));
        auto key = trim(std::string_view(part).substr(0, eq));
        auto val = trim(std::string_view(part).substr(eq + 1));
        const Item* item = nullptr;
        for (const auto& it : kItems)
            if (key == it.name) item = &it;
        if (!item) {
            std::string hint;
            for (const auto& it : kItems)
                if (config::edit_distance(key, it.name) <= 2)
                    hint = fmt::format(" (did you mean '{}'?)", it.name);
            throw budget_error(
                key, fmt::format("unknown budget item '{}'{}; known items: {}", key, hint, known));
        }
        if (b.*(item->field)) throw budget_error(key, "given twice");
        double v = 0;
        try {
            v = u::parse_as(val, item->dim, false);
        } catch (const u::UnitError& e) {
            throw budget_error(key,
                               fmt::format("{}; expected a {} with its unit, e.g. {}={}", e.what(),
                                           u::describe(item->dim), key, item->example));
        }
        if (!(v > 0) || !std::isfinite(v))
            throw budget_error(
                key, fmt::format("'{}' must be a positive {}", val, u::describe(item->dim)));
        b.*(item->field) = v;
    }
    return b;
}

Totals totals_from_summary(const nlohmann::json& s) {
    if (s.contains("hardware_enabled") && s["hardware_enabled"].is_boolean() &&
        !s["hardware_enabled"].get<bool>())
        return {};  // software mode: no hardware quantities to check
    auto get = [&](const char* k) -> std::optional<double> {
        const auto* v = json_at(s, k);
        if (!v || !v->is_number()) return std::nullopt;
        return v->get<double>();
    };
    Totals t;
    t.area_m2 = get(sim::summary::area.path);
    t.leakage_W = get(sim::summary::leakage.path);
    t.energy_J = get(sim::summary::energy_total.path);
    auto r = get(sim::summary::latency_read.path), w = get(sim::summary::latency_write.path);
    if (r && w) t.latency_s = *r + *w;
    return t;
}

Totals totals_from_estimate(double area_m2, double leakage_W) {
    return Totals{area_m2, std::nullopt, std::nullopt, leakage_W};
}

bool BudgetCheck::exceeded() const {
    for (const auto& l : lines)
        if (l.exceeded) return true;
    return false;
}

BudgetCheck check_budget(const Budget& b, const Totals& t) {
    BudgetCheck c;
    const std::array<std::optional<double>, 4> actual{t.area_m2, t.energy_J, t.latency_s,
                                                      t.leakage_W};
    for (std::size_t i = 0; i < kItems.size(); ++i) {
        const auto& lim = b.*(kItems[i].field);
        if (!lim) continue;
        BudgetLine l;
        l.item = kItems[i].name;
        l.limit = *lim;
        l.actual = actual[i];
        if (l.actual) {
            l.margin = l.limit - *l.actual;
            l.margin_fraction = l.margin / l.limit;
            // Equal within rounding passes: "100uW" parses to 100 × 1e-6, which is not exactly
            // 1e-4. A non-finite result (NaN, inf) never passes a budget.
            l.exceeded = !(std::isfinite(*l.actual) && *l.actual <= l.limit * (1 + 1e-9));
        }
        c.lines.push_back(l);
    }
    return c;
}

std::string format_item(const std::string& item, double si) {
    if (item == "area") return area(si);
    if (item == "energy") return energy(si);
    if (item == "latency") return duration(si);
    return power(si);
}

std::string format_budget(const BudgetCheck& c) {
    std::string o;
    for (const auto& l : c.lines) {
        if (!l.actual) {
            o += fmt::format("  {:<8} {:>10} of {:>10}: not applicable (no {} in this result)\n",
                             l.item, "—", format_item(l.item, l.limit), l.item);
            continue;
        }
        if (!std::isfinite(*l.actual))
            o +=
                fmt::format("  {:<8} {:>10} of {:>10}: FAILED: the result is not a finite number\n",
                            l.item, fmt::format("{}", *l.actual), format_item(l.item, l.limit));
        else if (l.exceeded)
            o += fmt::format("  {:<8} {:>10} of {:>10}: EXCEEDED by {} ({:.1f} % over)\n", l.item,
                             format_item(l.item, *l.actual), format_item(l.item, l.limit),
                             format_item(l.item, -l.margin), -100 * l.margin_fraction);
        else
            o += fmt::format("  {:<8} {:>10} of {:>10}: ok, margin {} ({:.1f} %)\n", l.item,
                             format_item(l.item, *l.actual), format_item(l.item, l.limit),
                             format_item(l.item, std::fabs(l.margin)),
                             std::fabs(100 * l.margin_fraction));
    }
    return o;
}

nlohmann::json budget_json(const BudgetCheck& c) {
    static const std::array<std::pair<const char*, const char*>, 4> keys{
        {{"area", "_m2"}, {"energy", "_J"}, {"latency", "_s"}, {"leakage", "_W"}}};
    nlohmann::json j;
    j["exceeded"] = c.exceeded();
    j["items"] = nlohmann::json::array();
    for (const auto& l : c.lines) {
        std::string suffix;
        for (const auto& [k, s] : keys)
            if (l.item == k) suffix = s;
        nlohmann::json it;
        it["item"] = l.item;
        it["limit" + suffix] = l.limit;
        it["actual" + suffix] = l.actual ? nlohmann::json(*l.actual) : nlohmann::json(nullptr);
        it["margin" + suffix] = l.actual ? nlohmann::json(l.margin) : nlohmann::json(nullptr);
        it["margin_fraction"] =
            l.actual ? nlohmann::json(l.margin_fraction) : nlohmann::json(nullptr);
        it["status"] = !l.actual ? "not_applicable" : l.exceeded ? "exceeded" : "ok";
        j["items"].push_back(it);
    }
    return j;
}

}  // namespace synbench::report
