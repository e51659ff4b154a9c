#include "report/cpu_baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>

#include "config/config.hpp"
#include "report/format.hpp"
#include "sim/summary_fields.hpp"
#include "units/units.hpp"
#include "util/card_search.hpp"
#include "util/files.hpp"

namespace synbench::report {

namespace fs = std::filesystem;
namespace u = synbench::units;
using config::Limits;

const CpuPreset* CpuEnergyData::preset(const std::string& name) const {
    for (const auto& p : presets)
        if (p.name == name) return &p;
    return nullptr;
}

CpuEnergyData load_cpu_energy(const fs::path& file) {
    auto doc = config::load_file(file);
    config::Section root(doc);
    CpuEnergyData d;
    d.file = file.string();
    const auto raw = root.raw("presets");
    if (!raw.IsMap() || raw.size() == 0)
        throw root.error("presets", "expected a mapping of preset name to {power, what, source}");
    auto ps = root.section("presets");
    for (auto it = raw.begin(); it != raw.end(); ++it) {
        const auto name = it->first.Scalar();
        auto p = ps.section(name);
        CpuPreset c;
        c.name = name;
        c.power_W = p.quantity("power", u::power, Limits::positive());
        c.what = p.text("what");
        c.source = p.text("source");
        d.presets.push_back(c);
    }
    auto fp = root.section("floating_point");
    d.fp_multiply_J = fp.quantity("multiply", u::energy, Limits::positive());
    d.fp_add_J = fp.quantity("add", u::energy, Limits::positive());
    d.fp_what = fp.text("what");
    d.fp_source = fp.text("source");
    auto pp = root.section("founding_paper");
    d.paper.hardware = pp.text("hardware");
    d.paper.hardware_accuracy_pct = pp.number("hardware_accuracy", Limits::between(0, 100));
    d.paper.abstract_accuracy_pct = pp.number("abstract_accuracy", Limits::between(0, 100));
    d.paper.hardware_energy_J = pp.quantity("hardware_energy", u::energy, Limits::positive());
    d.paper.computer = pp.text("computer");
    d.paper.computer_accuracy_pct = pp.number("computer_accuracy", Limits::between(0, 100));
    d.paper.computer_energy_J = pp.quantity("computer_energy", u::energy, Limits::positive());
    d.paper.source = pp.text("source");
    root.finish();
    return d;
}

std::optional<fs::path> find_cpu_energy() {
    for (const auto& r : util::card_search_roots()) {
        const auto p = r / "data" / "cpu-energy.yaml";
        if (fs::exists(p)) return p;
    }
    return std::nullopt;
}

FlopCount optimizer_ops(const std::string& o) {
    // Per weight per step; √ and ÷ count as one multiply each (a floor: they cost more).
    //   sgd       η·g; w + Δ                                                   1 mul, 1 add
    //   momentum  γ·v, (1−γ)·g, +; η·v; w + Δ                                  3 mul, 2 add
    //   adagrad   g², s +; √s, + ε, g ÷; η·; w + Δ                             4 mul, 3 add
    //   rmsprop   ρ·s, (1−ρ)·g², g² (3), +; √, + ε, ÷; η·; w + Δ               6 mul, 3 add
    //   adam      m: 2 mul 1 add; v: 3 mul 1 add; m̂, v̂: 2 mul; √, + ε, ÷, η·;
    //             w + Δ                                                        10 mul, 4 add
    //   adadelta  s: 3 mul 1 add; Δx: 2 √, ÷, ·g, 2 + ε; d: 3 mul 1 add; η·Δx;
    //             w + Δ                                                        11 mul, 5 add
    static const std::map<std::string, FlopCount> ops{{"sgd", {1, 1}},     {"momentum", {3, 2}},
                                                      {"adagrad", {4, 3}}, {"rmsprop", {6, 3}},
                                                      {"adam", {10, 4}},   {"adadelta", {11, 5}}};
    auto it = ops.find(o);
    if (it == ops.end())
        throw Error(
            fmt::format("optimizer '{}': no floating-point operation count (expected one "
                        "of sgd, momentum, adagrad, rmsprop, adam, adadelta)",
                        o));
    return it->second;
}

FlopCount software_flops(const SoftwareShape& s) {
    double w = 0, w2 = 0;
    for (std::size_t l = 1; l < s.layers.size(); ++l) {
        const double n = static_cast<double>(s.layers[l - 1] * s.layers[l]);
        w += n;
        if (l >= 2) w2 += n;
    }
    const bool batched = s.batch > 1;
    const auto upd = optimizer_ops(s.optimizer);
    FlopCount f;
    // Per training image: forward MACs, backward MACs into hidden layers, gradient products,
    // batch accumulation.
    f.multiplies += s.train_images * (w + w2 + w);
    f.adds += s.train_images * (w + w2 + (batched ? w : 0.0));
    // Per optimizer step: batch average and the update rule.
    f.multiplies += s.steps * w * (upd.multiplies + (batched ? 1.0 : 0.0));
    f.adds += s.steps * w * upd.adds;
    // Per test image: forward MACs.
    f.multiplies += s.test_images * w;
    f.adds += s.test_images * w;
    return f;
}

SoftwareShape shape_of(const Run& r) {
    SoftwareShape s;
    const std::string cfg = (r.dir / "config.yaml").string();
    auto need = [&](const YAML::Node& n, const char* key) {
        if (!n || n.IsNull())
            throw Error(
                fmt::format("{}: no '{}' (needed to count the software run's "
                            "floating-point operations)",
                            cfg, key));
        return n;
    };
    try {
        for (const auto& n : need(r.config["layers"], "layers")) {
            if (n.IsMap())
                throw Error(
                    fmt::format("{}: a layer-graph network (layers as mappings): the CPU "
                                "baseline counts an MLP's operations from its widths; "
                                "not supported yet for layer graphs",
                                cfg));
            s.layers.push_back(n.as<std::size_t>());
        }
        const auto tr = need(r.config["training"], "training");
        s.batch = need(tr["batch_size"], "training.batch_size").as<int>();
        s.optimizer = need(tr["optimizer"], "training.optimizer").as<std::string>();
        const auto per_epoch_test = tr["test_images"] ? tr["test_images"].as<long>() : 0L;
        long test = per_epoch_test;
        if (test == 0) {
            const auto* t = json_at(r.manifest, "dataset.test_images");
            if (!t) t = json_at(r.manifest, "dataset.test_set_images");
            if (t && t->is_number())
                test = t->get<long>();
            else
                throw Error(
                    fmt::format("{}: training.test_images is 0 (the whole test set) and "
                                "manifest.json has no dataset.test_images",
                                cfg));
        }
        for (double n : r.epochs.column("train_images")) {
            s.train_images += n;
            s.steps += std::ceil(n / static_cast<double>(std::max(1, s.batch)));
        }
        s.test_images = static_cast<double>(test) * static_cast<double>(r.epochs.size());
    } catch (const YAML::Exception& e) {
        throw Error(fmt::format("{}: layers/training not as expected ({})", cfg, e.msg));
    }
    if (s.layers.size() < 2) throw Error(cfg + ": 'layers' needs at least two entries");
    return s;
}

std::vector<EnergyCounter> read_energy_counters(const fs::path& dir, const std::string& prefix) {
    std::vector<EnergyCounter> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    const std::regex top(prefix + ":[0-9]+");
    auto read_number = [](const fs::path& p) -> std::optional<double> {
        std::ifstream in(p);
        double v = 0;
        if (!(in >> v) || !(v >= 0)) return std::nullopt;
        return v;
    };
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto zone = e.path().filename().string();
        if (!std::regex_match(zone, top)) continue;
        auto energy = read_number(e.path() / "energy_uj");
        auto range = read_number(e.path() / "max_energy_range_uj");
        if (!energy || !range) continue;  // absent or unreadable (root-only on newer kernels)
        EnergyCounter c;
        c.zone = zone;
        c.energy_uj = *energy;
        c.max_range_uj = *range;
        std::ifstream nf(e.path() / "name");
        std::getline(nf, c.name);
        out.push_back(c);
    }
    std::sort(out.begin(), out.end(),
              [](const EnergyCounter& a, const EnergyCounter& b) { return a.zone < b.zone; });
    return out;
}

CounterDelta energy_between(const std::vector<EnergyCounter>& before,
                            const std::vector<EnergyCounter>& after) {
    CounterDelta d;
    for (const auto& a : after)
        for (const auto& b : before) {
            if (a.zone != b.zone) continue;
            double uj = a.energy_uj - b.energy_uj;
            if (uj < 0) {
                uj += a.max_range_uj;
                ++d.wrapped;
            }
            d.energy_J += uj * 1e-6;
            ++d.zones;
        }
    return d;
}

bool record_energy_counters(const fs::path& run_dir, const fs::path& source,
                            const std::vector<EnergyCounter>& before,
                            const std::vector<EnergyCounter>& after, bool resumed) {
    const auto d = energy_between(before, after);
    if (d.zones == 0) return false;
    const auto file = run_dir / "energy_counters.json";
    nlohmann::json j;
    double earlier = 0;
    int sessions = 0;
    if (resumed && fs::exists(file)) {
        try {
            auto old = nlohmann::json::parse(util::read_file(file));
            earlier = old.value("energy_J", 0.0);
            sessions = old.value("sessions", 0);
        } catch (const std::exception&) {
            throw Error(file.string() + ": not valid JSON; cannot add this session's energy");
        }
    }
    std::string zones;
    for (const auto& a : after)
        for (const auto& b : before)
            if (a.zone == b.zone)
                zones += fmt::format("{}{} {}", zones.empty() ? "" : ", ", a.zone, a.name);
    j["source"] = source.string();
    j["zones_text"] = zones;
    j["energy_J"] = earlier + d.energy_J;
    j["sessions"] = sessions + 1;
    j["wrapped"] = d.wrapped;
    j["note"] =
        "energy counted by the kernel's powercap zones between the start and the end of the "
        "training command (every session of the run added): the whole package, other processes "
        "included; a counter that wrapped more than once between two readings is not detected";
    util::write_atomic(file, j.dump(1) + "\n");
    return true;
}

double CpuBracket::high_J() const {
    double h = floor_J;
    for (const auto& e : estimates) h = std::max(h, e.energy_J);
    return h;
}

CpuBracket cpu_bracket(const std::vector<const Run*>& runs, const CpuEnergyData& data,
                       const std::vector<std::string>& presets, std::optional<double> power_W) {
    CpuBracket b;
    if (runs.empty()) return b;
    double n = 0, measured = 0;
    int measured_runs = 0;
    std::string measured_zones;
    for (const Run* r : runs) {
        const auto f = software_flops(shape_of(*r));
        b.flops.multiplies += f.multiplies;
        b.flops.adds += f.adds;
        const auto* cpu = json_at(r->summary, sim::summary::cpu.path);
        const auto* wall = json_at(r->summary, sim::summary::wall.path);
        if (!cpu || !cpu->is_number())
            throw Error(fmt::format("{}: no {} (the software run's CPU time)",
                                    (r->dir / "summary.json").string(), sim::summary::cpu.path));
        b.cpu_s += cpu->get<double>();
        b.wall_s += wall && wall->is_number() ? wall->get<double>() : 0.0;
        const auto ec = r->dir / "energy_counters.json";
        if (fs::exists(ec)) {
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(util::read_file(ec));
            } catch (const std::exception&) {
                throw Error(ec.string() + ": not valid JSON");
            }
            if (!j.contains("energy_J") || !j["energy_J"].is_number())
                throw Error(ec.string() + ": no number 'energy_J'");
            measured += j["energy_J"].get<double>();
            ++measured_runs;
            measured_zones = j.value("zones_text", std::string());
        }
        n += 1;
    }
    b.flops.multiplies /= n;
    b.flops.adds /= n;
    b.cpu_s /= n;
    b.wall_s /= n;
    b.floor_J = b.flops.multiplies * data.fp_multiply_J + b.flops.adds * data.fp_add_J;
    if (measured_runs == static_cast<int>(runs.size())) {
        b.measured_J = measured / n;
        b.estimates.push_back({"measured by the kernel's energy counters around the run",
                               *b.measured_J,
                               "energy_counters.json (powercap " + measured_zones + ")"});
    }
    std::vector<std::string> names = presets;
    if (names.empty())
        for (const auto& p : data.presets) names.push_back(p.name);
    for (const auto& name : names) {
        const CpuPreset* p = data.preset(name);
        if (!p) {
            std::string known;
            for (const auto& q : data.presets) known += (known.empty() ? "" : ", ") + q.name;
            throw Error(fmt::format("--cpu-preset: no preset '{}' in {} (expected one of {})", name,
                                    data.file, known));
        }
        b.estimates.push_back({fmt::format("CPU time × {} ({})", power(p->power_W), p->name),
                               b.cpu_s * p->power_W, p->source});
    }
    if (power_W)
        b.estimates.push_back({fmt::format("CPU time × {}", power(*power_W)), b.cpu_s * *power_W,
                               "--cpu-power (an assumed power)"});
    return b;
}

std::string ratio_range(double low, double high) {
    auto one = [](double v) {
        if (!(v > 0) || !std::isfinite(v)) return std::string("—");
        return fmt::format("{:.3g}", v);
    };
    if (std::fabs(high - low) <= 1e-9 * std::fabs(high)) return one(low);
    return one(low) + " … " + one(high);
}

}  // namespace synbench::report
