// Command-line checks (docs/bad-input.md: "Command-line integers", "Empty option values", "Memory",
// "Options mean something"): the memory a run needs, estimated before anything is allocated, and
// the CLI's refusals, each through the real `synbench` binary.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "sim/experiment.hpp"
#include "sim/memory.hpp"
#include "util/files.hpp"

using namespace synbench;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = SYNBENCH_SOURCE_DIR;
const std::string kCards = " --tech " + kSrc + "/tech/32nm.yaml --device " + kSrc +
                           "/devices/ag-asi.yaml --network " + kSrc +
                           "/networks/mlp-400-100-10.yaml";

// Runs `synbench ARGS` in a scratch directory; returns the exit code, its output in `out`.
int run_cli(const std::string& args, std::string* out = nullptr) {
    const auto dir =
        fs::temp_directory_path() / ("synbench-cli-checks-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto log = dir / "log";
    const int st = std::system(("cd " + dir.string() + " && " + SYNBENCH_CLI_PATH + " " + args +
                                " >" + log.string() + " 2>&1")
                                   .c_str());
    if (out) *out = util::read_file(log);
    fs::remove_all(dir);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

sim::Experiment reference(std::vector<std::pair<std::string, std::string>> sets = {}) {
    sim::ExperimentInputs in;
    in.tech = kSrc + "/tech/32nm.yaml";
    in.device = kSrc + "/devices/ag-asi.yaml";
    in.network = kSrc + "/networks/mlp-400-100-10.yaml";
    in.sets = std::move(sets);
    return sim::load_experiment(in);
}

}  // namespace

TEST_CASE("memory: the reference network's estimate is the hand count of its arrays and data",
          "[memory][bad-input]") {
    const auto m = sim::estimate_memory(reference());
    // 400-100-10: 40 000 + 1 000 = 41 000 cells; SGD, batch 1, one array per layer (reference
    // column), Ag:a-Si without D2D, stuck-at faults or disturb.
    const std::uint64_t n = 41000;
    CHECK(m.weights == n * (3 * 8 + 4));  // w, grad, dw, cycle count
    CHECK(m.conductances == n * 8 * 2);   // G, and the test pass's snapshot of it
    CHECK(m.device_state == 0);
    CHECK(m.optimizer == 0);
    CHECK(m.checkpoint == n * (8 + 8 + 4));                // G, w, cycles
    CHECK(m.activations == 4 * (400 + 100 + 10) * 8 * 2);  // one worker and the trainer
    CHECK(m.dataset == 70000ull * (784 + 1) + 70000ull * (400 + 1));
    CHECK(m.total() == 1148000 + 656000 + 820000 + 32640 + 83020000 + (32ull << 20));
    CHECK(sim::estimate_memory(reference(), 4).activations == 4 * (400 + 100 + 10) * 8 * 5);
    // Adam (2 state vectors), batch 20 (a gradient accumulator) and a differential pair.
    const auto a = sim::estimate_memory(reference({{"training.optimizer", "adam"},
                                                   {"training.batch_size", "20"},
                                                   {"training.learning_rate", "[0.005, 0.005]"},
                                                   {"hardware.signed_weights", "differential"}}));
    CHECK(a.optimizer == n * 16);
    CHECK(a.weights == n * (3 * 8 + 4 + 8));
    CHECK(a.conductances == n * 8 * 2 * 2);
    CHECK(a.checkpoint == n * (2 * 8 + 8 + 4 + 16));
    // The probe's 400-1 000 000-10 network: 410 million cells, tens of GB — linear in the cells.
    const auto big = sim::estimate_memory(reference({{"layers", "[400, 1000000, 10]"}}));
    CHECK(big.weights == 410000000ull * 28);
    CHECK(big.total() > 20ull << 30);
}

TEST_CASE("memory: sizes parse with decimal and binary units, nonsense is refused",
          "[memory][bad-input]") {
    CHECK(sim::parse_bytes("8GiB") == 8ull << 30);
    CHECK(sim::parse_bytes("8G") == 8ull << 30);
    CHECK(sim::parse_bytes("500MB") == 500000000ull);
    CHECK(sim::parse_bytes("1e9") == 1000000000ull);
    CHECK(sim::parse_bytes("1.5 KiB") == 1536);
    CHECK_THROWS_WITH(sim::parse_bytes("lots"), Contains("'lots' is not a size"));
    CHECK_THROWS_WITH(sim::parse_bytes("3 parsecs"), Contains("unknown unit 'parsecs'"));
    CHECK_THROWS_WITH(sim::parse_bytes("-1GB"), Contains("out of range"));
    CHECK_THROWS_WITH(sim::parse_bytes("1e300TB"), Contains("out of range"));
    CHECK(sim::format_bytes(1536) == "1.5 KiB");
    CHECK(sim::default_max_memory() > 0);
}

TEST_CASE(
    "cli: a run estimated above --max-memory is refused before anything is allocated, with both "
    "numbers",
    "[cli][memory][bad-input]") {
    std::string out;
    CHECK(run_cli("train" + kCards + " --set 'layers=[400,1000000,10]' -j 2 --out r -q", &out) ==
          2);
    CHECK_THAT(out, Contains("layers [400,1000000,10]") && Contains("needs an estimated 2") &&
                        Contains("GiB of memory, more than the limit of") &&
                        Contains("weights 10.7 GiB"));
    CHECK(run_cli("train" + kCards + " --max-memory 100MB -j 1 --out r -q", &out) == 2);
    CHECK_THAT(out, Contains("needs an estimated 114 MiB") &&
                        Contains("limit of 95.4 MiB (--max-memory 100MB)"));
    CHECK(run_cli("train" + kCards + " --max-memory 12parsecs --out r -q", &out) == 2);
    CHECK_THAT(out, Contains("--max-memory: '12parsecs': unknown unit"));
}

TEST_CASE("cli: every integer option is range-checked, naming option, value and range",
          "[cli][bad-input]") {
    struct Case {
        std::string args, message;
    };
    const std::vector<Case> cases{
        {"train" + kCards + " --threads -1",
         "--threads: value -1 is out of range: expected an integer from 1 to 256"},
        {"train" + kCards + " --threads 100000",
         "--threads: value 100000 is out of range: expected an integer from 1 to 256"},
        {"train" + kCards + " -j 0", "--threads: value 0 is out of range"},
        {"train" + kCards + " --seed -5",
         "--seed: value -5 is out of range: expected an integer from 0 to 9223372036854775807"},
        {"train" + kCards + " --seed 99999999999999999999",
         "--seed: value '99999999999999999999' is not an integer"},
        {"sweep x.yaml -j -3",
         "--threads: value -3 is out of range: expected an integer from 1 to 256"},
        {"sweep x.yaml --jobs -3",  // the deprecated spelling (docs/cli.md), the same check
         "--jobs: value -3 is out of range: expected an integer from 1 to 256"},
        {"device curve " + kSrc + "/devices/ag-asi.yaml --pulses 0",
         "--pulses: value 0 is out of range: expected an integer from 1 to 1000000"},
        {"infer run --after 1s --test-images 0",
         "--test-images: value 0 is out of range: expected an integer from 1 to 1000000000"},
        {"bench --epochs 0",
         "--epochs: value 0 is out of range: expected an integer from 1 to 1000"},
        {"estimate" + kCards + " --depth 11",
         "--depth: value 11 is out of range: expected an integer from 0 to 10"},
    };
    for (const auto& c : cases) {
        std::string out;
        INFO(c.args);
        CHECK(run_cli(c.args, &out) == 2);
        CHECK_THAT(out, Contains(c.message));
        CHECK_THAT(out, !Contains("1.79") && !Contains("179769"));
    }
}

TEST_CASE(
    "cli: options mean something: empty values, a budget with nothing to check, a run compared "
    "with itself",
    "[cli][bad-input]") {
    std::string out;
    CHECK(run_cli("train" + kCards + " --out '' -q", &out) == 2);
    CHECK_THAT(out, Contains("--out: empty value"));
    CHECK(run_cli("train" + kCards + " --budget '' -q", &out) == 2);
    CHECK_THAT(out, Contains("--budget: empty value"));
    CHECK(run_cli("validate ''", &out) == 2);
    CHECK_THAT(out, Contains("files: empty value"));
    CHECK(run_cli("estimate" + kCards + " --budget energy=1J", &out) == 2);
    CHECK_THAT(
        out,
        Contains(
            "--budget 'energy=1J': nothing to check: estimate knows area and leakage, not energy"));
    CHECK(run_cli("estimate" + kCards + " --budget area=1m2,latency=1s", &out) ==
          0);  // area is checked: accepted
    const std::string run = std::string(SYNBENCH_TEST_DATA) + "/runs/ag-asi-s1";
    CHECK(run_cli("compare " + run + " " + run + "/ --out cmp", &out) == 2);
    CHECK_THAT(out, Contains("are the same run directory: comparing a run with itself"));
}

TEST_CASE(
    "cli: errors blame the input that is wrong: device fit's --like card, sweep files in validate, "
    "a bad axis value",
    "[cli][bad-input]") {
    const auto dir =
        fs::temp_directory_path() / ("synbench-cli-blame-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string csv = "phase,pulse,conductance_S\n";
    for (int p = 1; p <= 50; ++p)
        csv += "ltp," + std::to_string(p) + "," +
               std::to_string(1e-6 + 1e-6 * (1 - std::exp(-p / 20.0))) + "\n";
    for (int p = 1; p <= 50; ++p)
        csv += "ltd," + std::to_string(p) + "," +
               std::to_string(2e-6 - 1e-6 * (1 - std::exp(-p / 20.0))) + "\n";
    util::write_atomic(dir / "data.csv", csv);
    util::write_atomic(dir / "like.yaml", "name: x\nmodel: exponential\n");
    std::string out;
    CHECK(run_cli("device fit " + (dir / "data.csv").string() + " -o " +
                      (dir / "card.yaml").string() + " --like " + (dir / "like.yaml").string(),
                  &out) == 2);
    CHECK_THAT(out, Contains("like.yaml: field 'source.paper': missing required field"));
    CHECK_THAT(out, !Contains("card.yaml"));
    CHECK_FALSE(fs::exists(dir / "card.yaml"));
    // validate: the repository's sweep files are valid sweeps.
    CHECK(run_cli("validate " + kSrc + "/sweeps/learning-rates-zip.yaml " + kSrc +
                      "/sweeps/devices-nodes-optimizers.yaml",
                  &out) == 0);
    CHECK_THAT(out, Contains("learning-rates-zip.yaml (sweep, 3 point(s))") &&
                        Contains("devices-nodes-optimizers.yaml (sweep, 24 point(s))"));
    // A bad axis value: exit 2 before any point runs (no point directory is created).
    util::write_atomic(dir / "bad.yaml", "tech: " + kSrc + "/tech/32nm.yaml\ndevice: " + kSrc +
                                             "/devices/ag-asi.yaml\nnetwork: " + kSrc +
                                             "/networks/mlp-400-100-10.yaml\nset: "
                                             "{training.epochs: 1, training.images_per_epoch: 10}\n"
                                             "axes:\n  hardware.adc_bits: [5, 99]\n");
    CHECK(
        run_cli("sweep " + (dir / "bad.yaml").string() + " --out " + (dir / "sw").string() + " -q",
                &out) == 2);
    CHECK_THAT(out, Contains("bad.yaml: field 'axes': point 'adc-bits=99'") &&
                        Contains("so the sweep does not start") &&
                        Contains("value 99 is out of range"));
    CHECK_FALSE(fs::exists(dir / "sw"));
    CHECK(run_cli("validate " + (dir / "bad.yaml").string(), &out) == 2);
    CHECK_THAT(out, Contains("INVALID") && Contains("adc-bits=99"));
    fs::remove_all(dir);
}
