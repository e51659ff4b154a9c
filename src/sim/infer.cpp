#include "sim/infer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <cstring>
#include <sstream>
#include <stdexcept>

#include "data/mnist_fetch.hpp"
#include "sim/checkpoint.hpp"
#include "sim/experiment.hpp"
#include "sim/trainer.hpp"
#include "util/files.hpp"

namespace synbench::sim {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

Snapshot copy_of(const Snapshot& s) {
    Snapshot c;
    c.cfg = s.cfg;
    c.plan = s.plan;
    c.n_in = s.n_in;
    c.n_out = s.n_out;
    c.w = s.w;
    for (const auto& a : s.pos) c.pos.push_back(a ? a->clone() : nullptr);
    for (const auto& a : s.neg) c.neg.push_back(a ? a->clone() : nullptr);
    return c;
}

std::vector<const std::vector<double>*> arrays_of(const Snapshot& s, std::size_t l) {
    std::vector<const std::vector<double>*> v{&s.pos[l]->conductances()};
    if (s.neg[l]) v.push_back(&s.neg[l]->conductances());
    return v;
}

std::string num(double v) { return fmt::format("{:.17g}", v); }

}  // namespace

double drift_gain(const std::vector<const std::vector<double>*>& programmed,
                  const std::vector<const std::vector<double>*>& aged) {
    double a = 0, b = 0;
    for (const auto* v : programmed)
        for (double g : *v) a += g;
    for (const auto* v : aged)
        for (double g : *v) b += g;
    return b > 0 ? a / b : 1.0;
}

namespace {

// The run's experiment, from its config.yaml (with opt.sets over it).
Experiment run_experiment(const InferOptions& opt) {
    const fs::path cfg = opt.run / "config.yaml", state = opt.run / "checkpoint" / "state.bin";
    if (!fs::exists(cfg))
        throw util::IoError(
            fmt::format("{}: not a run directory (no config.yaml)", opt.run.string()));
    if (!fs::exists(state))
        throw util::IoError(fmt::format(
            "{}: no checkpoint/state.bin (the run has no completed epoch)", opt.run.string()));
    ExperimentInputs in;
    in.experiment = cfg;
    in.sets = opt.sets;
    Experiment ex = load_experiment(in);
    require_trainable(ex, "infer");
    if (!ex.hardware.enabled)
        throw config::Error(cfg.string(), 0, 0, "hardware.enabled",
                            "the run is a software baseline: it has no conductances to age");
    return ex;
}

// The trained arrays aged by t seconds; the reference column ages with them.
Snapshot aged_by(const Experiment& ex, const Snapshot& trained, double t) {
    Snapshot aged = copy_of(trained);
    for (std::size_t l = 0; l < aged.pos.size(); ++l) {
        device::age(*aged.pos[l], t);
        if (aged.neg[l]) device::age(*aged.neg[l], t);
    }
    // The reference column is made of the same devices, programmed to Gmid: it drifts by the
    // mean exponent (its cells' spread averages out over a column), clamped like any cell.
    if (t > ex.device.drift.t0) {
        const double g_mid = 0.5 * (ex.device.g_min + ex.device.g_max);
        const double aged_ref =
            std::max(ex.device.g_min,
                     g_mid * std::exp(-ex.device.drift.nu * std::log(t / ex.device.drift.t0)));
        aged.cfg.ref_scale = aged_ref / g_mid;
    }
    return aged;
}

// infer.json's document and infer.csv's text of a result.
std::pair<json, std::string> infer_files(const InferOptions& opt, const Experiment& ex,
                                         const InferResult& res, std::size_t epochs,
                                         std::size_t n_test, std::size_t asked) {
    json j;
    j["run"] = opt.run.string();
    j["device"] = ex.device.name;
    j["drift"] = {{"nu", ex.device.drift.nu},
                  {"nu_sigma", ex.device.drift.nu_sigma},
                  {"t0_s", ex.device.drift.t0}};
    j["sets"] = json::array();
    for (const auto& [k, v] : opt.sets) j["sets"].push_back(k + "=" + v);
    j["epochs_trained"] = epochs;
    j["test_images"] = n_test;
    if (asked > n_test) j["test_images_requested"] = asked;
    j["compensation"] =
        opt.compensate
            ? "global: per-layer gain Σ G(programmed) / Σ G(t) from an all-rows calibration read"
            : "none";
    j["trained_accuracy"] = res.trained_accuracy;
    auto& pts = j["points"] = json::array();
    std::string csv = "time_s,accuracy,compensated_accuracy\n";
    for (const auto& p : res.points) {
        json e;
        e["time_s"] = p.time_s;
        e["accuracy"] = p.accuracy;
        e["compensated_accuracy"] = p.compensated ? json(*p.compensated) : json(nullptr);
        if (!p.gain.empty()) e["gain"] = p.gain;
        pts.push_back(e);
        csv += fmt::format("{},{},{}\n", num(p.time_s), num(p.accuracy),
                           p.compensated ? num(*p.compensated) : "");
    }
    return {j, csv};
}

}  // namespace

InferResult infer_after_training(const InferOptions& opt) {
    const Experiment ex = run_experiment(opt);
    const int threads =
        opt.threads > 0 ? opt.threads : static_cast<int>(tbb::info::default_concurrency());
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism,
                           static_cast<std::size_t>(threads));
    nn::Splits mnist = nn::load_dataset(ex.network.dataset, data::resolve_data_dir(opt.data_dir),
                                        ex.network.preprocess);
    nn::check_data_fits(ex.network, mnist);
    Trainer trainer(ex, mnist.train);
    const fs::path state = opt.run / "checkpoint" / "state.bin";
    // Only the trainer state and the number of rows are used: a checkpoint of an older version
    // whose rows lack a field declared since still serves.
    const CheckpointParts ck = split_checkpoint(util::read_file(state), state);
    const auto rows = json::parse(ck.rows_json);
    std::istringstream st(ck.trainer_state);
    trainer.load(st);

    // What is classified and recorded: the images asked for, at most the test set (0: all of it).
    const std::size_t asked = opt.test_images
                                  ? opt.test_images
                                  : static_cast<std::size_t>(ex.network.training.test_images);
    const std::size_t n_test = asked == 0 ? mnist.test.size() : std::min(asked, mnist.test.size());
    const std::uint64_t base_event = std::uint64_t{1}
                                     << 61;  // one read-noise stream for every time point
    auto accuracy = [&](const Snapshot& s) {
        return evaluate(s, mnist.test, n_test, threads > 1, base_event).accuracy_percent();
    };
    const Snapshot trained = trainer.snapshot();
    InferResult res;
    res.trained_accuracy = accuracy(trained);
    for (double t : opt.times) {
        Snapshot aged = aged_by(ex, trained, t);
        InferPoint p;
        p.time_s = t;
        p.accuracy = accuracy(aged);
        if (opt.compensate) {
            for (std::size_t l = 0; l < aged.pos.size(); ++l)
                p.gain.push_back(drift_gain(arrays_of(trained, l), arrays_of(aged, l)));
            aged.cfg.read_gain = p.gain;
            p.compensated = accuracy(aged);
        }
        res.points.push_back(p);
    }
    auto [j, csv] = infer_files(opt, ex, res, rows.size(), n_test, asked);
    util::write_atomic(opt.run / "infer.json", j.dump(2) + "\n");
    util::write_atomic(opt.run / "infer.csv", csv);
    res.json = j;
    return res;
}

}  // namespace synbench::sim
