// The per-run tables: setup, provenance, results, per-epoch rows, energy and area breakdowns.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "report/format.hpp"
#include "report/run_parts.hpp"
#include "sim/results.hpp"
#include "sim/summary_fields.hpp"

namespace synbench::report::detail {

namespace u = synbench::units;
using nlohmann::json;

namespace {
// A config scalar for humans: numbers to 6 digits, quantities with a prefix ("2 GHz", "300 µs").
std::string pretty(const std::string& s) {
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size()) return fmt::format("{:.6g}", v);
    if (s.empty() ||
        !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '.'))
        return s;
    try {
        auto q = u::parse(s);
        return human(q.value, q.dim, 6);
    } catch (const std::exception&) {
        return s;
    }
}
}  // namespace

std::string cfg(const YAML::Node& root, const std::string& dotted) {
    YAML::Node cur = YAML::Clone(root);
    std::size_t start = 0;
    while (true) {
        auto dot = dotted.find('.', start);
        auto key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!cur.IsMap() || !cur[key]) return "—";
        cur = cur[key];
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    if (cur.IsScalar()) return pretty(cur.Scalar());
    if (cur.IsSequence()) {
        std::string s = "[";
        for (std::size_t i = 0; i < cur.size(); ++i)
            s += (i ? ", " : "") + (cur[i].IsScalar() ? pretty(cur[i].Scalar()) : std::string("…"));
        return s + "]";
    }
    return "—";
}

namespace {

std::string jtext(const json& j, const std::string& dotted) {
    const json* v = json_at(j, dotted);
    if (!v || v->is_null()) return "—";
    if (v->is_string()) return v->get<std::string>();
    return v->dump();
}

// "name, layers [400, 100, 10], sigmoid", or for a layer graph "name, layers conv2d 6@5×5 relu →
// max_pool 2 → … → dense 10 softmax".
std::string network_text(const YAML::Node& c) {
    const YAML::Node l = c["layers"];
    if (!(l && l.IsSequence() && l.size() > 0 && l[0].IsMap()))
        return cfg(c, "name") + ", layers " + cfg(c, "layers") + ", " + cfg(c, "activation");
    std::string s;
    for (std::size_t i = 0; i < l.size(); ++i) {
        const auto text = [&](const char* key) {
            const std::string v = cfg(l[i], key);
            return v == "—" ? std::string() : v;
        };
        std::string t = text("type");
        if (!text("units").empty()) t += " " + text("units");
        if (!text("channels").empty())
            t += " " + text("channels") + "@" + text("kernel") + "×" + text("kernel");
        else if (!text("kernel").empty())
            t += " " + text("kernel");
        const auto act = text("activation");
        if (!act.empty() && act != "none") t += " " + act;
        s += (s.empty() ? "" : " → ") + t;
    }
    return cfg(c, "name") + ", layers " + s;
}

std::string num_or_dash(const Run& r, const std::string& key, std::string (*f)(double)) {
    const json* v = json_at(r.summary, key);
    return v && v->is_number() ? f(v->get<double>()) : "—";
}

std::string accuracy_text(double a) { return percent(a); }
std::string count_text(double a) { return count(a); }
std::string fj_per_mac(double a) { return fmt::format("{:.4g} fJ", a); }
std::string tops_w(double a) { return fmt::format("{:.4g} TOPS/W", a); }

}  // namespace

std::vector<std::string> zero_costs(const Run& r) {
    std::vector<std::string> out;
    if (!r.hardware()) return out;
    namespace S = sim::summary;
    for (const auto& [key, label] : {std::pair<const char*, const char*>{S::area.path, "area"},
                                     {S::leakage.path, "leakage power"},
                                     {S::energy_read.path, "read energy"},
                                     {S::energy_write.path, "write energy"},
                                     {S::latency_read.path, "read latency"},
                                     {S::latency_write.path, "write latency"}})
        if (r.number(key) == 0) out.emplace_back(label);
    return out;
}

Table setup_table(const Run& r) {
    const auto& c = r.config;
    Table t{"setup", "Setup (from config.yaml)", {"item", "value"}, {}, {}, true, false};
    auto row = [&](std::string k, std::string v) {
        t.rows.push_back({std::move(k), std::move(v)});
    };
    row("device card", cfg(c, "device.name") + " — " + cfg(c, "device.source.paper"));
    row("device model", cfg(c, "device.model") + ", " + cfg(c, "device.ltp.levels") + " LTP / " +
                            cfg(c, "device.ltd.levels") + " LTD levels, NL " +
                            cfg(c, "device.ltp.nl") + " / " + cfg(c, "device.ltd.nl"));
    {
        // Tech cards hold every flavour; the run used tech.flavour at tech.temperature.
        const std::string flavour = cfg(c, "tech.flavour");
        row("technology", cfg(c, "tech.name") + " " + flavour + " (Vdd " +
                              cfg(c, "tech.flavours." + flavour + ".vdd") + ", " +
                              cfg(c, "tech.temperature") + ")");
    }
    row("network", network_text(c));
    row("dataset", cfg(c, "dataset.name") + ", crop " + cfg(c, "dataset.crop") + ", binarize " +
                       cfg(c, "dataset.binarize"));
    row("training", cfg(c, "training.epochs") + " epochs × " + cfg(c, "training.images_per_epoch") +
                        " images (" + cfg(c, "training.sampling") + "), batch " +
                        cfg(c, "training.batch_size"));
    row("optimizer",
        cfg(c, "training.optimizer") + ", learning rate " + cfg(c, "training.learning_rate"));
    // A hardware field under its macro-card name, else under its alias (circuit/options.cpp).
    auto hw = [&](const std::string& name, const std::string& alias) {
        const auto v = cfg(c, "hardware." + name);
        return v == "—" ? cfg(c, "hardware." + alias) : v;
    };
    // The training-side settings a run records (older runs lack some: left out).
    auto extra = [&] {
        std::string e;
        const auto upd = cfg(c, "hardware.update");
        if (upd != "—") e += ", " + upd + " rounding of Δw";
        const auto ab = cfg(c, "hardware.activation_bits");
        if (ab != "—" && ab != "1") e += ", " + ab + "-bit hidden activations";
        const auto range = cfg(c, "hardware.weight_range");
        if (range == "initial")
            e += ", weight range from each layer's initial bound (fill " +
                 cfg(c, "hardware.initial_fill") + ")";
        const auto adc_range = cfg(c, "hardware.adc_range");
        if (adc_range != "—" && adc_range != "1") e += ", ADC span " + adc_range + " of full scale";
        return e;
    };
    row("hardware",
        cfg(c, "hardware.enabled") == "true"
            ? fmt::format(
                  "{}-bit inputs, {}-bit ADC ({}), read mux {}, write mux {}, clock {}, {}{}",
                  hw("input.bits", "input_bits"), hw("converter.bits", "adc_bits"),
                  hw("converter.kind", "read_circuit"),
                  hw("converter.columns_per_converter", "read_mux"), cfg(c, "hardware.write_mux"),
                  cfg(c, "hardware.clock"), hw("weight.scheme", "signed_weights"), extra())
            : std::string("disabled (software mode: no hardware costs)"));
    row("seed", cfg(c, "seed"));
    return t;
}

Table provenance_table(const Run& r) {
    const auto& m = r.manifest;
    Table t{"provenance", "Provenance (from manifest.json)", {"item", "value"}, {}, {}, false,
            false};
    auto row = [&](std::string k, std::string v) {
        t.rows.push_back({std::move(k), std::move(v)});
    };
    row("synbench",
        jtext(m, "synbench.version") + " (git " + jtext(m, "synbench.git_revision") + ")");
    row("build", jtext(m, "build.compiler") + ", " + jtext(m, "build.build_type") + ", " +
                     jtext(m, "build.flags"));
    row("cpu / host / threads",
        jtext(m, "build.cpu") + " / " + jtext(m, "host") + " / " + jtext(m, "threads"));
    if (m.contains("command") && m["command"].is_array()) {
        std::string cmd;
        for (const auto& a : m["command"]) {
            if (!cmd.empty()) cmd += ' ';
            cmd += a.is_string() ? a.get<std::string>() : a.dump();
        }
        row("command", cmd);
    }
    if (m.contains("inputs") && m["inputs"].is_array())
        for (const auto& in : m["inputs"])
            row("input " + in.value("file", std::string("?")),
                "sha256 " + in.value("sha256", std::string("?")));
    if (const json* f = json_at(m, "dataset.files"); f && f->is_object())
        for (const auto& [k, v] : f->items())
            row("dataset " + k, "sha256 " + (v.is_string() ? v.get<std::string>() : v.dump()));
    row("started / finished", jtext(m, "started_at") + " / " + jtext(m, "finished_at"));
    const json* w = json_at(m, "wall_s");
    row("wall time", w && w->is_number() ? duration(w->get<double>()) : "—");
    row("status",
        jtext(m, "status") + fmt::format(" ({} of {} epochs)", jtext(m, "epochs_completed"),
                                         jtext(m, "epochs_planned")));
    return t;
}

Table results_table(const Run& r) {
    Table t{"results", "Final results (from summary.json)", {"quantity", "value"}, {}, {}, true,
            false};
    auto row = [&](std::string k, std::string v) {
        t.rows.push_back({std::move(k), std::move(v)});
    };
    row("final test accuracy", percent(r.number(sim::summary::final_accuracy.path)));
    row("best test accuracy", num_or_dash(r, "best_accuracy", accuracy_text));
    if (r.hardware()) {
        row("area (macro)", area(r.number(sim::summary::area.path)));
        row("area (training periphery)",
            area(r.number_or(sim::summary::area_training_periphery.path, 0.0)));
        row("leakage power (macro)", power(r.number(sim::summary::leakage.path)));
        row("leakage power (training periphery)",
            power(r.number_or(sim::summary::leakage_training_periphery.path, 0.0)));
        row("training energy: read", energy(r.number(sim::summary::energy_read.path)));
        row("training energy: write", energy(r.number(sim::summary::energy_write.path)));
        row("training energy: training periphery",
            energy(r.number_or(sim::summary::energy_training_periphery.path, 0.0)));
        row("training energy: leakage", energy(r.number(sim::summary::energy_leakage.path)));
        for (const auto& b : sim::kEnergyBases)
            row(std::string("training energy, basis ") + b.label, energy(energy_on(r, b)));
        row("test passes: read energy",
            num_or_dash(r, sim::summary::energy_test_read.path, energy));
        row("training latency: read", duration(r.number(sim::summary::latency_read.path)));
        row("training latency: write", duration(r.number(sim::summary::latency_write.path)));
        row("test passes: read latency",
            num_or_dash(r, sim::summary::latency_test_read.path, duration));
        row("LTP / LTD pulses", num_or_dash(r, sim::summary::pulses_ltp.path, count_text) + " / " +
                                    num_or_dash(r, sim::summary::pulses_ltd.path, count_text));
        row("inference energy per image",
            num_or_dash(r, sim::summary::inference_energy_per_image.path, energy));
        row("inference latency per image",
            num_or_dash(r, sim::summary::inference_latency_per_image.path, duration));
        row("training energy per image",
            num_or_dash(r, sim::summary::training_energy_per_image.path, energy));
        row("energy per MAC (inference)",
            num_or_dash(r, sim::summary::fj_per_mac.path, fj_per_mac));
        row("throughput per watt (inference)",
            num_or_dash(r, sim::summary::tops_per_w.path, tops_w));
        if (const json* e = json_at(r.summary, "endurance"); e && e->is_object()) {
            row("programming cycles per cell: max / mean",
                num_or_dash(r, sim::summary::max_cycles.path, count_text) + " / " +
                    num_or_dash(r, sim::summary::mean_cycles.path, count_text));
            const json* lim = json_at(*e, "limit");
            row("cells beyond the endurance limit",
                num_or_dash(r, sim::summary::cells_beyond.path, count_text) +
                    (lim && lim->is_number() ? " (limit " + count(lim->get<double>()) + " cycles)"
                                             : " (no limit in the card)"));
        }
    }
    row("software: wall / CPU time", num_or_dash(r, sim::summary::wall.path, duration) + " / " +
                                         num_or_dash(r, sim::summary::cpu.path, duration));
    return t;
}

Table epochs_table(const Run& r, std::size_t max_rows) {
    // Columns: epoch, accuracy and every declared epoch cost (sim/results.hpp), by unit.
    Table t{"epochs", "Per epoch (training pass; test pass apart)", {"epoch", "accuracy"}, {}, {},
            true};
    for (const auto& f : sim::kEpochCostFields) t.header.emplace_back(f.f.label);
    std::size_t n = r.epochs.size();
    std::vector<std::size_t> pick;
    if (n <= max_rows) {
        for (std::size_t i = 0; i < n; ++i) pick.push_back(i);
    } else {
        for (std::size_t k = 0; k < max_rows; ++k) pick.push_back(k * (n - 1) / (max_rows - 1));
        pick.erase(std::unique(pick.begin(), pick.end()), pick.end());
        t.note = fmt::format(
            "{} of {} epochs shown (evenly spaced, first and last included); epochs.csv has them "
            "all.",
            pick.size(), n);
    }
    const auto& e = r.epochs;
    for (auto i : pick) {
        const auto& row = e.rows[i];
        std::vector<std::string> cells{count(row[e.col(sim::epoch::number.name)]),
                                       percent(row[e.col(sim::epoch::accuracy.name)])};
        for (const auto& f : sim::kEpochCostFields) {
            const double v = e.has(f.f.name) ? row[e.col(f.f.name)] : 0.0;  // optional column
            const std::string unit = f.f.unit;
            cells.push_back(unit == "s" ? duration(v) : unit == "J" ? energy(v) : count(v));
        }
        t.rows.push_back(std::move(cells));
    }
    return t;
}

Table energy_breakdown_table(const Run& r) {
    Table t{"energy-breakdown",
            "Energy and latency by block, whole run (sums over epochs.json breakdowns)",
            {"quantity", "block", "value", "share"},
            {},
            {},
            true};
    static const std::vector<std::pair<std::string, std::string>> kinds{
        {sim::epoch::read_energy.f.name, "training read energy"},
        {sim::epoch::write_energy.f.name, "training write energy"},
        {sim::epoch::test_read_energy.f.name, "test read energy"},
        {sim::epoch::read_latency.f.name, "training read latency"},
        {sim::epoch::write_latency.f.name, "training write latency"}};
    for (const auto& [key, label] : kinds) {
        auto items = breakdown_totals(r, key);
        double sum = 0;
        for (const auto& [k, v] : items) sum += v;
        bool is_time = key.find("latency") != std::string::npos;
        for (const auto& [k, v] : items)
            t.rows.push_back({label, k, is_time ? duration(v) : energy(v),
                              sum > 0 ? fmt::format("{:.1f} %", 100 * v / sum) : "—"});
    }
    t.rows.push_back({"training periphery energy", "all layers",
                      energy(r.number_or(sim::summary::energy_training_periphery.path, 0.0)), "—"});
    t.rows.push_back({"training leakage energy", "macro + training periphery",
                      energy(r.number(sim::summary::energy_leakage.path)), "—"});
    return t;
}

Table area_table(const Run& r) {
    Table t{"area",
            "Area and leakage power by block (summary.json area_breakdown)",
            {"block", "area", "share of area", "leakage", "share of leakage"},
            {},
            {},
            true};
    const json& root = r.summary["area_breakdown"];
    double ta = root.value("area_m2", 0.0), tl = root.value("leakage_W", 0.0);
    auto walk = [&](auto&& self, const json& n, const std::string& path) -> void {
        double a = n.value("area_m2", 0.0), l = n.value("leakage_W", 0.0);
        t.rows.push_back({path, area(a), ta > 0 ? fmt::format("{:.1f} %", 100 * a / ta) : "—",
                          power(l), tl > 0 ? fmt::format("{:.1f} %", 100 * l / tl) : "—"});
        if (n.contains("children"))
            for (const auto& ch : n["children"])
                self(self, ch, path + " / " + ch.value("name", std::string("?")));
    };
    walk(walk, root, root.value("name", std::string("macro")));
    return t;
}

}  // namespace synbench::report::detail
