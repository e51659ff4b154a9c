#include "report/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/format.hpp"
#include "report/run_parts.hpp"
#include "sim/summary_fields.hpp"

namespace synbench::report {

namespace u = synbench::units;
using nlohmann::json;

namespace {

double busy_s(const Run& r) {
    return r.number(sim::summary::latency_read.path) + r.number(sim::summary::latency_write.path);
}
double optional_number(const Run& r, const char* key) {
    const json* v = json_at(r.summary, key);
    return v && v->is_number() ? v->get<double>() : std::nan("");
}
std::string fmt_pct(double v) { return std::isnan(v) ? "—" : percent(v); }
std::string fmt_energy(double v) { return std::isnan(v) ? "—" : energy(v); }
std::string fmt_time(double v) { return std::isnan(v) ? "—" : duration(v); }
std::string fmt_area(double v) { return std::isnan(v) ? "—" : area(v); }
std::string fmt_power(double v) { return std::isnan(v) ? "—" : power(v); }
std::string fmt_edp(double v) {
    if (std::isnan(v)) return "—";
    auto s = scale_for(std::fabs(v), u::energy);
    return fmt::format("{:.4g} {}·s", v / s.factor, s.unit);
}
std::string fmt_acc_per_J(double v) { return std::isnan(v) ? "—" : fmt::format("{:.4g} %/J", v); }
std::string fmt_tops(double v) { return std::isnan(v) ? "—" : fmt::format("{:.4g} TOPS/W", v); }

}  // namespace

const std::vector<Metric>& metrics() {
    static const std::vector<Metric> m{
        {"final_accuracy_pct", "final test accuracy", false,
         [](const Run& r) { return r.number(sim::summary::final_accuracy.path); }, fmt_pct},
        {"best_accuracy_pct", "best test accuracy", false,
         [](const Run& r) { return optional_number(r, "best_accuracy"); }, fmt_pct},
        {"area_m2", "area (macro)", true,
         [](const Run& r) { return r.number(sim::summary::area.path); }, fmt_area},
        {"training_periphery_area_m2", "area (training periphery)", true,
         [](const Run& r) { return r.number_or(sim::summary::area_training_periphery.path, 0.0); },
         fmt_area},
        {"leakage_W", "leakage power (macro)", true,
         [](const Run& r) { return r.number(sim::summary::leakage.path); }, fmt_power},
        {"read_energy_J", "training read energy", true,
         [](const Run& r) { return r.number(sim::summary::energy_read.path); }, fmt_energy},
        {"write_energy_J", "training write energy", true,
         [](const Run& r) { return r.number(sim::summary::energy_write.path); }, fmt_energy},
        {"leakage_energy_J", "training leakage energy", true,
         [](const Run& r) { return r.number(sim::summary::energy_leakage.path); }, fmt_energy},
        {"training_periphery_energy_J", "training periphery energy", true,
         [](const Run& r) {
             return r.number_or(sim::summary::energy_training_periphery.path, 0.0);
         },
         fmt_energy},
        {"energy_array_dynamic_J", "training energy, basis array dynamic (read + write)", true,
         [](const Run& r) { return energy_on(r, sim::basis::array_dynamic); }, fmt_energy},
        {"energy_with_periphery_J", "training energy, basis array dynamic + training periphery",
         true, [](const Run& r) { return energy_on(r, sim::basis::with_periphery); }, fmt_energy},
        {"energy_J",
         "training energy, basis whole bill (read + write + training periphery + leakage)", true,
         [](const Run& r) { return r.number(sim::summary::energy_total.path); }, fmt_energy},
        {"test_read_energy_J", "test-pass read energy", true,
         [](const Run& r) { return optional_number(r, sim::summary::energy_test_read.path); },
         fmt_energy},
        {"latency_s", "training latency (read + write)", true, busy_s, fmt_time},
        {"edp_Js", "energy-delay product (training, whole bill)", true,
         [](const Run& r) { return r.number(sim::summary::energy_total.path) * busy_s(r); },
         fmt_edp},
        {"accuracy_per_J_pct_per_J", "accuracy per joule (final % / training J, whole bill)", true,
         [](const Run& r) {
             return r.number(sim::summary::final_accuracy.path) /
                    r.number(sim::summary::energy_total.path);
         },
         fmt_acc_per_J},
        {"inference_energy_per_image_J", "inference energy per image", true,
         [](const Run& r) {
             return optional_number(r, sim::summary::inference_energy_per_image.path);
         },
         fmt_energy},
        {"tops_per_W", "inference TOPS/W", true,
         [](const Run& r) { return optional_number(r, sim::summary::tops_per_w.path); }, fmt_tops},
        {"software_wall_s", "software: wall time", false,
         [](const Run& r) { return optional_number(r, sim::summary::wall.path); }, fmt_time},
        {"software_cpu_s", "software: CPU time", false,
         [](const Run& r) { return optional_number(r, sim::summary::cpu.path); }, fmt_time},
    };
    return m;
}

const Metric& metric(const std::string& key) {
    for (const auto& m : metrics())
        if (m.key == key) return m;
    throw std::invalid_argument("unknown metric " + key);
}

Stat stat(const std::vector<double>& v) {
    Stat s;
    s.n = v.size();
    if (v.empty()) return s;
    double sum = 0;
    for (double x : v) sum += x;
    s.mean = sum / static_cast<double>(v.size());
    if (v.size() > 1) {
        double ss = 0;
        for (double x : v) ss += (x - s.mean) * (x - s.mean);
        s.sd = std::sqrt(ss / static_cast<double>(v.size() - 1));
    }
    return s;
}

Stat Group::of(const std::vector<Run>& all, const Metric& m) const {
    std::vector<double> v;
    for (auto i : runs) v.push_back(m.get(all[i]));
    return stat(v);
}

namespace {

std::map<std::string, std::string> group_key(const Run& r) {
    auto k = r.flat_config();
    k.erase("seed");
    if (const json* f = json_at(r.manifest, "dataset.files"); f) k["#dataset"] = f->dump();
    return k;
}

std::string short_key(const std::string& k) {
    auto dot = k.rfind('.');
    return dot == std::string::npos ? k : k.substr(dot + 1);
}

}  // namespace

std::vector<Group> group_runs(const std::vector<Run>& runs) {
    std::vector<Group> groups;
    std::vector<std::map<std::string, std::string>> keys;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        auto k = group_key(runs[i]);
        auto it = std::find(keys.begin(), keys.end(), k);
        if (it != keys.end()) {
            groups[static_cast<std::size_t>(it - keys.begin())].runs.push_back(i);
            continue;
        }
        keys.push_back(k);
        Group g;
        g.runs = {i};
        g.hardware = runs[i].hardware();
        g.label = g.hardware ? runs[i].device() : "software MLP";
        groups.push_back(g);
    }
    // Same label for different configurations: add the settings that tell them apart.
    for (std::size_t a = 0; a < groups.size(); ++a) {
        std::vector<std::size_t> same;
        for (std::size_t b = 0; b < groups.size(); ++b)
            if (groups[b].label == groups[a].label) same.push_back(b);
        if (same.size() < 2) continue;
        std::set<std::string> differing;
        for (const auto& [k, v] : keys[same[0]])
            for (auto b : same)
                if (!keys[b].count(k) || keys[b].at(k) != v) differing.insert(k);
        for (auto b : same)
            for (const auto& [k, v] : keys[b])
                if (!keys[same[0]].count(k)) differing.insert(k);
        std::string base = groups[a].label;
        // The optimizer first (it names a configuration best); a card's name and description
        // are not settings.
        std::vector<std::string> order;
        if (differing.count("training.optimizer")) order.emplace_back("training.optimizer");
        for (const auto& k : differing)
            if (k != "training.optimizer" && k != "name" && k != "description") order.push_back(k);
        for (auto b : same) {
            std::string extra;
            int shown = 0;
            for (const auto& k : order) {
                if (k == "#dataset" || shown == 3) continue;
                auto it = keys[b].find(k);
                extra += fmt::format("{}{}={}", extra.empty() ? "" : ", ", short_key(k),
                                     it == keys[b].end() ? "—" : it->second);
                ++shown;
            }
            if (extra.empty() || differing.count("#dataset"))
                extra +=
                    (extra.empty() ? "" : ", ") + runs[groups[b].runs[0]].dir.filename().string();
            groups[b].label = base + " (" + extra + ")";
        }
    }
    return groups;
}

std::vector<Flag> find_flags(const std::vector<Run>& runs) {
    std::vector<Flag> flags;
    if (runs.empty()) return flags;
    const Run& ref = runs[0];
    auto name = [](const Run& r) { return r.dir.filename().string(); };
    auto files = [](const Run& r) {
        std::map<std::string, std::string> m;
        if (const json* f = json_at(r.manifest, "dataset.files"); f && f->is_object())
            for (const auto& [k, v] : f->items())
                m[k] = v.is_string() ? v.get<std::string>() : v.dump();
        return m;
    };
    auto ref_files = files(ref);
    auto ref_cfg = ref.flat_config();
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const Run& r = runs[i];
        if (!r.complete())
            flags.push_back(
                {"incomplete", fmt::format("run {} is not complete (status '{}', {} epochs): its "
                                           "totals cover only the epochs done",
                                           name(r), r.status(), r.epochs.size())});
        if (auto z = detail::zero_costs(r); !z.empty()) {
            std::string list;
            for (const auto& x : z) list += (list.empty() ? "" : ", ") + x;
            flags.push_back({"costs", fmt::format("run {} reports zero {}: missing costs, so "
                                                  "ratios involving them are not meaningful",
                                                  name(r), list)});
        }
        if (i == 0) continue;
        auto f = files(r);
        if (f.empty() || ref_files.empty()) {
            if (f.empty() != ref_files.empty() || f.empty())
                flags.push_back(
                    {"dataset", fmt::format("run {} has no dataset hashes in manifest.json: cannot "
                                            "check that {} and {} used the same data",
                                            f.empty() ? name(r) : name(ref), name(ref), name(r))});
        } else if (f != ref_files) {
            std::string diff;
            std::set<std::string> all;
            for (const auto& [k, v] : f) all.insert(k);
            for (const auto& [k, v] : ref_files) all.insert(k);
            for (const auto& k : all) {
                auto a = ref_files.count(k) ? ref_files.at(k).substr(0, 12) : std::string("absent");
                auto b = f.count(k) ? f.at(k).substr(0, 12) : std::string("absent");
                if (a != b)
                    diff +=
                        fmt::format("{}{} sha256 {}… vs {}…", diff.empty() ? "" : "; ", k, a, b);
            }
            flags.push_back({"dataset", fmt::format("runs {} and {} used DIFFERENT DATASET FILES "
                                                    "({}): their accuracies are not comparable",
                                                    name(ref), name(r), diff)});
        }
        auto c = r.flat_config();
        std::string tech_diff, setup_diff;
        std::set<std::string> keys;
        for (const auto& [k, v] : c) keys.insert(k);
        for (const auto& [k, v] : ref_cfg) keys.insert(k);
        for (const auto& k : keys) {
            auto a = ref_cfg.count(k) ? ref_cfg.at(k) : std::string("absent");
            auto b = c.count(k) ? c.at(k) : std::string("absent");
            if (a == b) continue;
            auto item = fmt::format("{}{}: {} vs {}", "", k, a, b);
            if (k.rfind("tech.", 0) == 0)
                tech_diff += (tech_diff.empty() ? "" : "; ") + item;
            else if (k.rfind("dataset.", 0) == 0 || k == "layers" || k == "training.epochs" ||
                     k == "training.images_per_epoch" || k == "training.sampling" ||
                     k == "training.test_images" || k == "activation")
                setup_diff += (setup_diff.empty() ? "" : "; ") + item;
        }
        if (!tech_diff.empty())
            flags.push_back({"tech", fmt::format("runs {} and {} used DIFFERENT TECHNOLOGY CARDS "
                                                 "({}): area, energy and latency differences mix "
                                                 "device and technology effects",
                                                 name(ref), name(r), tech_diff)});
        if (!setup_diff.empty())
            flags.push_back(
                {"setup", fmt::format("runs {} and {} differ in their training setup ({})",
                                      name(ref), name(r), setup_diff)});
        else if (r.epochs.size() != ref.epochs.size())
            flags.push_back(
                {"setup",
                 fmt::format("runs {} and {} completed different numbers of epochs ({} vs {})",
                             name(ref), name(r), ref.epochs.size(), r.epochs.size())});
    }
    return flags;
}

}  // namespace synbench::report
