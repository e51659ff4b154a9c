// synbench._synbench: the library's entry points for Python (docs/python.md). A thin layer like the
// command line: it calls the same library functions the CLI commands call; the pure-Python package
// (python/synbench/) turns what these return into dicts and pandas DataFrames.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "circuit/macro.hpp"
#include "config/config.hpp"
#include "device/card.hpp"
#include "device/model.hpp"
#include "report/report.hpp"
#include "sim/costs.hpp"
#include "sim/estimate.hpp"
#include "sim/experiment.hpp"
#include "report/run_directory.hpp"
#include "sim/run.hpp"
#include "sim/validate.hpp"
#include "util/card_search.hpp"
#include "util/files.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;
using namespace synbench;

namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

sim::ExperimentInputs inputs(const std::optional<std::string>& experiment,
                             const std::optional<std::string>& tech,
                             const std::optional<std::string>& device,
                             const std::optional<std::string>& network, const Sets& sets,
                             std::optional<std::uint64_t> seed) {
    sim::ExperimentInputs in;
    if (experiment) in.experiment = *experiment;
    if (tech) in.tech = *tech;
    if (device) in.device = *device;
    if (network) in.network = *network;
    in.sets = sets;
    in.seed = seed;
    return in;
}

// The same command line the CLI would have been given (for the run's manifest.json).
std::vector<std::string> command_line(const std::optional<std::string>& experiment,
                                      const std::optional<std::string>& tech,
                                      const std::optional<std::string>& device,
                                      const std::optional<std::string>& network, const Sets& sets,
                                      std::optional<std::uint64_t> seed, const std::string& out) {
    std::vector<std::string> a{"synbench", "train"};
    if (experiment) a.push_back(*experiment);
    for (auto [flag, v] : {std::pair{"--tech", tech}, std::pair{"--device", device},
                           std::pair{"--network", network}})
        if (v) a.insert(a.end(), {flag, *v});
    for (const auto& [k, v] : sets) a.insert(a.end(), {"--set", k + "=" + v});
    if (seed) a.insert(a.end(), {"--seed", std::to_string(*seed)});
    a.insert(a.end(), {"--out", out});
    return a;
}

// The card's resolved YAML as text (parsed to a dict on the Python side with the types YAML gives).
std::string card_yaml(const std::string& path) {
    return config::to_yaml(device::load_card(path).resolved);
}

py::list device_curve(const std::string& path, int pulses) {
    auto card = device::load_card(path);
    auto points = device::noise_free_curve(card, pulses);
    py::list rows;
    for (const auto& p : points) rows.append(py::make_tuple(p.phase, p.pulse, p.g));
    return rows;
}

py::dict device_range(const std::string& path) {
    auto card = device::load_card(path);
    py::dict d;
    d["name"] = card.name;
    d["model"] = card.model;
    d["g_min_S"] = card.g_min;
    d["g_max_S"] = card.g_max;
    d["levels_ltp"] = card.ltp.levels;
    d["levels_ltd"] = card.ltd.levels;
    return d;
}

// A card by path or name through the library's search path ($SYNBENCH_CARDS, the installation's
// share/synbench); None when not found, with the places looked at.
py::tuple find_card(const std::string& kind, const std::string& ref) {
    const auto k = kind == "tech"      ? util::CardKind::tech
                   : kind == "network" ? util::CardKind::network
                                       : util::CardKind::device;
    auto lookup = util::find_card(k, ref);
    return py::make_tuple(lookup.found ? py::object(py::str(lookup.found->string())) : py::none(),
                          util::looked_for(lookup));
}

std::string validate_card(const std::string& path) { return sim::validate_card(path); }

std::string estimate(const std::optional<std::string>& experiment,
                     const std::optional<std::string>& tech,
                     const std::optional<std::string>& device,
                     const std::optional<std::string>& network, const Sets& sets) {
    auto ex = sim::load_experiment(inputs(experiment, tech, device, network, sets, std::nullopt));
    auto md = circuit::evaluate_macro_detail(ex.tech, ex.device, ex.network.layers, ex.hardware);
    return sim::estimate_json(ex, md).dump();
}

py::dict train(const std::optional<std::string>& experiment, const std::optional<std::string>& tech,
               const std::optional<std::string>& device, const std::optional<std::string>& network,
               const Sets& sets, std::optional<std::uint64_t> seed, const std::string& out,
               int threads, bool resume, bool force, const std::optional<std::string>& data_dir,
               bool report, const py::object& progress) {
    sim::ExperimentInputs in;
    if (resume)
        in.experiment = fs::path(out) / "config.yaml";
    else
        in = inputs(experiment, tech, device, network, sets, seed);
    std::atomic<bool> stop{false};
    sim::RunOptions ro;
    ro.out = out;
    ro.threads = threads;
    ro.quiet = true;
    ro.resume = resume;
    ro.force = force;
    if (data_dir) ro.data_dir = *data_dir;
    ro.interrupt = &stop;
    ro.command = command_line(experiment, tech, device, network, sets, seed, out);
    if (!progress.is_none()) {
        // Runs on a worker thread while the GIL is released: take it for the callback. A callback
        // returning False stops the run after this epoch (resumable, like Ctrl-C in the CLI).
        ro.on_epoch = [&progress, &stop](const sim::EpochProgress& e) {
            py::gil_scoped_acquire gil;
            py::dict row;
            row["epoch"] = e.epoch;
            row["epochs"] = e.epochs;
            row["accuracy"] = e.accuracy;
            row["images_per_s"] = e.images_per_s;
            row["eta_s"] = e.eta_s;
            py::object ret = progress(row);
            if (!ret.is_none() && !ret.cast<bool>()) stop.store(true);
        };
    }
    sim::RunOutcome r;
    {
        py::gil_scoped_release nogil;
        auto ex = sim::load_experiment(in);
        auto table = sim::cost_table(ex);
        r = report::run_training(ex, table, ro);
        if (report && r.status == "complete") report::render_run(r.dir);
    }
    py::dict d;
    d["status"] = r.status;
    d["epochs_completed"] = r.epochs_completed;
    d["final_accuracy"] = r.final_accuracy;
    d["dir"] = r.dir.string();
    return d;
}

}  // namespace

PYBIND11_MODULE(_synbench, m) {
    m.doc() = "synbench library bindings (use the `synbench` package)";
    m.attr("__version__") = SYNBENCH_VERSION;
    // Bad cards: synbench.CardError (a ValueError) with the file:line:column: field message.
    py::register_exception<config::Error>(m, "CardError", PyExc_ValueError);
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const util::IoError& e) {
            PyErr_SetString(PyExc_OSError, e.what());
        }
    });
    m.def("card_yaml", &card_yaml, py::arg("path"));
    m.def("device_curve", &device_curve, py::arg("path"), py::arg("pulses") = 0);
    m.def("device_range", &device_range, py::arg("path"));
    m.def("find_card", &find_card, py::arg("kind"), py::arg("ref"));
    m.def("validate_card", &validate_card, py::arg("path"));
    m.def("estimate", &estimate, py::arg("experiment"), py::arg("tech"), py::arg("device"),
          py::arg("network"), py::arg("sets"));
    m.def("train", &train, py::arg("experiment"), py::arg("tech"), py::arg("device"),
          py::arg("network"), py::arg("sets"), py::arg("seed"), py::arg("out"), py::arg("threads"),
          py::arg("resume"), py::arg("force"), py::arg("data_dir"), py::arg("report"),
          py::arg("progress"));
}
