// Formatting of the run directory's files (docs/run-directory.md).
#include "sim/run_files.hpp"
#include "sim/summary_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace synbench::sim {

namespace {

std::string num(double v) { return fmt::format("{:.17g}", v); }

}  // namespace

std::string epochs_csv(const std::vector<EpochRow>& rows) {
    std::string out;
    auto cols = epoch_columns();
    for (std::size_t i = 0; i < cols.size(); ++i) out += (i ? "," : "") + cols[i];
    out += "\n";
    for (const auto& r : rows) {
        out += fmt::format("{},{},{}", r.epoch, num(r.accuracy), num(r.train_images));
        for (const auto& f : kEpochCostFields) out += "," + num(r.cost.*f.member);
        for (const auto& f : kEpochCostFields) out += "," + num(r.cum.*f.member);
        out += "\n";
    }
    return out;
}

nlohmann::ordered_json epochs_json(const std::vector<EpochRow>& rows) {
    nlohmann::ordered_json j;
    j["columns"] = epoch_columns();
    auto& arr = j["epochs"] = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
        nlohmann::ordered_json e;
        e["epoch"] = r.epoch;
        e["accuracy"] = r.accuracy;
        e["train_images"] = r.train_images;
        for (const auto& f : kEpochCostFields) e[f.f.name] = r.cost.*f.member;
        for (const auto& f : kEpochCostFields)
            e[std::string(kCumulativePrefix) + f.f.name] = r.cum.*f.member;
        e["breakdown"] = r.cost.breakdown;
        arr.push_back(std::move(e));
    }
    return j;
}

nlohmann::ordered_json cost_tree_json(const circuit::CostNode& n) {
    nlohmann::ordered_json j;
    j["name"] = n.name;
    j["area_m2"] = n.cost.area_m2;
    j["leakage_W"] = n.cost.leakage_W;
    if (!n.children.empty()) {
        j["children"] = nlohmann::ordered_json::array();
        for (const auto& c : n.children) j["children"].push_back(cost_tree_json(c));
    }
    return j;
}

void put_training_periphery(nlohmann::ordered_json& s, const circuit::CostTable& table,
                            const EpochCosts& cum, bool hardware) {
    namespace S = summary;
    const bool tp = hardware && table.training.present;
    S::put(s, S::area_training_periphery, tp ? table.training.total.area_m2 : 0.0);
    S::put(s, S::leakage_training_periphery, tp ? table.training.total.leakage_W : 0.0);
    S::put(s, S::energy_training_periphery, cum.training_periphery_energy_J);
    S::put(s, S::latency_training_periphery, cum.training_periphery_latency_s);
    S::put(s, S::energy_array_dynamic, basis::array_dynamic.of(cum));
    S::put(s, S::energy_with_periphery, basis::with_periphery.of(cum));
    if (tp) {
        nlohmann::ordered_json chip;
        chip["name"] = "chip";
        chip["area_m2"] = table.total.area_m2 + table.training.total.area_m2;
        chip["leakage_W"] = table.total.leakage_W + table.training.total.leakage_W;
        chip["children"] = {cost_tree_json(table.breakdown),
                            cost_tree_json(table.training.breakdown)};
        s["area_breakdown"] = chip;
    }
}

nlohmann::ordered_json row_to_checkpoint_json(const EpochRow& r) {
    nlohmann::ordered_json j;
    j["epoch"] = r.epoch;
    j["accuracy"] = r.accuracy;
    j["train_images"] = r.train_images;
    auto put = [](const EpochCosts& c) {
        nlohmann::ordered_json o;
        for (const auto& f : kEpochCostFields) o[f.f.name] = c.*f.member;
        o["breakdown"] = c.breakdown;
        return o;
    };
    j["cost"] = put(r.cost);
    j["cum"] = put(r.cum);
    return j;
}

EpochRow row_from_checkpoint_json(const nlohmann::ordered_json& j) {
    EpochRow r;
    r.epoch = j.at("epoch").get<int>();
    r.accuracy = j.at("accuracy").get<double>();
    r.train_images = j.at("train_images").get<double>();
    auto get = [](const nlohmann::ordered_json& o) {
        EpochCosts c;
        for (const auto& f : kEpochCostFields) c.*f.member = o.at(f.f.name).get<double>();
        c.breakdown = o.at("breakdown");
        return c;
    };
    r.cost = get(j.at("cost"));
    r.cum = get(j.at("cum"));
    return r;
}

nlohmann::ordered_json endurance_json(const std::vector<std::vector<std::uint32_t>>& cycles,
                                      std::optional<double> limit) {
    std::uint64_t maxc = 0, total = 0, n = 0, beyond = 0;
    for (const auto& v : cycles)
        for (auto c : v) {
            maxc = std::max<std::uint64_t>(maxc, c);
            total += c;
            ++n;
            if (limit && static_cast<double>(c) > *limit) ++beyond;
        }
    // Histogram on decades: [0], [1, 10), [10, 100), ...
    std::vector<double> edges{0, 1};
    while (edges.back() <= static_cast<double>(maxc)) edges.push_back(edges.back() * 10);
    std::vector<std::uint64_t> counts(edges.size() - 1, 0);
    for (const auto& v : cycles)
        for (auto c : v) {
            std::size_t b = 0;
            while (b + 1 < edges.size() - 1 && static_cast<double>(c) >= edges[b + 1]) ++b;
            ++counts[b];
        }
    nlohmann::ordered_json j;
    j["max_cycles"] = maxc;
    j["mean_cycles"] = n ? static_cast<double>(total) / static_cast<double>(n) : 0.0;
    j["limit"] = limit ? nlohmann::ordered_json(*limit) : nlohmann::ordered_json(nullptr);
    j["cells_beyond"] = beyond;
    j["cells"] = n;
    j["histogram"] = {{"edges", edges}, {"counts", counts}};
    return j;
}

std::optional<std::string> non_finite_field(const nlohmann::ordered_json& j,
                                            const std::string& path) {
    if (j.is_number_float() && !std::isfinite(j.get<double>())) return path;
    if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it)
            if (auto r =
                    non_finite_field(it.value(), path.empty() ? it.key() : path + "." + it.key()))
                return r;
    if (j.is_array())
        for (std::size_t i = 0; i < j.size(); ++i)
            if (auto r = non_finite_field(j[i], fmt::format("{}[{}]", path, i))) return r;
    return std::nullopt;
}

}  // namespace synbench::sim
