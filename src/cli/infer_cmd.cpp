// `synbench infer RUN --after 1s,1h,1d,1y [--compensate]`: test accuracy of a finished run's
// conductances aged by the card's drift model (docs/non-idealities.md).
#include <fmt/format.h>

#include <iostream>

#include "cli/checks.hpp"
#include "cli/commands.hpp"
#include "cli/experiment_options.hpp"
#include "sim/experiment.hpp"
#include "config/config.hpp"
#include "sim/infer.hpp"
#include "units/units.hpp"

namespace synbench::cli {

void add_infer_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "infer",
        "Test accuracy of a trained run after retention times (drift), optionally compensated");
    struct Opts {
        std::string run, after, data_dir;
        bool compensate = false;
        std::vector<std::string> sets;
        int threads = 0;
        long long test_images = 0;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("run", o->run, "Run directory (with config.yaml and checkpoint/state.bin)")
        ->required();
    cmd->add_option("--after", o->after, "Times since programming, comma-separated: 1s,1h,1d,1y")
        ->required();
    cmd->add_flag("--compensate", o->compensate,
                  "Also report accuracy with a global drift compensation (per-layer read gain)");
    cmd->add_option("--set,-s", o->sets,
                    "Override a configuration field of the run, e.g. device.drift.nu=0.05");
    cmd->add_option("--test-images", o->test_images,
                    "Test images to classify (default: the run's test_images; at most the test "
                    "set's size is used and recorded)")
        ->check(int_range(1, 1000000000));
    cmd->add_option("--threads,-j", o->threads,
                    "Worker threads (default: all cores); results do not depend on it")
        ->check(int_range(1, kMaxThreads));
    auto max_memory = add_max_memory_option(cmd);
    add_data_dir_option(cmd, o->data_dir);
    cmd->callback([o, max_memory] {
        sim::InferOptions opt;
        opt.run = o->run;
        opt.compensate = o->compensate;
        opt.threads = o->threads;
        opt.test_images = static_cast<std::size_t>(o->test_images);
        if (!o->data_dir.empty()) opt.data_dir = o->data_dir;
        std::vector<std::string> labels;
        std::size_t pos = 0;
        while (pos <= o->after.size()) {
            auto end = o->after.find(',', pos);
            if (end == std::string::npos) end = o->after.size();
            const std::string item = o->after.substr(pos, end - pos);
            try {
                const double t = units::parse_as(item, units::time);
                if (!(t >= 0)) throw std::invalid_argument("negative");
                opt.times.push_back(t);
                labels.push_back(item);
            } catch (const std::exception& e) {
                throw ExitRequest{
                    kExitBadInput,
                    fmt::format(
                        "error: --after: '{}' is not a time (expected e.g. 1s,1h,1d,1y): {}", item,
                        e.what())};
            }
            pos = end + 1;
        }
        for (const auto& s : o->sets) {
            const auto eq = s.find('=');
            if (eq == std::string::npos || eq == 0)
                throw ExitRequest{kExitBadInput,
                                  fmt::format("error: --set '{}': expected key=value", s)};
            opt.sets.emplace_back(s.substr(0, eq), s.substr(eq + 1));
        }
        {
            sim::ExperimentInputs in;
            in.experiment = std::filesystem::path(o->run) / "config.yaml";
            in.sets = opt.sets;
            if (std::filesystem::is_regular_file(*in.experiment))
                check_memory(sim::load_experiment(in), *max_memory, "the run's network",
                             o->threads);
        }
        const auto r = sim::infer_after_training(opt);
        const auto& d = r.json["drift"];
        std::cout << fmt::format("{}: {} (drift nu {}, nu_sigma {}, t0 {} s), {} test images\n",
                                 o->run, r.json["device"].get<std::string>(), d["nu"].get<double>(),
                                 d["nu_sigma"].get<double>(), d["t0_s"].get<double>(),
                                 r.json["test_images"].get<std::size_t>());
        std::cout << fmt::format("{:>14}  {:>10}  {:>12}\n", "time", "accuracy",
                                 o->compensate ? "compensated" : "");
        std::cout << fmt::format("{:>14}  {:>9.2f}%\n", "as trained", r.trained_accuracy);
        for (std::size_t k = 0; k < r.points.size(); ++k) {
            const auto& p = r.points[k];
            std::string comp = p.compensated ? fmt::format("{:>11.2f}%", *p.compensated) : "";
            std::cout << fmt::format("{:>14}  {:>9.2f}%  {}\n", labels[k], p.accuracy, comp);
        }
        std::cout << fmt::format("wrote {}/infer.json and infer.csv\n", o->run);
    });
}

}  // namespace synbench::cli
