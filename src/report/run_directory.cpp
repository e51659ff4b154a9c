// The run directory around the epoch loop: orchestration (run_training) and its steps.
#include "report/run_directory.hpp"

#include "sim/graph_net.hpp"

#include <fmt/format.h>
#include <tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <cstdio>
#include <sstream>

#include "config/config.hpp"
#include "data/mnist_fetch.hpp"
#include "report/run_manifest.hpp"
#include "sim/costs.hpp"
#include "sim/summary_fields.hpp"
#include "util/files.hpp"
#include "util/time.hpp"

namespace synbench::report {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using sim::EpochRow;

namespace {

// One invocation of a run: its inputs, its directory and what it has written so far.
struct Run {
    Run(const sim::Experiment& e, const circuit::CostTable& t, const sim::RunOptions& o,
        fs::path data_directory, nn::Splits d)
        : ex(e),
          table(t),
          opt(o),
          dir(o.out),
          data_dir(std::move(data_directory)),
          data(std::move(d)),
          threads(o.threads > 0 ? o.threads : static_cast<int>(tbb::info::default_concurrency())),
          tty(!o.quiet && isatty(STDERR_FILENO)) {}
    const sim::Experiment& ex;
    const circuit::CostTable& table;
    const sim::RunOptions& opt;
    const fs::path dir, data_dir;
    const nn::Splits data;
    const int threads;
    const bool tty;  // a progress line on the terminal
    RunClock clock;
    json manifest;
    std::vector<EpochRow> rows;
    int start_epoch = 0;
};

std::string not_empty_message(const fs::path& dir) {
    return fmt::format(
        "{}: output directory exists and is not empty (use --resume to continue that run or "
        "--force to replace it)",
        dir.string());
}

// The checks before anything is read or written: the directory can be (re)used as asked.
void check_output_dir(const fs::path& dir, const sim::RunOptions& opt) {
    std::error_code ec;
    const bool exists = fs::exists(dir, ec);
    if (exists && !fs::is_directory(dir, ec))
        throw util::IoError(fmt::format("{}: exists and is not a directory", dir.string()));
    if (opt.resume) {
        if (!fs::exists(dir / "checkpoint" / "state.bin"))
            throw util::IoError(
                fmt::format("{}: nothing to resume (no checkpoint/state.bin)", dir.string()));
    } else if (exists && !util::empty_but_lock(dir) && !opt.force) {
        throw util::IoError(not_empty_message(dir));
    }
}

// --force replaces what a run wrote, never an input of this run nor a directory holding one.
void check_force_spares_inputs(const fs::path& dir, const sim::Experiment& ex,
                               const fs::path& data_dir) {
    std::error_code ec;
    std::vector<std::pair<std::string, fs::path>> inputs;
    for (const auto& [f, h] : ex.input_sha256) inputs.emplace_back("input", f);
    inputs.emplace_back("data directory", data_dir);
    inputs.emplace_back("working directory", fs::current_path(ec));
    for (const auto& [what, p] : inputs)
        if (util::path_within(p, dir))
            throw util::Refused(
                fmt::format("{}: --force would delete {}, the {} of this run; choose another --out",
                            dir.string(), p.string(), what));
}

// Under the lock: a resumed run loses the temporaries of util::write_atomic left by a killed run
// (never a target file: the rename had not happened; no other writer can own them); a new run
// starts from an empty directory (--force removes what is there).
void clear_for_run(const fs::path& dir, const sim::RunOptions& opt) {
    std::error_code ec;
    if (opt.resume) {
        for (const fs::path& d : {dir, dir / "checkpoint"})
            for (const auto& e : fs::directory_iterator(d, ec)) {
                const auto name = e.path().filename().string();
                if (name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos)
                    fs::remove(e.path(), ec);
            }
        return;
    }
    if (util::empty_but_lock(dir)) return;
    if (!opt.force)  // another run filled it between the first check and the lock
        throw util::IoError(not_empty_message(dir));
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename() != util::DirLock::kFile) {
            fs::remove_all(e.path(), ec);
            if (ec)
                throw util::IoError(
                    fmt::format("{}: cannot remove: {}", e.path().string(), ec.message()));
        }
}

// summary.json's training-periphery fields and energy bases (sim/summary_fields.hpp); with a
// training periphery the area_breakdown becomes {chip: [macro, training_periphery]}.
void put_training_periphery(json& s, const circuit::CostTable& table, const sim::EpochCosts& cum,
                            bool hardware) {
    namespace S = synbench::sim::summary;
    const bool tp = hardware && table.training.present;
    S::put(s, S::area_training_periphery, tp ? table.training.total.area_m2 : 0.0);
    S::put(s, S::leakage_training_periphery, tp ? table.training.total.leakage_W : 0.0);
    S::put(s, S::energy_training_periphery, cum.training_periphery_energy_J);
    S::put(s, S::latency_training_periphery, cum.training_periphery_latency_s);
    S::put(s, S::energy_array_dynamic, sim::basis::array_dynamic.of(cum));
    S::put(s, S::energy_with_periphery, sim::basis::with_periphery.of(cum));
    if (tp) {
        json chip;
        chip["name"] = "chip";
        chip["area_m2"] = table.total.area_m2 + table.training.total.area_m2;
        chip["leakage_W"] = table.total.leakage_W + table.training.total.leakage_W;
        chip["children"] = {sim::cost_tree_json(table.breakdown),
                            sim::cost_tree_json(table.training.breakdown)};
        s["area_breakdown"] = chip;
    }
}

// Per-epoch costs of the run so far and the efficiency figures derived from them.
void put_results(json& s, const Run& run) {
    namespace S = synbench::sim::summary;  // the declared fields, sim/summary_fields.hpp
    const auto& ex = run.ex;
    const auto& rows = run.rows;
    S::put(s, S::final_accuracy, rows.empty() ? 0.0 : rows.back().accuracy);
    double best = 0;
    for (const auto& r : rows) best = std::max(best, r.accuracy);
    S::put(s, S::best_accuracy, best);
    const sim::EpochCosts cum = rows.empty() ? sim::EpochCosts{} : rows.back().cum;
    S::put(s, S::area, ex.hardware.enabled ? run.table.total.area_m2 : 0.0);
    S::put(s, S::leakage, ex.hardware.enabled ? run.table.total.leakage_W : 0.0);
    s["area_breakdown"] =
        ex.hardware.enabled ? sim::cost_tree_json(run.table.breakdown) : json::object();
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
    put_training_periphery(s, run.table, cum, ex.hardware.enabled);
}

void put_efficiency(json& s, const Run& run) {
    namespace S = synbench::sim::summary;
    const auto& ex = run.ex;
    const auto& rows = run.rows;
    const sim::EpochCosts cum = rows.empty() ? sim::EpochCosts{} : rows.back().cum;
    double macs = 0;
    {  // rows × columns × reads per image of every weight layer (a conv layer: per position)
        const auto shapes = sim::weight_shapes(ex.network);
        const auto positions = sim::weight_positions(ex.network);
        for (std::size_t l = 0; l < shapes.size(); ++l)
            macs += static_cast<double>(shapes[l].first * shapes[l].second * positions[l]);
    }
    double train_images = 0;
    for (const auto& r : rows) train_images += r.train_images;
    const int per_epoch = ex.network.training.test_images ? ex.network.training.test_images
                                                          : static_cast<int>(run.data.test.size());
    const double test_images =
        rows.empty() ? 0 : static_cast<double>(rows.size()) * static_cast<double>(per_epoch);
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
}

// summary.json of the epochs so far (`complete` only at the end of the last one).
void write_summary(const Run& run, bool complete,
                   const std::vector<std::vector<std::uint32_t>>& cycles) {
    namespace S = synbench::sim::summary;
    const auto& ex = run.ex;
    json s;
    s["complete"] = complete;
    s["name"] = ex.network.name;
    s["device"] = ex.device.name;
    s["tech"] = ex.tech.name;
    s["network"] = ex.network.name;
    s["optimizer"] = ex.network.training.optimizer.name;
    s["hardware_enabled"] = ex.hardware.enabled;
    s["seed"] = ex.seed;
    s["epochs"] = static_cast<int>(run.rows.size());
    put_results(s, run);
    put_efficiency(s, run);
    s["endurance"] = endurance_json(cycles, ex.device.endurance);
    // Timings of all sessions together (each one's are in manifest.json's "sessions").
    S::put(s, S::wall, run.clock.wall_before + run.clock.wall());
    S::put(s, S::cpu, run.clock.cpu_before + run.clock.cpu());
    s["software"]["threads"] = run.threads;
    s["software"]["sessions"] = run.manifest["sessions"].size();
    write_json(run.dir / "summary.json", s);
}

void write_manifest(Run& run, int epochs_completed) {
    stamp_manifest(run.manifest, run.clock, epochs_completed);
    write_json(run.dir / "manifest.json", run.manifest);
}

// --resume: the manifest, the same experiment, the checkpoint's rows and trainer state. A run
// already complete is returned as it is (nothing written).
std::optional<sim::RunOutcome> resume(Run& run, sim::Trainer& trainer) {
    const auto& tr = run.ex.network.training;
    const fs::path& dir = run.dir;
    run.manifest = read_manifest(dir / "manifest.json");
    check_same_experiment(dir, run.ex, run.manifest, run.data, run.data_dir);
    const fs::path ck = dir / "checkpoint" / "state.bin";
    sim::Checkpoint c = sim::parse_checkpoint(util::read_file(ck), ck);
    run.rows = std::move(c.rows);
    std::istringstream in(c.trainer_state);
    trainer.load(in);
    run.start_epoch = static_cast<int>(run.rows.size());
    if (run.start_epoch > tr.epochs)
        throw util::Refused(
            fmt::format("{}: training.epochs is {} but {} epochs are already complete",
                        (dir / "config.yaml").string(), tr.epochs, run.start_epoch));
    if (run.start_epoch == tr.epochs && run.manifest["status"] == "complete")
        return sim::RunOutcome{"complete", run.start_epoch,
                               run.rows.empty() ? 0.0 : run.rows.back().accuracy, dir, true};
    resume_manifest(run.manifest, new_session(run.ex, run.opt, run.threads), run.start_epoch,
                    tr.epochs, run.clock);
    return std::nullopt;
}

// A new run's first files: the configuration as resolved, twice (config.yaml to re-run from, and
// a copy in checkpoint/ that --resume compares config.yaml with), then a checkpoint of epoch 0,
// written last (what --resume needs exists before it): a run stopped before its first epoch is
// resumable like any other.
void write_start(const Run& run, const sim::Trainer& trainer) {
    std::error_code ec;
    fs::create_directories(run.dir / "checkpoint", ec);
    if (ec)
        throw util::IoError(
            fmt::format("{}: cannot create the run directory: {}", run.dir.string(), ec.message()));
    const std::string config_text =
        "# synbench resolved configuration: re-run with `synbench train config.yaml --out "
        "DIR`\n" +
        config::to_yaml(run.ex.resolved);
    util::write_atomic(run.dir / "checkpoint" / "config.yaml", config_text);
    util::write_atomic(run.dir / "config.yaml", config_text);
    write_summary(run, false, trainer.cycles());
    std::ostringstream ck;
    trainer.save(ck);
    util::write_atomic(run.dir / "checkpoint" / "state.bin",
                       sim::checkpoint_blob(run.rows, ck.str()));
}

// The progress of an epoch whose row was just written, paired with its own accuracy (training of
// the next epoch runs meanwhile): to RunOptions::on_epoch, else a line on a terminal.
void show_progress(const Run& run, const EpochRow& row, double images_per_s) {
    const int epochs = run.ex.network.training.epochs;
    const int done = row.epoch - run.start_epoch;
    const double eta = done > 0 ? run.clock.wall() / done * (epochs - row.epoch) : 0;
    if (run.opt.on_epoch) {
        run.opt.on_epoch(sim::EpochProgress{row.epoch, epochs, row.accuracy, images_per_s, eta});
        return;
    }
    if (!run.tty) return;
    std::fprintf(stderr, "\repoch %d/%d  %.0f img/s  accuracy %.2f %%  ETA %.0f s   ", row.epoch,
                 epochs, images_per_s, row.accuracy, eta);
    std::fflush(stderr);
}

// Files of a finished epoch: checkpoint first, then the rows that refer to it.
void write_epoch(Run& run, const sim::FinishedEpoch& f) {
    const EpochRow& row = f.rows.back();
    util::write_atomic(run.dir / "checkpoint" / "state.bin",
                       sim::checkpoint_blob(f.rows, f.trainer_state));
    util::write_atomic(run.dir / "epochs.csv", epochs_csv(f.rows));
    write_json(run.dir / "epochs.json", epochs_json(f.rows));
    write_summary(run, false, f.cycles);
    write_manifest(run, row.epoch);
    show_progress(run, row, f.images_per_s);
}

// The end of a session that was not a failure: complete, or interrupted before the last epoch.
std::string write_end(Run& run, const sim::Trainer& trainer) {
    if (run.tty) std::fprintf(stderr, "\n");
    const bool complete = static_cast<int>(run.rows.size()) == run.ex.network.training.epochs;
    const std::string status = complete ? "complete" : "interrupted";
    write_summary(run, complete, trainer.cycles());
    stamp_manifest(run.manifest, run.clock, static_cast<int>(run.rows.size()));
    const json finished = complete ? json(util::iso_now()) : json(nullptr);
    json& this_session = run.manifest["sessions"].back();
    this_session["finished_at"] = finished;
    this_session["status"] = status;
    run.manifest["finished_at"] = finished;
    run.manifest["complete"] = complete;
    run.manifest["status"] = status;
    write_json(run.dir / "manifest.json", run.manifest);
    return status;
}

// Whatever failed (a computation, a full disk, text that cannot be written), the run is marked
// failed, never left "running". The error text is made writable if it is not.
void write_failure(Run& run, const std::exception& e) noexcept {
    if (run.tty) std::fprintf(stderr, "\n");
    try {
        stamp_manifest(run.manifest, run.clock, static_cast<int>(run.rows.size()));
        run.manifest["sessions"].back()["status"] = "failed";
        run.manifest["status"] = "failed";
        run.manifest["complete"] = false;
        run.manifest["error"] = json_message(e);
        util::write_atomic(run.dir / "manifest.json",
                           run.manifest.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
    } catch (...) {
    }
}

// The epochs of this session and every file they write.
sim::RunOutcome train_and_write(Run& run, sim::Trainer& trainer) {
    std::string status;
    try {
        write_manifest(run, run.start_epoch);
        if (!run.opt.resume) write_start(run, trainer);
        const sim::EpochLoop loop{run.start_epoch, run.ex.network.training.epochs, run.threads,
                                  run.opt.stop_after_epoch, run.opt.interrupt};
        sim::train_epochs(run.ex, run.table, trainer, run.data.test, loop, run.rows,
                          [&](const sim::FinishedEpoch& f) { write_epoch(run, f); });
        status = write_end(run, trainer);
    } catch (const std::exception& e) {
        write_failure(run, e);
        if (dynamic_cast<const json::exception*>(&e))
            throw std::runtime_error(fmt::format("{}: {}", run.dir.string(), json_message(e)));
        throw;
    }
    return sim::RunOutcome{status, static_cast<int>(run.rows.size()),
                           run.rows.empty() ? 0.0 : run.rows.back().accuracy, run.dir};
}

}  // namespace

sim::RunOutcome run_training(const sim::Experiment& ex, const circuit::CostTable& table,
                             const sim::RunOptions& opt) {
    const fs::path dir = opt.out;
    check_output_dir(dir, opt);
    auto data_dir = data::resolve_data_dir(opt.data_dir);
    std::error_code ec;
    if (!opt.resume && opt.force && fs::exists(dir, ec))
        check_force_spares_inputs(dir, ex, data_dir);
    // Data before touching the directory: a missing or corrupt dataset leaves no run directory
    // behind and does not cost the old one under --force.
    nn::Splits data = nn::load_dataset(ex.network.dataset, data_dir, ex.network.preprocess);
    nn::check_data_fits(ex.network, data);
    fs::create_directories(dir, ec);
    if (ec)
        throw util::IoError(
            fmt::format("{}: cannot create the run directory: {}", dir.string(), ec.message()));
    util::DirLock lock(dir);  // held until the run returns: a second writer is refused
    clear_for_run(dir, opt);
    Run run(ex, table, opt, data_dir, std::move(data));
    sim::Trainer trainer(ex, run.data.train);
    if (!opt.resume)
        run.manifest =
            new_manifest(ex, opt, run.data, run.threads, new_session(ex, opt, run.threads));
    else if (auto done = resume(run, trainer))
        return *done;
    return train_and_write(run, trainer);
}

}  // namespace synbench::report
