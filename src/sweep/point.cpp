#include "sweep/point.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <sstream>

#include "report/report.hpp"
#include "sim/costs.hpp"
#include "report/run_directory.hpp"
#include "sim/run.hpp"
#include "sim/summary_fields.hpp"
#include "util/files.hpp"

namespace synbench::sweep {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

void put(json& j, const char* key, const std::optional<double>& v) {
    if (v)
        j[key] = *v;
    else
        j[key] = nullptr;
}
std::optional<double> get(const json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) return std::nullopt;
    return j[key].get<double>();
}

// One line, with the sweep directory written as "DIR" so that the text does not depend on where
// the sweep was written (a local and an MPI run of the same sweep give identical rows).
std::string one_line(std::string s, const fs::path& out) {
    for (auto& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    const std::string o = out.string();
    if (!o.empty())
        for (auto pos = s.find(o); pos != std::string::npos; pos = s.find(o, pos + 3))
            s.replace(pos, o.size(), "DIR");
    return s;
}

// The YAML of a config file without its comment lines.
std::string strip_comments(const std::string& text) {
    std::istringstream in(text);
    std::string line, out;
    while (std::getline(in, line))
        if (line.rfind('#', 0) != 0) out += line + "\n";
    return out;
}

std::string host_name() {
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}

}  // namespace

json to_json(const PointResult& r) {
    json j;
    j["name"] = r.name;
    j["status"] = r.status;
    j["error"] = r.error;
    j["rank"] = r.rank;
    j["skipped"] = r.skipped;
    j["wall_s"] = r.wall_s;
    put(j, "final_accuracy", r.final_accuracy);
    put(j, "area_m2", r.area_m2);
    put(j, "energy_J", r.energy_J);
    put(j, "latency_s", r.latency_s);
    put(j, "leakage_W", r.leakage_W);
    put(j, "read_energy_per_image_J", r.read_energy_per_image_J);
    put(j, "read_latency_per_image_s", r.read_latency_per_image_s);
    return j;
}

PointResult point_result_from_json(const json& j) {
    PointResult r;
    r.name = j.at("name").get<std::string>();
    r.status = j.at("status").get<std::string>();
    r.error = j.at("error").get<std::string>();
    r.rank = j.at("rank").get<int>();
    r.skipped = j.at("skipped").get<bool>();
    r.wall_s = j.at("wall_s").get<double>();
    r.final_accuracy = get(j, "final_accuracy");
    r.area_m2 = get(j, "area_m2");
    r.energy_J = get(j, "energy_J");
    r.latency_s = get(j, "latency_s");
    r.leakage_W = get(j, "leakage_W");
    r.read_energy_per_image_J = get(j, "read_energy_per_image_J");
    r.read_latency_per_image_s = get(j, "read_latency_per_image_s");
    return r;
}

bool point_is_complete(const fs::path& dir, const std::string& resolved_yaml) {
    std::error_code ec;
    if (!fs::exists(dir / "summary.json", ec) || !fs::exists(dir / "config.yaml", ec)) return false;
    try {
        auto s = json::parse(util::read_file(dir / "summary.json"));
        if (!s.value("complete", false)) return false;
        return strip_comments(util::read_file(dir / "config.yaml")) ==
               strip_comments(resolved_yaml);
    } catch (const std::exception&) {
        return false;
    }
}

namespace {
// A directory a run wrote: its manifest.json is a synbench run manifest.
bool is_run_directory(const fs::path& dir) {
    try {
        const auto m = json::parse(util::read_file(dir / "manifest.json"));
        return m.is_object() && m.contains("synbench") && m.contains("status");
    } catch (const std::exception&) {
        return false;
    }
}
}  // namespace

PointResult run_point(const Sweep& sw, const Point& p, const PointContext& ctx) {
    PointResult r;
    r.name = p.name;
    r.rank = ctx.rank;
    const auto t0 = std::chrono::steady_clock::now();
    const fs::path dir = ctx.out / "points" / p.name;
    auto fill_from_summary = [&] {
        namespace S = sim::summary;  // the declared summary.json fields
        auto s = json::parse(util::read_file(dir / "summary.json"));
        auto at = [&](const S::Field& f) {
            return s.at(json::json_pointer(S::pointer(f))).get<double>();
        };
        r.final_accuracy = at(S::final_accuracy);
        r.area_m2 = at(S::area);
        r.leakage_W = at(S::leakage);
        r.energy_J = at(S::energy_total);
        r.latency_s = at(S::latency_read) + at(S::latency_write);
    };
    try {
        auto ex = sim::load_experiment(point_inputs(sw, p));
        sim::require_trainable(ex, "sweep");
        if (ctx.estimate) {
            auto table = sim::cost_table(ex);
            auto e = sim::estimate_inference(ex, table);
            r.area_m2 = table.total.area_m2;
            r.leakage_W = table.total.leakage_W;
            r.read_energy_per_image_J = e.energy_J;
            r.read_latency_per_image_s = e.latency_s;
            r.status = "complete";
            r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            return r;
        }
        const std::string resolved = config::to_yaml(ex.resolved);
        if (point_is_complete(dir, resolved)) {
            r.skipped = true;
            r.status = "complete";
            fill_from_summary();
            try {
                auto sp = json::parse(util::read_file(dir / "sweep_point.json"));
                r.rank = sp.value("rank", -1);
            } catch (const std::exception&) {
                r.rank = -1;
            }
            return r;
        }
        sim::RunOptions ro;
        ro.out = dir;
        ro.threads = 1;
        ro.quiet = true;
        ro.data_dir = ctx.data_dir;
        ro.command = ctx.command;
        ro.interrupt = ctx.interrupt;
        std::error_code ec;
        bool same_config =
            fs::exists(dir / "config.yaml", ec) &&
            strip_comments(util::read_file(dir / "config.yaml")) == strip_comments(resolved);
        if (same_config && fs::exists(dir / "checkpoint" / "state.bin", ec))
            ro.resume = true;
        else if (util::empty_but_lock(dir) || !fs::exists(dir, ec) || is_run_directory(dir))
            ro.force = true;  // replaces only a run
        else
            throw util::Refused(
                fmt::format("{}: exists and is not a run directory (no synbench manifest.json); "
                            "refusing to replace it",
                            dir.string()));
        auto outcome = report::run_training(ex, sim::cost_table(ex), ro);
        if (outcome.status == "complete") {
            if (ctx.point_reports) report::render_run(dir);  // as `synbench train` does
            r.status = "complete";
            fill_from_summary();
        } else {
            r.status = "interrupted";
        }
    } catch (const std::exception& e) {
        r.status = "failed";
        r.error = one_line(e.what(), ctx.out);
        r.final_accuracy = r.area_m2 = r.energy_J = r.latency_s = r.leakage_W = std::nullopt;
    }
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!ctx.estimate) {
        // Which rank ran the point, next to the run's own files.
        try {
            std::error_code ec;
            fs::create_directories(dir, ec);
            json sp = {{"point", r.name},
                       {"rank", r.rank},
                       {"host", host_name()},
                       {"status", r.status},
                       {"error", r.error.empty() ? json(nullptr) : json(r.error)},
                       {"wall_s", r.wall_s}};
            util::write_atomic(dir / "sweep_point.json", sp.dump(2) + "\n");
        } catch (const std::exception& e) {
            if (r.status != "failed") {
                r.status = "failed";
                r.error = one_line(e.what(), ctx.out);
            }
        }
    }
    return r;
}

}  // namespace synbench::sweep
