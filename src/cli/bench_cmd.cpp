// `synbench bench`: speed and memory of the reference setup, with the same physics as any run.
#include <fmt/format.h>
#include <sys/resource.h>
#include <tbb/global_control.h>

#include <chrono>
#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/checks.hpp"
#include "cli/commands.hpp"
#include "cli/experiment_options.hpp"
#include "data/mnist_fetch.hpp"
#include "config/config.hpp"
#include "sim/costs.hpp"
#include "sim/run.hpp"
#include "sim/trainer.hpp"
#include "util/files.hpp"
#include "util/process.hpp"

namespace synbench::cli {

namespace {
using clk = std::chrono::steady_clock;
double since(clk::time_point t) { return std::chrono::duration<double>(clk::now() - t).count(); }
double peak_mb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;
}
double peak_mb_children() {
    rusage ru{};
    getrusage(RUSAGE_CHILDREN, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;
}
}  // namespace

void add_bench_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "bench",
        "Benchmark the reference setup: seconds per epoch, images/s, thread scaling, peak memory");
    auto eo = add_experiment_options(cmd);
    struct Opts {
        int epochs = 3, run_epochs = 10, repeat = 3;
        std::string json_out, data_dir;
        bool force = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--epochs", o->epochs, "Training epochs timed per thread count (default 3)")
        ->check(int_range(1, 1000));
    cmd->add_option("--run-epochs", o->run_epochs,
                    "Epochs of the end-to-end run timed with 1 and 2 threads (default 10; 125 = "
                    "the full run)")
        ->check(int_range(1, 100000));
    cmd->add_option("--repeat", o->repeat,
                    "Timed end-to-end runs per thread count; the fastest counts (default 3)")
        ->check(int_range(1, 100));
    auto max_memory = add_max_memory_option(cmd);
    cmd->add_option(
        "--out,-o", o->json_out,
        "Also write the results (the JSON printed on stdout) to this file (a new file, or one an "
        "earlier bench wrote)");
    add_deprecated_alias(cmd, "--json", "--out", o->json_out);
    cmd->add_flag("--force", o->force,
                  "Let --out replace a file that an earlier bench did not write");
    add_data_dir_option(cmd, o->data_dir);
    cmd->callback([eo, o, max_memory] {
        // Checked before the minutes of timing, not after: --out replaces only an earlier bench's
        // file.
        if (!o->json_out.empty())
            util::check_may_replace(
                o->json_out, o->force,
                [&] {
                    try {
                        const auto j = nlohmann::json::parse(util::read_file(o->json_out));
                        return j.is_object() && j.contains("run_epochs_csv_identical") &&
                               j.contains("targets");
                    } catch (const std::exception&) {
                        return false;
                    }
                },
                "a file an earlier `synbench bench` wrote", "--force, or another --out");
        auto in = eo->inputs();
        // The reference cards by name, through the card search path (util/card_search.hpp).
        if (!in.experiment && !in.tech) in.tech = "32nm";
        if (!in.experiment && !in.device) in.device = "ag-asi";
        if (!in.experiment && !in.network) in.network = "mlp-400-100-10";
        auto ex = sim::load_experiment(in);
        check_memory(ex, *max_memory, "the benchmark run");
        sim::require_trainable(ex, "bench");
        auto table = sim::cost_table(ex);
        auto dir = data::resolve_data_dir(
            o->data_dir.empty() ? std::nullopt : std::optional<std::filesystem::path>(o->data_dir));
        auto t_load = clk::now();
        auto mnist = nn::load_dataset(ex.network.dataset, dir, ex.network.preprocess);
        double load_s = since(t_load);
        nlohmann::ordered_json j;
        j["setup"] = {{"device", ex.device.name},
                      {"tech", ex.tech.name},
                      {"network", ex.network.name},
                      {"images_per_epoch", ex.network.training.images_per_epoch},
                      {"hardware", ex.hardware.enabled},
                      {"test_images", mnist.test.size()}};
        j["dataset_load_s"] = load_s;
        // Training epochs alone (1 thread), and the test pass with 1 and 2 threads.
        sim::Trainer trainer(ex, mnist.train);
        double train_s = 0, pulses = 0, cells_pulsed_rows = 0;
        for (int e = 0; e < o->epochs; ++e) {
            sim::EpochCounts c(sim::weight_shapes(ex.network).size());
            auto t = clk::now();
            trainer.train_epoch(e, c, false);
            train_s += since(t);
            for (const auto& w : c.write)
                pulses += w.pulses_ltp + w.pulses_ltd, cells_pulsed_rows += w.rows;
        }
        const double per_epoch = train_s / o->epochs;
        // A layer-graph network (LeNet-5): also the training epoch with 2 threads (the update runs
        // in parallel chunks; the result is the same), from a fresh trainer.
        double per_epoch_2 = 0;
        const bool graph = sim::uses_graph(ex.network);
        if (graph) {
            tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
            sim::Trainer t2(ex, mnist.train);
            for (int e = 0; e < o->epochs; ++e) {
                sim::EpochCounts c(sim::weight_shapes(ex.network).size());
                auto t = clk::now();
                t2.train_epoch(e, c, true);
                per_epoch_2 += since(t);
            }
            per_epoch_2 /= o->epochs;
        }
        const double images = static_cast<double>(ex.network.training.images_per_epoch) * o->epochs;
        auto snap = trainer.snapshot();
        auto t1 = clk::now();
        auto r1 = sim::evaluate(snap, mnist.test, 0, false, 0);
        double test1 = since(t1);
        auto t2 = clk::now();
        auto r2 = sim::evaluate(snap, mnist.test, 0, true, 0);
        double test2 = since(t2);
        j["train_epoch_s"] = per_epoch;
        j["train_images_per_s"] = images / train_s;
        if (graph) j["train_epoch_s_2threads"] = per_epoch_2;
        j["test_pass_s_1thread"] = test1;
        j["test_pass_s_2threads"] = test2;
        j["test_images_per_s_1thread"] = static_cast<double>(r1.images) / test1;
        j["pulses_per_image"] = pulses / images;
        j["rows_written_per_image"] = cells_pulsed_rows / images;
        j["test_identical_1_vs_2_threads"] =
            r1.correct == r2.correct && r1.reads[0].g_sum == r2.reads[0].g_sum;
        // End-to-end runs (training + test + accounting + files) with 1 and 2 threads, each a fresh
        // `synbench train` process as a user runs it (in-process runs inherit this process's heap
        // and TBB state and measured 1.2–1.55× from one call to the next); the best of --repeat
        // each.
        auto tmp = std::filesystem::temp_directory_path() / "synbench-bench";
        std::filesystem::create_directories(tmp);
        const auto experiment = tmp / "experiment.yaml";
        util::write_atomic(experiment, config::to_yaml(ex.resolved));
        double wall[2] = {0, 0};
        std::string csv[2];
        for (int k = 0; k < 2; ++k) {
            const auto out = tmp / fmt::format("t{}", k + 1);
            std::vector<std::string> argv = {"/proc/self/exe",
                                             "train",
                                             experiment.string(),
                                             "--set",
                                             fmt::format("training.epochs={}", o->run_epochs),
                                             "--threads",
                                             std::to_string(k + 1),
                                             "--quiet",
                                             "--no-report",
                                             "--force",
                                             "--out",
                                             out.string()};
            if (!o->data_dir.empty()) argv.insert(argv.end(), {"--data-dir", o->data_dir});
            for (int rep = 0; rep < std::max(1, o->repeat); ++rep) {
                auto t = clk::now();
                auto r = util::run_process(argv);
                const double w = since(t);
                if (r.exit_code != 0)
                    throw std::runtime_error("bench: the timed run failed:\n" + r.output);
                if (rep == 0 || w < wall[k]) wall[k] = w;
            }
            csv[k] = util::read_file(out / "epochs.csv");
        }
        j["run_epochs"] = o->run_epochs;
        j["run_repeats"] = std::max(1, o->repeat);
        j["run_wall_s_1thread"] = wall[0];
        j["run_wall_s_2threads"] = wall[1];
        j["run_speedup_2_threads"] = wall[0] / wall[1];
        j["run_s_per_epoch_2threads"] = wall[1] / o->run_epochs;
        j["run_125_epochs_estimate_s"] = wall[1] / o->run_epochs * 125;
        j["run_epochs_csv_identical"] = csv[0] == csv[1];
        j["peak_memory_MB"] = peak_mb_children();  // the largest `synbench train` run above
        j["peak_memory_MB_bench_process"] = peak_mb();
        if (graph)  // issue 15's LeNet-5 targets (2 cores)
            j["targets"] = {
                {"train_epoch_s_2threads", 2.0}, {"test_pass_s", 1.0}, {"peak_memory_MB", 300}};
        else
            j["targets"] = {{"train_epoch_s", 0.5},
                            {"test_pass_s", 0.2},
                            {"run_125_epochs_s", 120},
                            {"peak_memory_MB", 150},
                            {"speedup", 1.5}};
        std::cout << j.dump(2) << "\n";
        if (!o->json_out.empty()) util::write_atomic(o->json_out, j.dump(2) + "\n");
    });
}

}  // namespace synbench::cli
