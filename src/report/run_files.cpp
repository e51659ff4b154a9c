// Formatting of the run directory's files (docs/run-directory.md).
#include "report/run_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "util/files.hpp"

namespace synbench::report {

using sim::EpochCosts;
using sim::EpochRow;
using sim::kEpochCostFields;
using json = nlohmann::ordered_json;

namespace {

std::string num(double v) { return fmt::format("{:.17g}", v); }

}  // namespace

std::string epochs_csv(const std::vector<EpochRow>& rows) {
    std::string out;
    auto cols = sim::epoch_columns();
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
    j["columns"] = sim::epoch_columns();
    auto& arr = j["epochs"] = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
        nlohmann::ordered_json e;
        e[sim::epoch::number.name] = r.epoch;
        e[sim::epoch::accuracy.name] = r.accuracy;
        e[sim::epoch::train_images.name] = r.train_images;
        for (const auto& f : kEpochCostFields) e[f.f.name] = r.cost.*f.member;
        for (const auto& f : kEpochCostFields) e[sim::cumulative(f)] = r.cum.*f.member;
        e["breakdown"] = r.cost.breakdown;
        arr.push_back(std::move(e));
    }
    return j;
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

void write_json(const std::filesystem::path& p, const json& j) {
    if (auto bad = non_finite_field(j))
        throw std::runtime_error(
            fmt::format("{}: refusing to write a non-finite number at '{}'", p.string(), *bad));
    std::string text;
    try {
        text = j.dump(2);
    } catch (const json::exception& e) {
        throw std::runtime_error(
            fmt::format("{}: cannot write: {} (text in a JSON file must be valid UTF-8)",
                        p.string(), json_message(e)));
    }
    util::write_atomic(p, text + "\n");
}

}  // namespace synbench::report
