#include "sweep/macro_sweep.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "circuit/macro_card.hpp"
#include "config/config.hpp"
#include "sweep/driver.hpp"
#include "sweep/sweep_fields.hpp"
#include "sweep/sweep_file.hpp"
#include "util/files.hpp"

namespace synbench::sweep {

namespace {

struct MacroAxis {
    std::string key;
    std::vector<std::string> values;  // YAML text of each value
};

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' || c == '\r' ? ' ' : c);
    return q + "\"";
}

}  // namespace

bool is_macro_sweep(const std::filesystem::path& file) {
    try {
        auto doc = config::load_file(file);
        const YAML::Node& root = doc.root;
        return root.IsMap() && root["macro"].IsDefined();
    } catch (const config::Error&) {
        return false;  // the regular loader reports the problem
    }
}

MacroSweepResult run_macro_sweep(const std::filesystem::path& file, std::filesystem::path out,
                                 bool force, int jobs, bool quiet) {
    auto doc = config::load_file(file);
    config::Section s(doc);
    MacroSweepResult res;
    // The fields as declared (sweep/sweep_fields.cpp).
    const auto& F = fields::macro_sweep();
    {
        auto f = config::field(F, "name");
        f.def = file.stem().string();
        res.name = s.read_text(f);
    }
    (void)s.maybe_text(config::field(F, "description").name);
    const auto written = s.read_text(config::field(F, "macro"));
    std::filesystem::path card = written;
    if (card.is_relative() && !std::filesystem::exists(card) &&
        std::filesystem::exists(file.parent_path() / card))
        card = file.parent_path() / card;
    if (!std::filesystem::exists(card))
        throw s.error("macro", fmt::format("macro card '{}' does not exist", written));
    const auto mode = s.read_text(config::field(F, "mode"));
    std::vector<MacroAxis> axes;
    {
        const auto an = s.raw(config::field(F, "axes").name);
        if (!an.IsMap() || an.size() == 0)
            throw s.error("axes", "expected a mapping of card fields to lists of values");
        for (auto it = an.begin(); it != an.end(); ++it) {
            MacroAxis a;
            a.key = it->first.Scalar();
            if (a.key == "tech" || a.key == "device" || a.key.rfind("tech.", 0) == 0 ||
                a.key.rfind("device.", 0) == 0 || a.key.rfind("source", 0) == 0 || a.key == "name")
                throw s.error("axes",
                              fmt::format("'{}': a macro sweep varies the card's own fields "
                                          "(array, rows_active, weight, input, converter, "
                                          "output, clock, supplies, activity, cell)",
                                          a.key));
            const YAML::Node vals = it->second;
            if (!vals.IsSequence() || vals.size() == 0)
                throw s.error("axes",
                              fmt::format("'{}': expected a non-empty list of values", a.key));
            for (std::size_t k = 0; k < vals.size(); ++k) {
                const YAML::Node v = vals[k];
                if (!v.IsScalar())
                    throw s.error("axes", fmt::format("'{}': values must be scalars", a.key));
                a.values.push_back(v.Scalar());
            }
            axes.push_back(std::move(a));
        }
    }
    s.finish();
    std::size_t n = 1;
    if (mode == "zip") {
        n = axes[0].values.size();
        for (const auto& a : axes)
            if (a.values.size() != n)
                throw s.error("axes", fmt::format("mode zip: axis '{}' has {} values, '{}' has {}",
                                                  a.key, a.values.size(), axes[0].key, n));
    } else {
        for (const auto& a : axes) {
            n *= a.values.size();
            if (n > kMaxCombinations)
                throw s.error("axes", fmt::format("more than {} points", kMaxCombinations));
        }
    }
    const std::string card_text = util::read_file(card);
    // The base card loaded once: its tech and device cards and the data files are reused by
    // every point (the axes cannot change them).
    const auto cache = circuit::macro_card_cache(circuit::load_macro_card(card));
    const auto card_dir = card.parent_path();
    if (out.empty()) out = std::filesystem::path("results") / sanitize(res.name);
    check_output_dir(out, force);

    // Point i: its value index on each axis (product: the last axis fastest).
    auto index_of = [&](std::size_t i, std::size_t a) {
        if (mode == "zip") return i;
        std::size_t stride = 1;
        for (std::size_t b = axes.size(); b-- > a + 1;) stride *= axes[b].values.size();
        return (i / stride) % axes[a].values.size();
    };
    struct Row {
        bool ok = false;
        circuit::MacroEstimate e;
        std::string error;
    };
    std::vector<Row> rows(n);
    const auto t0 = std::chrono::steady_clock::now();
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i; (i = next++) < n;) {
            auto& r = rows[i];
            try {
                auto d = config::load_string(card_text, card.string());
                for (std::size_t a = 0; a < axes.size(); ++a)
                    config::apply_override(d, axes[a].key, axes[a].values[index_of(i, a)]);
                config::Section cs(d);
                const auto m = circuit::parse_macro_card(cs, card_dir, &cache);
                r.e = circuit::estimate_macro(m);
                r.ok = true;
            } catch (const std::exception& ex) {
                r.error = ex.what();
            }
        }
    };
    const int threads = jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    res.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::string csv = "point";
    for (const auto& a : axes) csv += "," + csv_cell(a.key);
    csv += ",area_m2,energy_per_mac_J,tops_per_w,tops_per_mm2,latency_per_mvm_s,status,error\n";
    for (std::size_t i = 0; i < n; ++i) {
        csv += std::to_string(i);
        for (std::size_t a = 0; a < axes.size(); ++a)
            csv += "," + csv_cell(axes[a].values[index_of(i, a)]);
        const auto& r = rows[i];
        if (r.ok)
            csv += fmt::format(",{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},complete,\n", r.e.area_m2,
                               r.e.energy_per_mac_J, r.e.tops_per_w, r.e.tops_per_mm2,
                               r.e.latency_per_mvm_s);
        else {
            ++res.failed;
            csv += ",,,,,,failed," + csv_cell(r.error) + "\n";
        }
    }
    std::filesystem::create_directories(out);
    res.csv = out / "sweep.csv";
    util::write_atomic(res.csv, csv);
    nlohmann::json m;
    m["sweep"] = res.name;
    m["synbench"] = "macro sweep";
    m["macro"] = card.string();
    m["points"] = n;
    m["failed"] = res.failed;
    util::write_atomic(out / "manifest.json", m.dump(2) + "\n");
    res.points = n;
    if (!quiet)
        std::cout << fmt::format("macro sweep {}: {} points on {} thread(s)\n", res.name, n,
                                 threads);
    return res;
}

}  // namespace synbench::sweep
