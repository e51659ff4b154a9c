#include "util/time.hpp"
#include "sweep/driver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "report/report.hpp"
#include "sweep/report.hpp"
#include "util/build_info.hpp"
#include "util/files.hpp"

namespace synbench::sweep {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

int SweepOutcome::count(const std::string& status) const {
    return static_cast<int>(std::count_if(
        results.begin(), results.end(), [&](const PointResult& r) { return r.status == status; }));
}
int SweepOutcome::skipped() const {
    return static_cast<int>(std::count_if(results.begin(), results.end(),
                                          [](const PointResult& r) { return r.skipped; }));
}
std::vector<int> SweepOutcome::ranks_used() const {
    std::set<int> s;
    for (const auto& r : results)
        if (!r.skipped && r.status != "not_run" && r.rank >= 0) s.insert(r.rank);
    return {s.begin(), s.end()};
}

SweepOutcome run_local(const Sweep& sw, const SweepOptions& opt) {
    SweepOutcome out;
    out.started_at = iso_now();
    const auto t0 = std::chrono::steady_clock::now();
    const auto n = sw.points.size();
    int jobs = opt.jobs > 0 ? opt.jobs
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    jobs = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(jobs), n));
    out.jobs = jobs;
    out.results.resize(n);
    for (std::size_t i = 0; i < n; ++i) out.results[i].name = sw.points[i].name;

    PointContext ctx;
    ctx.out = opt.out;
    ctx.rank = 0;
    ctx.estimate = opt.estimate;
    ctx.point_reports = opt.point_reports;
    ctx.data_dir = opt.data_dir;
    ctx.command = opt.command;
    ctx.interrupt = opt.interrupt;

    std::atomic<std::size_t> next{0};
    std::atomic<int> ran{0};
    std::atomic<int> done{0};
    std::mutex print_mu;
    auto worker = [&] {
        while (true) {
            if (opt.interrupt && opt.interrupt->load()) return;
            if (opt.stop_after_points && ran.load() >= *opt.stop_after_points) return;
            const auto i = next.fetch_add(1);
            if (i >= n) return;
            auto r = run_point(sw, sw.points[i], ctx);
            if (!r.skipped) ++ran;
            const int d = ++done;
            if (!opt.quiet && (!opt.estimate || r.status == "failed")) {
                std::lock_guard lk(print_mu);
                std::cerr << point_progress_line(r, d, n) << "\n";
            }
            out.results[i] = std::move(r);
        }
    };
    std::vector<std::thread> pool;
    for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    out.finished_at = iso_now();
    out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

namespace {

std::string csv_field(const std::string& s) {
    // Quoted when it holds a separator, a quote, a line break (LF or CR) or another control
    // character.
    bool plain = true;
    for (char c : s)
        plain = plain && c != ',' && c != '"' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
    if (plain) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string num(const std::optional<double>& v) {
    return v ? fmt::format("{:.17g}", *v) : std::string();
}

}  // namespace

std::string sweep_csv(const Sweep& sw, const SweepOutcome& out, bool estimate) {
    std::string s = "point";
    for (const auto& a : sw.axes) s += "," + csv_field(a.key);
    s += estimate ? ",area_m2,leakage_W,read_energy_per_image_J,read_latency_per_image_s"
                  : ",final_accuracy,area_m2,energy_J,latency_s,leakage_W";
    s += ",status,rank,error\n";
    std::vector<std::size_t> order(sw.points.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return sw.points[a].name < sw.points[b].name; });
    for (auto i : order) {
        const auto& p = sw.points[i];
        const auto& r = out.results.at(i);
        s += csv_field(p.name);
        for (std::size_t a = 0; a < sw.axes.size(); ++a)
            s += "," + csv_field(sw.axes[a].values[p.value[a]].shown);
        if (estimate)
            s += fmt::format(",{},{},{},{}", num(r.area_m2), num(r.leakage_W),
                             num(r.read_energy_per_image_J), num(r.read_latency_per_image_s));
        else
            s += fmt::format(",{},{},{},{},{}", num(r.final_accuracy), num(r.area_m2),
                             num(r.energy_J), num(r.latency_s), num(r.leakage_W));
        s += fmt::format(",{},{},{}\n", r.status,
                         r.rank >= 0 ? std::to_string(r.rank) : std::string(), csv_field(r.error));
    }
    return s;
}

void check_output_dir(const fs::path& out, bool force) {
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_directory(out, ec))
        throw util::Refused(
            fmt::format("{}: exists and is not a directory; the sweep directory must be a "
                        "directory (choose another --out)",
                        out.string()));
    util::check_may_replace(
        out, force,
        [&] {
            try {
                const auto m = json::parse(util::read_file(out / "manifest.json"));
                return m.is_object() && m.contains("sweep") && m.contains("synbench");
            } catch (const std::exception&) {
                return false;
            }
        },
        "an earlier sweep's directory (no sweep manifest.json)", "--force, or another --out");
}

void write_outputs(const Sweep& sw, const SweepOptions& opt, const SweepOutcome& out) {
    std::error_code ec;
    fs::create_directories(opt.out, ec);
    if (ec)
        throw util::IoError(fmt::format("{}: cannot create the sweep directory: {}",
                                        opt.out.string(), ec.message()));
    util::write_atomic(opt.out / "sweep.csv", sweep_csv(sw, out, opt.estimate));

    json m;
    m["synbench"] = {{"version", build::kVersion}, {"git_revision", build::kGitRevision}};
    m["command"] = opt.command;
    m["sweep"] = {{"name", sw.name},
                  {"file", sw.file},
                  {"sha256", util::sha256_file(sw.file)},
                  {"mode", sw.mode},
                  {"combinations", sw.combinations},
                  {"points", sw.points.size()}};
    m["estimate"] = opt.estimate;
    m["execution"] = {{"mode", out.mode},
                      {"ranks", out.ranks},
                      {"jobs_per_rank", out.jobs},
                      {"ranks_used", out.ranks_used()},
                      {"master_runs_points", out.mode == "local"}};
    m["started_at"] = out.started_at;
    m["finished_at"] = out.finished_at;
    m["wall_s"] = out.wall_s;
    m["counts"] = {{"points", out.results.size()},    {"complete", out.count("complete")},
                   {"failed", out.count("failed")},   {"interrupted", out.count("interrupted")},
                   {"not_run", out.count("not_run")}, {"skipped", out.skipped()}};
    json pts = json::array();
    for (const auto& r : out.results)
        pts.push_back({{"name", r.name},
                       {"status", r.status},
                       {"rank", r.rank},
                       {"skipped", r.skipped},
                       {"wall_s", r.wall_s},
                       {"error", r.error.empty() ? json(nullptr) : json(r.error)}});
    m["points"] = pts;
    util::write_atomic(opt.out / "manifest.json", m.dump(2) + "\n");

    const auto doc = sweep_document(sw, out, opt.estimate);
    report::write_figures(opt.out, doc);
    util::write_atomic(opt.out / "report.md", report::to_markdown(doc));
    util::write_atomic(opt.out / "report.html", report::to_html(doc));
}

}  // namespace synbench::sweep
