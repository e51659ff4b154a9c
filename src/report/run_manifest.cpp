#include "report/run_manifest.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <vector>

#include "config/config.hpp"
#include "report/run_files.hpp"
#include "util/build_info.hpp"
#include "util/files.hpp"
#include "util/time.hpp"

namespace synbench::report {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

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

}  // namespace

RunClock::RunClock() : t0_(std::chrono::steady_clock::now()), cpu0_(cpu_seconds()) {}

double RunClock::wall() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
}

double RunClock::cpu() const { return cpu_seconds() - cpu0_; }

json new_session(const sim::Experiment& ex, const sim::RunOptions& opt, int threads) {
    json session;
    session["command"] = opt.command;
    session["inputs"] = json::array();
    for (const auto& [f, h] : ex.input_sha256)
        session["inputs"].push_back({{"file", f}, {"sha256", h}});
    session["threads"] = threads;
    session["host"] = host_name();
    session["started_at"] = util::iso_now();
    session["finished_at"] = nullptr;
    session["wall_s"] = 0.0;
    session["cpu_s"] = 0.0;
    session["epochs_at_start"] = 0;
    session["epochs_completed"] = 0;
    session["status"] = "running";
    return session;
}

json dataset_files_json(const nn::Splits& data) {
    json files;
    for (const auto& [f, h] : data.file_sha256) files[f] = h;
    return files;
}

json new_manifest(const sim::Experiment& ex, const sim::RunOptions& opt, const nn::Splits& data,
                  int threads, const json& session) {
    const auto& tr = ex.network.training;
    json manifest;
    manifest["synbench"] = {{"version", build::kVersion}, {"git_revision", build::kGitRevision}};
    manifest["build"] = {{"compiler", build::kCompiler},
                         {"flags", build::kCxxFlags},
                         {"build_type", build::kBuildType},
                         {"cpu", cpu_model()}};
    manifest["command"] = opt.command;
    manifest["inputs"] = session["inputs"];
    // Sizes as used (issue 17, rule 6): test_images is what each epoch's test pass classifies.
    manifest["dataset"] = {{"name", ex.network.dataset},
                           {"files", dataset_files_json(data)},
                           {"train_set_images", data.train.size()},
                           {"test_set_images", data.test.size()},
                           {"test_images", tr.test_images ? static_cast<std::size_t>(tr.test_images)
                                                          : data.test.size()}};
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
    return manifest;
}

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

void check_same_experiment(const fs::path& dir, const sim::Experiment& ex, const json& manifest,
                           const nn::Splits& data, const fs::path& data_dir) {
    // The configuration the run started with (kept in checkpoint/), the same dataset; only
    // training.epochs may change.
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
        manifest["dataset"]["files"] != dataset_files_json(data)) {
        std::vector<std::string> differ;
        for (const auto& [f, h] : data.file_sha256)
            if (manifest["dataset"]["files"].value(f, std::string()) != h) differ.push_back(f);
        throw util::Refused(
            fmt::format("{}: the dataset in {} differs from the one the run started with ({}); "
                        "--resume continues the "
                        "same experiment",
                        dir.string(), data_dir.string(), join(differ)));
    }
}

void resume_manifest(json& manifest, json session, int start_epoch, int epochs_planned,
                     RunClock& clock) {
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
            clock.wall_before += old["wall_s"].get<double>();
        if (old.contains("cpu_s") && old["cpu_s"].is_number())
            clock.cpu_before += old["cpu_s"].get<double>();
    }
    session["epochs_at_start"] = start_epoch;
    session["epochs_completed"] = start_epoch;
    manifest["sessions"].push_back(session);
    manifest["resumed_at"] = session["started_at"];
    manifest["finished_at"] = nullptr;
    manifest["epochs_planned"] = epochs_planned;
    manifest["complete"] = false;
    manifest["status"] = "running";
    manifest["error"] = nullptr;
}

void stamp_manifest(json& manifest, const RunClock& clock, int epochs_completed) {
    const double wall = clock.wall(), cpu = clock.cpu();
    json& this_session = manifest["sessions"].back();
    this_session["wall_s"] = wall;
    this_session["cpu_s"] = cpu;
    this_session["epochs_completed"] = epochs_completed;
    manifest["wall_s"] = clock.wall_before + wall;
    manifest["epochs_completed"] = epochs_completed;
}

}  // namespace synbench::report
