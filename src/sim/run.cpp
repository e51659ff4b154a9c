#include "util/time.hpp"
#include "sim/run.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <tbb/flow_graph.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include "data/mnist_fetch.hpp"
#include "sim/run_files.hpp"
#include "sim/trainer.hpp"
#include "util/build_info.hpp"
#include "util/files.hpp"
#include "util/parallel.hpp"

namespace synbench::sim {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

using util::iso_now;

double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

std::string host_name() {
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            auto c = line.find(':');
            return c == std::string::npos ? line : line.substr(c + 2);
        }
    return "unknown";
}

void write_json(const fs::path& p, const json& j) {
    if (auto bad = non_finite_field(j))
        throw std::runtime_error(fmt::format("{}: refusing to write a non-finite number at '{}'", p.string(), *bad));
    util::write_atomic(p, j.dump(2) + "\n");
}

struct Pending {
    int epoch = 0;
    EpochCounts counts;
    Snapshot snap;
    std::string checkpoint;  // trainer state after this epoch
    double images_per_s = 0; // training speed of this epoch
};

}  // namespace

RunOutcome run_training(const Experiment& ex, const circuit::CostTable& table, const RunOptions& opt) {
    const auto& tr = ex.network.training;
    const fs::path dir = opt.out;
    std::error_code ec;
    const bool exists = fs::exists(dir, ec);
    if (exists && !fs::is_directory(dir, ec)) throw util::IoError(fmt::format("{}: exists and is not a directory", dir.string()));
    if (opt.resume) {
        if (!fs::exists(dir / "checkpoint" / "state.bin"))
            throw util::IoError(fmt::format("{}: nothing to resume (no checkpoint/state.bin)", dir.string()));
    } else if (exists && !fs::is_empty(dir, ec)) {
        if (!opt.force)
            throw util::IoError(fmt::format("{}: output directory exists and is not empty (use --resume to continue that run or --force to replace it)",
                                            dir.string()));
    }
    // Data before touching the directory: a missing or corrupt dataset leaves no run directory
    // behind and does not cost the old one under --force.
    auto data_dir = data::resolve_data_dir(opt.data_dir);
    nn::Mnist mnist = nn::load_mnist(data_dir, ex.network.preprocess);
    if (!opt.resume && exists && opt.force && !fs::is_empty(dir, ec)) {
        fs::remove_all(dir, ec);
        if (ec) throw util::IoError(fmt::format("{}: cannot remove: {}", dir.string(), ec.message()));
    }
    fs::create_directories(dir / "checkpoint", ec);
    if (ec) throw util::IoError(fmt::format("{}: cannot create the run directory: {}", dir.string(), ec.message()));

    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    const int threads = opt.threads > 0 ? opt.threads : static_cast<int>(tbb::info::default_concurrency());


    json manifest;
    manifest["synbench"] = {{"version", build::kVersion}, {"git_revision", build::kGitRevision}};
    manifest["build"] = {{"compiler", build::kCompiler}, {"flags", build::kCxxFlags}, {"build_type", build::kBuildType}, {"cpu", cpu_model()}};
    manifest["command"] = opt.command;
    manifest["inputs"] = json::array();
    for (const auto& [f, h] : ex.input_sha256) manifest["inputs"].push_back({{"file", f}, {"sha256", h}});
    json files;
    for (const auto& [f, h] : mnist.file_sha256) files[f] = h;
    manifest["dataset"] = {{"name", ex.network.dataset}, {"files", files}};
    manifest["seed"] = ex.seed;
    manifest["threads"] = threads;
    manifest["host"] = host_name();
    manifest["started_at"] = iso_now();
    manifest["finished_at"] = nullptr;
    manifest["wall_s"] = 0.0;
    manifest["epochs_planned"] = tr.epochs;
    manifest["epochs_completed"] = 0;
    manifest["complete"] = false;
    manifest["status"] = "running";
    manifest["error"] = nullptr;

    Trainer trainer(ex, mnist.train);
    std::vector<EpochRow> rows;
    int start_epoch = 0;
    if (opt.resume) {
        // One file holds the rows and the trainer state of the same epoch, so a kill can never
        // leave them out of step: [8-byte length][rows JSON][trainer state].
        const std::string blob = util::read_file(dir / "checkpoint" / "state.bin");
        std::uint64_t len = 0;
        if (blob.size() < sizeof len) throw std::runtime_error((dir / "checkpoint" / "state.bin").string() + ": truncated checkpoint");
        std::memcpy(&len, blob.data(), sizeof len);
        if (len > blob.size() - sizeof len) throw std::runtime_error((dir / "checkpoint" / "state.bin").string() + ": corrupt checkpoint");
        auto rj = json::parse(blob.substr(sizeof len, len));
        for (const auto& r : rj) rows.push_back(row_from_checkpoint_json(r));
        std::istringstream in(blob.substr(sizeof len + len));
        trainer.load(in);
        start_epoch = static_cast<int>(rows.size());
        auto old = json::parse(util::read_file(dir / "manifest.json"));
        if (old.contains("started_at")) manifest["started_at"] = old["started_at"];
        manifest["resumed_at"] = iso_now();
    } else {
        util::write_atomic(dir / "config.yaml", "# synbench resolved configuration: re-run with `synbench train config.yaml --out DIR`\n" +
                                                    config::to_yaml(ex.resolved));
    }
    manifest["epochs_completed"] = start_epoch;
    write_json(dir / "manifest.json", manifest);

    const bool tty = !opt.quiet && isatty(STDERR_FILENO);
    // Called by the writer node once an epoch's row exists, so the line pairs each epoch with its
    // own accuracy (training of the next epoch runs meanwhile).
    auto progress = [&](int epoch_done, double img_per_s, double accuracy) {
        double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        int done = epoch_done - start_epoch;
        double eta = done > 0 ? elapsed / done * (tr.epochs - epoch_done) : 0;
        if (opt.on_epoch) {
            opt.on_epoch(EpochProgress{epoch_done, tr.epochs, accuracy, img_per_s, eta});
            return;
        }
        if (!tty) return;
        std::fprintf(stderr, "\repoch %d/%d  %.0f img/s  accuracy %.2f %%  ETA %.0f s   ", epoch_done, tr.epochs, img_per_s, accuracy, eta);
        std::fflush(stderr);
    };

    auto finalize = [&](Pending& p) {
        auto tres = evaluate(p.snap, mnist.test, static_cast<std::size_t>(tr.test_images), threads > 1,
                             (std::uint64_t{1} << 62) + static_cast<std::uint64_t>(p.epoch) * 100000u);
        p.counts.test_read = tres.reads;
        p.counts.test_images = static_cast<double>(tres.images);
        EpochRow row;
        row.epoch = p.epoch + 1;
        row.accuracy = tres.accuracy_percent();
        row.train_images = p.counts.train_images;
        if (ex.hardware.enabled) row.cost = account(p.counts, table);
        else row.cost.breakdown = json::object();
        row.cum = rows.empty() ? EpochCosts{} : rows.back().cum;
        add_costs(row.cum, row.cost);
        row.cum.breakdown = json::object();
        for (double v : {row.cost.energy_J, row.cost.read_latency_s, row.cost.write_latency_s, row.cum.energy_J})
            if (!std::isfinite(v))
                throw std::runtime_error(fmt::format("numerical failure in the hardware accounting of epoch {} (a cost is not finite)", row.epoch));
        rows.push_back(row);
        // Files: checkpoint first, then the rows that refer to it.
        json rj = json::array();
        for (const auto& r : rows) rj.push_back(row_to_checkpoint_json(r));
        const std::string rows_text = rj.dump();
        const std::uint64_t len = rows_text.size();
        std::string blob(reinterpret_cast<const char*>(&len), sizeof len);
        blob += rows_text;
        blob += p.checkpoint;
        util::write_atomic(dir / "checkpoint" / "state.bin", blob);
        util::write_atomic(dir / "epochs.csv", epochs_csv(rows));
        write_json(dir / "epochs.json", epochs_json(rows));
        manifest["epochs_completed"] = row.epoch;
        manifest["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        write_json(dir / "manifest.json", manifest);
        progress(row.epoch, p.images_per_s, row.accuracy);
    };

    std::string status = "complete";
    try {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
        tbb::task_arena arena(threads);
        arena.execute([&] {
            tbb::flow::graph g;
            std::atomic<int> outstanding{0};
            std::exception_ptr failure;
            std::mutex fail_mu;
            // TSan cannot see the hand-offs inside (uninstrumented) libtbb: the annotations state the
            // order the graph guarantees (util/parallel.hpp): the epoch's producer before its writer
            // body, each writer body before the next (serial node) and before wait_for_all returns.
            char done = 0;
            tbb::flow::function_node<std::shared_ptr<Pending>> writer(g, tbb::flow::serial, [&](const std::shared_ptr<Pending>& p) {
                util::hb_acquire(p.get());
                util::hb_acquire(&done);
                try {
                    bool failed = false;
                    {
                        std::lock_guard lk(fail_mu);
                        failed = failure != nullptr;
                    }
                    if (!failed) finalize(*p);
                } catch (...) {
                    std::lock_guard lk(fail_mu);
                    if (!failure) failure = std::current_exception();
                }
                --outstanding;
                util::hb_release(&done);  // the body's last access to what it captured
            });
            for (int e = start_epoch; e < tr.epochs; ++e) {
                if ((opt.interrupt && opt.interrupt->load()) || (opt.stop_after_epoch && e >= *opt.stop_after_epoch)) {
                    status = "interrupted";
                    break;
                }
                auto p = std::make_shared<Pending>();
                p->epoch = e;
                p->counts = EpochCounts(ex.network.layers.size() - 1);
                auto te = std::chrono::steady_clock::now();
                trainer.train_epoch(e, p->counts, threads > 1);
                trainer.check_finite(e);
                double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - te).count();
                p->snap = trainer.snapshot();
                std::ostringstream ck;
                trainer.save(ck);
                p->checkpoint = ck.str();
                p->images_per_s = secs > 0 ? p->counts.train_images / secs : 0;
                ++outstanding;
                util::hb_release(p.get());
                writer.try_put(p);
                if (threads == 1 || outstanding.load() > 1) {
                    g.wait_for_all();
                    util::hb_acquire(&done);
                }
                {
                    std::lock_guard lk(fail_mu);
                    if (failure) break;
                }
            }
            g.wait_for_all();
            util::hb_acquire(&done);
            if (failure) std::rethrow_exception(failure);
        });
    } catch (const std::exception& e) {
        manifest["status"] = "failed";
        manifest["error"] = e.what();
        manifest["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        try {
            write_json(dir / "manifest.json", manifest);
        } catch (...) {
        }
        if (tty) std::fprintf(stderr, "\n");
        throw;
    }
    if (tty) std::fprintf(stderr, "\n");

    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bool complete = static_cast<int>(rows.size()) == tr.epochs;
    if (!complete && status == "complete") status = "interrupted";

    // Summary.
    json s;
    s["complete"] = complete;
    s["name"] = ex.network.name;
    s["device"] = ex.device.name;
    s["tech"] = ex.tech.name;
    s["network"] = ex.network.name;
    s["optimizer"] = tr.optimizer.name;
    s["hardware_enabled"] = ex.hardware.enabled;
    s["seed"] = ex.seed;
    s["epochs"] = static_cast<int>(rows.size());
    s["final_accuracy"] = rows.empty() ? 0.0 : rows.back().accuracy;
    double best = 0;
    for (const auto& r : rows) best = std::max(best, r.accuracy);
    s["best_accuracy"] = best;
    const EpochCosts cum = rows.empty() ? EpochCosts{} : rows.back().cum;
    s["total"] = {{"area_m2", ex.hardware.enabled ? table.total.area_m2 : 0.0}, {"leakage_W", ex.hardware.enabled ? table.total.leakage_W : 0.0}};
    s["area_breakdown"] = ex.hardware.enabled ? cost_tree_json(table.breakdown) : json::object();
    s["energy_J"] = {{"read", cum.read_energy_J}, {"write", cum.write_energy_J}, {"leakage", cum.leakage_energy_J},
                     {"total", cum.energy_J}, {"test_read", cum.test_read_energy_J}};
    s["latency_s"] = {{"read", cum.read_latency_s}, {"write", cum.write_latency_s}, {"test_read", cum.test_read_latency_s}};
    s["pulses"] = {{"ltp", cum.ltp_pulses}, {"ltd", cum.ltd_pulses}};
    double macs = 0;
    for (std::size_t l = 0; l + 1 < ex.network.layers.size(); ++l) macs += static_cast<double>(ex.network.layers[l]) * ex.network.layers[l + 1];
    double test_images = 0, train_images = 0;
    for (const auto& r : rows) train_images += r.train_images;
    test_images = rows.empty() ? 0 : static_cast<double>(rows.size()) *
                                         static_cast<double>(tr.test_images ? tr.test_images : static_cast<int>(mnist.test.size()));
    json eff;
    eff["macs_per_image"] = macs;
    if (ex.hardware.enabled && test_images > 0 && cum.test_read_energy_J > 0) {
        double e_img = cum.test_read_energy_J / test_images;
        eff["inference_energy_per_image_J"] = e_img;
        eff["inference_latency_per_image_s"] = cum.test_read_latency_s / test_images;
        eff["training_energy_per_image_J"] = train_images > 0 ? cum.energy_J / train_images : 0.0;
        eff["fJ_per_MAC"] = e_img / macs * 1e15;
        eff["TOPS_per_W"] = 2 * macs / e_img / 1e12;
    }
    s["efficiency"] = eff;
    s["endurance"] = endurance_json(trainer.cycles(), ex.device.endurance);
    s["software"] = {{"wall_s", wall}, {"cpu_s", cpu_seconds() - cpu0}, {"threads", threads}};
    write_json(dir / "summary.json", s);

    manifest["finished_at"] = complete ? json(iso_now()) : json(nullptr);
    manifest["wall_s"] = wall;
    manifest["complete"] = complete;
    manifest["status"] = status;
    write_json(dir / "manifest.json", manifest);
    return RunOutcome{status, static_cast<int>(rows.size()), rows.empty() ? 0.0 : rows.back().accuracy, dir};
}

}  // namespace synbench::sim
