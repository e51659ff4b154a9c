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
#include <map>
#include <iostream>
#include <mutex>
#include <sstream>

#include "data/mnist_fetch.hpp"
#include "sim/run_files.hpp"
#include "sim/summary_fields.hpp"
#include "sim/trainer.hpp"
#include "util/build_info.hpp"
#include "util/files.hpp"
#include "util/parallel.hpp"
#include "config/config.hpp"

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

// The message of a JSON library exception without its "[json.exception.…] " prefix.
std::string json_message(const std::exception& e) {
    std::string m = e.what();
    if (m.rfind("[json.exception.", 0) == 0)
        if (auto c = m.find("] "); c != std::string::npos) m = m.substr(c + 2);
    return m;
}

void write_json(const fs::path& p, const json& j) {
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

// The scalar leaves of a YAML tree as "a.b[2].c" → text.
void flatten(const YAML::Node& n, const std::string& path,
             std::map<std::string, std::string>& out) {
    if (n.IsMap()) {
        for (auto it : n)
            flatten(it.second, path.empty() ? it.first.Scalar() : path + "." + it.first.Scalar(),
                    out);
    } else if (n.IsSequence()) {
        for (std::size_t i = 0; i < n.size(); ++i)
            flatten(n[i], fmt::format("{}[{}]", path, i), out);
        if (n.size() == 0) out[path] = "[]";
    } else if (n.IsScalar()) {
        out[path] = n.Scalar();
    } else {
        out[path] = "~";
    }
}

// The keys whose values differ between two resolved configurations, as "key (old → new)";
// training.epochs, which --resume may change, is not compared.
std::vector<std::string> config_changes(const YAML::Node& before, const YAML::Node& now) {
    std::map<std::string, std::string> a, b;
    flatten(before, "", a);
    flatten(now, "", b);
    std::vector<std::string> out;
    auto show = [](const std::map<std::string, std::string>& m, const std::string& k) {
        auto it = m.find(k);
        return it == m.end() ? std::string("absent") : it->second;
    };
    std::map<std::string, int> keys;
    for (const auto& [k, v] : a) keys[k] = 0;
    for (const auto& [k, v] : b) keys[k] = 0;
    for (const auto& [k, unused] : keys) {
        if (k == "training.epochs") continue;
        if (show(a, k) != show(b, k))
            out.push_back(fmt::format("{} ({} -> {})", k, show(a, k), show(b, k)));
    }
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

// One file holds the rows and the trainer state of the same epoch, so a kill can never leave
// them out of step: [8-byte length][rows JSON][trainer state].
std::string checkpoint_blob(const std::vector<EpochRow>& rows, const std::string& state) {
    json rj = json::array();
    for (const auto& r : rows) rj.push_back(row_to_checkpoint_json(r));
    const std::string rows_text = rj.dump();
    const std::uint64_t len = rows_text.size();
    std::string blob(reinterpret_cast<const char*>(&len), sizeof len);
    blob += rows_text;
    blob += state;
    return blob;
}

// A manifest.json read back for --resume; an error names the file and what is wrong with it.
json read_manifest(const fs::path& p) {
    const std::string text = util::read_file(p);
    json m;
    try {
        m = json::parse(text);
    } catch (const json::exception& e) {
        throw util::Refused(
            fmt::format("{}: not a readable manifest ({}); the run cannot be resumed from it — "
                        "restore the file, or start "
                        "the run again with --force",
                        p.string(), json_message(e)));
    }
    if (!m.is_object() || !m.contains("status") || !m["status"].is_string())
        throw util::Refused(
            fmt::format("{}: not a synbench manifest (expected an object with a \"status\"); the "
                        "run cannot be resumed from it",
                        p.string()));
    return m;
}

struct Pending {
    int epoch = 0;
    EpochCounts counts;
    Snapshot snap;
    std::string checkpoint;   // trainer state after this epoch
    double images_per_s = 0;  // training speed of this epoch
    std::vector<std::vector<std::uint32_t>>
        cycles;  // pulses per cell after this epoch (for summary.json)
};

}  // namespace

RunOutcome run_training(const Experiment& ex, const circuit::CostTable& table,
                        const RunOptions& opt) {
    const auto& tr = ex.network.training;
    const fs::path dir = opt.out;
    std::error_code ec;
    const bool exists = fs::exists(dir, ec);
    if (exists && !fs::is_directory(dir, ec))
        throw util::IoError(fmt::format("{}: exists and is not a directory", dir.string()));
    if (opt.resume) {
        if (!fs::exists(dir / "checkpoint" / "state.bin"))
            throw util::IoError(
                fmt::format("{}: nothing to resume (no checkpoint/state.bin)", dir.string()));
    } else if (exists && !util::empty_but_lock(dir) && !opt.force) {
        throw util::IoError(
            fmt::format("{}: output directory exists and is not empty (use --resume to continue "
                        "that run or --force to replace it)",
                        dir.string()));
    }
    auto data_dir = data::resolve_data_dir(opt.data_dir);
    if (!opt.resume && exists && opt.force) {
        // --force replaces what a run wrote, never an input of this run nor a directory holding
        // one.
        std::vector<std::pair<std::string, fs::path>> inputs;
        for (const auto& [f, h] : ex.input_sha256) inputs.emplace_back("input", f);
        inputs.emplace_back("data directory", data_dir);
        inputs.emplace_back("working directory", fs::current_path(ec));
        for (const auto& [what, p] : inputs)
            if (util::path_within(p, dir))
                throw util::Refused(fmt::format(
                    "{}: --force would delete {}, the {} of this run; choose another --out",
                    dir.string(), p.string(), what));
    }
    // Data before touching the directory: a missing or corrupt dataset leaves no run directory
    // behind and does not cost the old one under --force.
    nn::Splits mnist = nn::load_dataset(ex.network.dataset, data_dir, ex.network.preprocess);
    nn::check_data_fits(ex.network, mnist);
    fs::create_directories(dir, ec);
    if (ec)
        throw util::IoError(
            fmt::format("{}: cannot create the run directory: {}", dir.string(), ec.message()));
    // Held until this function returns: a second run writing the same directory is refused.
    util::DirLock lock(dir);
    if (opt.resume) {
        // Temporaries of util::write_atomic left by a killed run (never a target file: the rename
        // had not happened). Under the lock, no other writer can own them.
        for (const fs::path& d : {dir, dir / "checkpoint"})
            for (const auto& e : fs::directory_iterator(d, ec)) {
                const auto name = e.path().filename().string();
                if (name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos)
                    fs::remove(e.path(), ec);
            }
    }
    if (!opt.resume && !util::empty_but_lock(dir)) {
        if (!opt.force)  // another run filled it between the check above and the lock
            throw util::IoError(
                fmt::format("{}: output directory exists and is not empty (use --resume to "
                            "continue that run or --force to replace it)",
                            dir.string()));
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().filename() != util::DirLock::kFile) {
                fs::remove_all(e.path(), ec);
                if (ec)
                    throw util::IoError(
                        fmt::format("{}: cannot remove: {}", e.path().string(), ec.message()));
            }
    }

    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    const int threads =
        opt.threads > 0 ? opt.threads : static_cast<int>(tbb::info::default_concurrency());
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };

    // This invocation's provenance: appended to the manifest's "sessions", never replacing an
    // earlier one (a resumed run keeps the command, inputs and timings of every session).
    json session;
    session["command"] = opt.command;
    session["inputs"] = json::array();
    for (const auto& [f, h] : ex.input_sha256)
        session["inputs"].push_back({{"file", f}, {"sha256", h}});
    session["threads"] = threads;
    session["host"] = host_name();
    session["started_at"] = iso_now();
    session["finished_at"] = nullptr;
    session["wall_s"] = 0.0;
    session["cpu_s"] = 0.0;
    session["epochs_at_start"] = 0;
    session["epochs_completed"] = 0;
    session["status"] = "running";
    json dataset_files;
    for (const auto& [f, h] : mnist.file_sha256) dataset_files[f] = h;

    json manifest;
    double wall_before = 0, cpu_before = 0;  // earlier sessions
    Trainer trainer(ex, mnist.train);
    std::vector<EpochRow> rows;
    int start_epoch = 0;
    if (opt.resume) {
        manifest = read_manifest(dir / "manifest.json");
        // The same experiment: the configuration the run started with (kept in checkpoint/), the
        // same dataset; only training.epochs may change.
        if (fs::exists(dir / "checkpoint" / "config.yaml")) {
            auto first = config::load_file(dir / "checkpoint" / "config.yaml");
            auto changed = config_changes(first.root, ex.resolved);
            if (!changed.empty())
                throw util::Refused(
                    fmt::format("{}: differs from the configuration the run started with ({}) at "
                                "{}; --resume continues "
                                "the same experiment (only training.epochs may change): restore "
                                "the file, or start a "
                                "new run with another --out",
                                (dir / "config.yaml").string(),
                                (dir / "checkpoint" / "config.yaml").string(), join(changed)));
        }
        if (manifest.contains("dataset") && manifest["dataset"].contains("files") &&
            manifest["dataset"]["files"] != dataset_files) {
            std::vector<std::string> differ;
            for (const auto& [f, h] : mnist.file_sha256)
                if (manifest["dataset"]["files"].value(f, std::string()) != h) differ.push_back(f);
            throw util::Refused(
                fmt::format("{}: the dataset in {} differs from the one the run started with ({}); "
                            "--resume continues the "
                            "same experiment",
                            dir.string(), data_dir.string(), join(differ)));
        }
        const fs::path ck = dir / "checkpoint" / "state.bin";
        const std::string blob = util::read_file(ck);
        std::uint64_t len = 0;
        if (blob.size() < sizeof len)
            throw std::runtime_error(ck.string() + ": truncated checkpoint");
        std::memcpy(&len, blob.data(), sizeof len);
        if (len > blob.size() - sizeof len)
            throw std::runtime_error(ck.string() + ": corrupt checkpoint");
        try {
            auto rj = json::parse(blob.substr(sizeof len, len));
            for (const auto& r : rj) rows.push_back(row_from_checkpoint_json(r));
        } catch (const json::exception& e) {
            throw std::runtime_error(
                fmt::format("{}: corrupt checkpoint ({})", ck.string(), json_message(e)));
        }
        std::istringstream in(blob.substr(sizeof len + len));
        trainer.load(in);
        start_epoch = static_cast<int>(rows.size());
        if (start_epoch > tr.epochs)
            throw util::Refused(
                fmt::format("{}: training.epochs is {} but {} epochs are already complete",
                            (dir / "config.yaml").string(), tr.epochs, start_epoch));
        if (start_epoch == tr.epochs && manifest["status"] == "complete")
            return RunOutcome{"complete", start_epoch, rows.empty() ? 0.0 : rows.back().accuracy,
                              dir, true};
        if (!manifest.contains("sessions") || !manifest["sessions"].is_array()) {
            // A manifest written before sessions were recorded: its own fields are the first one.
            json first;
            for (const char* k :
                 {"command", "inputs", "threads", "host", "started_at", "finished_at", "wall_s"})
                if (manifest.contains(k)) first[k] = manifest[k];
            first["status"] = manifest["status"];
            manifest["sessions"] = json::array({first});
        }
        for (const auto& old : manifest["sessions"]) {
            if (old.contains("wall_s") && old["wall_s"].is_number())
                wall_before += old["wall_s"].get<double>();
            if (old.contains("cpu_s") && old["cpu_s"].is_number())
                cpu_before += old["cpu_s"].get<double>();
        }
        session["epochs_at_start"] = start_epoch;
        session["epochs_completed"] = start_epoch;
        manifest["sessions"].push_back(session);
        manifest["resumed_at"] = session["started_at"];
        manifest["finished_at"] = nullptr;
        manifest["epochs_planned"] = tr.epochs;
        manifest["complete"] = false;
        manifest["status"] = "running";
        manifest["error"] = nullptr;
    } else {
        manifest["synbench"] = {{"version", build::kVersion},
                                {"git_revision", build::kGitRevision}};
        manifest["build"] = {{"compiler", build::kCompiler},
                             {"flags", build::kCxxFlags},
                             {"build_type", build::kBuildType},
                             {"cpu", cpu_model()}};
        manifest["command"] = opt.command;
        manifest["inputs"] = session["inputs"];
        // Sizes as used (issue 17, rule 6): test_images is what each epoch's test pass classifies.
        manifest["dataset"] = {
            {"name", ex.network.dataset},
            {"files", dataset_files},
            {"train_set_images", mnist.train.size()},
            {"test_set_images", mnist.test.size()},
            {"test_images",
             tr.test_images ? static_cast<std::size_t>(tr.test_images) : mnist.test.size()}};
        manifest["seed"] = ex.seed;
        manifest["threads"] = threads;
        manifest["host"] = session["host"];
        manifest["started_at"] = session["started_at"];
        manifest["finished_at"] = nullptr;
        manifest["wall_s"] = 0.0;
        manifest["epochs_planned"] = tr.epochs;
        manifest["epochs_completed"] = 0;
        manifest["complete"] = false;
        manifest["status"] = "running";
        manifest["error"] = nullptr;
        manifest["sessions"] = json::array({session});
    }
    json& this_session = manifest["sessions"].back();
    auto stamp = [&](int epochs_completed) {
        const double wall = elapsed(), cpu = cpu_seconds() - cpu0;
        this_session["wall_s"] = wall;
        this_session["cpu_s"] = cpu;
        this_session["epochs_completed"] = epochs_completed;
        manifest["wall_s"] = wall_before + wall;
        manifest["epochs_completed"] = epochs_completed;
    };

    const bool tty = !opt.quiet && isatty(STDERR_FILENO);
    // Called by the writer node once an epoch's row exists, so the line pairs each epoch with its
    // own accuracy (training of the next epoch runs meanwhile).
    auto progress = [&](int epoch_done, double img_per_s, double accuracy) {
        int done = epoch_done - start_epoch;
        double eta = done > 0 ? elapsed() / done * (tr.epochs - epoch_done) : 0;
        if (opt.on_epoch) {
            opt.on_epoch(EpochProgress{epoch_done, tr.epochs, accuracy, img_per_s, eta});
            return;
        }
        if (!tty) return;
        std::fprintf(stderr, "\repoch %d/%d  %.0f img/s  accuracy %.2f %%  ETA %.0f s   ",
                     epoch_done, tr.epochs, img_per_s, accuracy, eta);
        std::fflush(stderr);
    };

    // summary.json of the epochs so far (`complete` only at the end of the last one).
    auto summary = [&](bool complete, const std::vector<std::vector<std::uint32_t>>& cycles) {
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
        namespace S = synbench::sim::summary;  // the declared fields, sim/summary_fields.hpp
        S::put(s, S::final_accuracy, rows.empty() ? 0.0 : rows.back().accuracy);
        double best = 0;
        for (const auto& r : rows) best = std::max(best, r.accuracy);
        S::put(s, S::best_accuracy, best);
        const EpochCosts cum = rows.empty() ? EpochCosts{} : rows.back().cum;
        S::put(s, S::area, ex.hardware.enabled ? table.total.area_m2 : 0.0);
        S::put(s, S::leakage, ex.hardware.enabled ? table.total.leakage_W : 0.0);
        s["area_breakdown"] =
            ex.hardware.enabled ? cost_tree_json(table.breakdown) : json::object();
        for (const auto& [f, v] : {std::pair{S::energy_read, cum.read_energy_J},
                                   {S::energy_write, cum.write_energy_J},
                                   {S::energy_leakage, cum.leakage_energy_J},
                                   {S::energy_total, cum.energy_J},
                                   {S::energy_test_read, cum.test_read_energy_J},
                                   {S::latency_read, cum.read_latency_s},
                                   {S::latency_write, cum.write_latency_s},
                                   {S::latency_test_read, cum.test_read_latency_s},
                                   {S::pulses_ltp, cum.ltp_pulses},
                                   {S::pulses_ltd, cum.ltd_pulses}})
            S::put(s, f, v);
        put_training_periphery(s, table, cum, ex.hardware.enabled);
        double macs = 0;
        for (std::size_t l = 0; l + 1 < ex.network.layers.size(); ++l)
            macs += static_cast<double>(ex.network.layers[l]) * ex.network.layers[l + 1];
        double test_images = 0, train_images = 0;
        for (const auto& r : rows) train_images += r.train_images;
        test_images =
            rows.empty()
                ? 0
                : static_cast<double>(rows.size()) *
                      static_cast<double>(tr.test_images ? tr.test_images
                                                         : static_cast<int>(mnist.test.size()));
        S::put(s, S::macs_per_image, macs);
        if (ex.hardware.enabled && test_images > 0 && cum.test_read_energy_J > 0) {
            double e_img = cum.test_read_energy_J / test_images;
            S::put(s, S::inference_energy_per_image, e_img);
            S::put(s, S::inference_latency_per_image, cum.test_read_latency_s / test_images);
            S::put(s, S::training_energy_per_image,
                   train_images > 0 ? cum.energy_J / train_images : 0.0);
            S::put(s, S::fj_per_mac, e_img / macs * 1e15);
            S::put(s, S::tops_per_w, 2 * macs / e_img / 1e12);
        }
        s["endurance"] = endurance_json(cycles, ex.device.endurance);
        // Timings of all sessions together (each one's are in manifest.json's "sessions").
        S::put(s, S::wall, wall_before + elapsed());
        S::put(s, S::cpu, cpu_before + cpu_seconds() - cpu0);
        s["software"]["threads"] = threads;
        s["software"]["sessions"] = manifest["sessions"].size();
        write_json(dir / "summary.json", s);
    };

    auto finalize = [&](Pending& p) {
        auto tres =
            evaluate(p.snap, mnist.test, static_cast<std::size_t>(tr.test_images), threads > 1,
                     (std::uint64_t{1} << 62) + static_cast<std::uint64_t>(p.epoch) * 100000u);
        p.counts.test_read = tres.reads;
        p.counts.test_images = static_cast<double>(tres.images);
        EpochRow row;
        row.epoch = p.epoch + 1;
        row.accuracy = tres.accuracy_percent();
        row.train_images = p.counts.train_images;
        if (ex.hardware.enabled)
            row.cost = account(p.counts, table);
        else
            row.cost.breakdown = json::object();
        row.cum = rows.empty() ? EpochCosts{} : rows.back().cum;
        add_costs(row.cum, row.cost);
        row.cum.breakdown = json::object();
        for (double v : {row.cost.energy_J, row.cost.read_latency_s, row.cost.write_latency_s,
                         row.cum.energy_J})
            if (!std::isfinite(v))
                throw std::runtime_error(
                    fmt::format("numerical failure in the hardware accounting of epoch {} (a cost "
                                "is not finite)",
                                row.epoch));
        rows.push_back(row);
        // Files: checkpoint first, then the rows that refer to it.
        util::write_atomic(dir / "checkpoint" / "state.bin", checkpoint_blob(rows, p.checkpoint));
        util::write_atomic(dir / "epochs.csv", epochs_csv(rows));
        write_json(dir / "epochs.json", epochs_json(rows));
        summary(false, p.cycles);
        stamp(row.epoch);
        write_json(dir / "manifest.json", manifest);
        progress(row.epoch, p.images_per_s, row.accuracy);
    };

    std::string status = "complete";
    try {
        stamp(start_epoch);
        write_json(dir / "manifest.json", manifest);
        if (!opt.resume) {
            fs::create_directories(dir / "checkpoint", ec);
            if (ec)
                throw util::IoError(fmt::format("{}: cannot create the run directory: {}",
                                                dir.string(), ec.message()));
            // The configuration as resolved, twice: config.yaml to re-run from, and a copy in
            // checkpoint/ that --resume compares config.yaml with. Then a checkpoint of epoch 0,
            // written last (what --resume needs exists before it): a run stopped before its first
            // epoch is resumable like any other.
            const std::string config_text =
                "# synbench resolved configuration: re-run with `synbench train config.yaml --out "
                "DIR`\n" +
                config::to_yaml(ex.resolved);
            util::write_atomic(dir / "checkpoint" / "config.yaml", config_text);
            util::write_atomic(dir / "config.yaml", config_text);
            summary(false, trainer.cycles());
            std::ostringstream ck;
            trainer.save(ck);
            util::write_atomic(dir / "checkpoint" / "state.bin", checkpoint_blob(rows, ck.str()));
        }

        tbb::global_control gc(tbb::global_control::max_allowed_parallelism,
                               static_cast<std::size_t>(threads));
        tbb::task_arena arena(threads);
        arena.execute([&] {
            tbb::flow::graph g;
            std::atomic<int> outstanding{0};
            std::exception_ptr failure;
            std::mutex fail_mu;
            // TSan cannot see the hand-offs inside (uninstrumented) libtbb: the annotations state
            // the order the graph guarantees (util/parallel.hpp): the epoch's producer before its
            // writer body, each writer body before the next (serial node) and before wait_for_all
            // returns.
            char done = 0;
            tbb::flow::function_node<std::shared_ptr<Pending>> writer(
                g, tbb::flow::serial, [&](const std::shared_ptr<Pending>& p) {
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
                if ((opt.interrupt && opt.interrupt->load()) ||
                    (opt.stop_after_epoch && e >= *opt.stop_after_epoch)) {
                    status = "interrupted";
                    break;
                }
                auto p = std::make_shared<Pending>();
                p->epoch = e;
                p->counts = EpochCounts(ex.network.layers.size() - 1);
                auto te = std::chrono::steady_clock::now();
                trainer.train_epoch(e, p->counts, threads > 1);
                trainer.check_finite(e);
                double secs =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - te).count();
                p->snap = trainer.snapshot();
                p->cycles = trainer.cycles();
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
        if (tty) std::fprintf(stderr, "\n");

        const bool complete = static_cast<int>(rows.size()) == tr.epochs;
        if (!complete && status == "complete") status = "interrupted";
        summary(complete, trainer.cycles());
        stamp(static_cast<int>(rows.size()));
        const json finished = complete ? json(iso_now()) : json(nullptr);
        this_session["finished_at"] = finished;
        this_session["status"] = status;
        manifest["finished_at"] = finished;
        manifest["complete"] = complete;
        manifest["status"] = status;
        write_json(dir / "manifest.json", manifest);
    } catch (const std::exception& e) {
        // Whatever failed (a computation, a full disk, text that cannot be written), the run is
        // marked failed, never left "running". The error text is made writable if it is not.
        if (tty) std::fprintf(stderr, "\n");
        try {
            stamp(static_cast<int>(rows.size()));
            this_session["status"] = "failed";
            manifest["status"] = "failed";
            manifest["complete"] = false;
            manifest["error"] = json_message(e);
            util::write_atomic(dir / "manifest.json",
                               manifest.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
        } catch (...) {
        }
        if (dynamic_cast<const json::exception*>(&e))
            throw std::runtime_error(fmt::format("{}: {}", dir.string(), json_message(e)));
        throw;
    }
    return RunOutcome{status, static_cast<int>(rows.size()),
                      rows.empty() ? 0.0 : rows.back().accuracy, dir};
}

}  // namespace synbench::sim
