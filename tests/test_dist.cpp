// Distribution (issue 16): the one version, the data-directory precedence, cards found by name,
// and the progress report pairing each epoch with its own accuracy.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "report/run_data.hpp"
#include "run_fixture.hpp"
#include "sim/costs.hpp"
#include "report/run_directory.hpp"
#include "sim/run.hpp"
#include "util/build_info.hpp"
#include "util/card_search.hpp"
#include "util/files.hpp"
#include "util/process.hpp"

using namespace synbench;
namespace fs = std::filesystem;

namespace {

// The CLI with an environment: `env -u XDG_CACHE_HOME NAME=VALUE… synbench ARGS…`.
util::ProcessResult cli(const std::vector<std::string>& env, const std::vector<std::string>& args) {
    std::vector<std::string> argv{"env",           "-u", "XDG_CACHE_HOME", "-u",
                                  "SYNBENCH_DATA", "-u", "SYNBENCH_CARDS"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(SYNBENCH_CLI_PATH);
    argv.insert(argv.end(), args.begin(), args.end());
    return util::run_process(argv);
}

}  // namespace

TEST_CASE("version: --version prints the CMake project version and the git revision", "[dist]") {
    const std::string expected = SYNBENCH_EXPECTED_VERSION;
    CHECK(std::string(build::kVersion) == expected);
    auto r = cli({}, {"--version"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.output == "synbench " + expected + " (" + build::kGitRevision + ")\n");
}

TEST_CASE("data dir: --data-dir beats $SYNBENCH_DATA, which beats ~/.cache/synbench", "[dist]") {
    auto both = cli({"SYNBENCH_DATA=/env/dir", "HOME=/home/h"},
                    {"data", "path", "--data-dir", "/option/dir"});
    REQUIRE(both.exit_code == 0);
    CHECK(both.output == "/option/dir\n");
    auto env = cli({"SYNBENCH_DATA=/env/dir", "HOME=/home/h"}, {"data", "path"});
    CHECK(env.output == "/env/dir\n");
    auto home = cli({"HOME=/home/h"}, {"data", "path"});
    CHECK(home.output == "/home/h/.cache/synbench\n");
    // --help states the same order.
    auto help = cli({}, {"data", "fetch", "--help"});
    CHECK_THAT(help.output, Catch::Contains("default: $SYNBENCH_DATA, else ~/.cache/synbench"));
}

TEST_CASE(
    "cards by name: a name resolves to the same card as its path, in the CLI and in experiment "
    "cards",
    "[dist]") {
    // The development fallback: the build's synbench-source-tree file names this source tree.
    auto dev = util::find_card(util::CardKind::device, "ag-asi");
    REQUIRE(dev.found);
    CHECK(fs::equivalent(*dev.found, test::repo("devices/ag-asi.yaml")));
    CHECK(util::find_card(util::CardKind::tech, "32nm.yaml").found);
    CHECK(!util::find_card(util::CardKind::tech, "ag-asi").found);  // a device is no tech card

    sim::ExperimentInputs by_path, by_name;
    by_path.tech = test::repo("tech/32nm.yaml");
    by_path.device = test::repo("devices/ag-asi.yaml");
    by_path.network = test::repo("networks/mlp-400-100-10.yaml");
    by_name.tech = "32nm";
    by_name.device = "ag-asi";
    by_name.network = "mlp-400-100-10";
    const auto a = sim::load_experiment(by_path), b = sim::load_experiment(by_name);
    CHECK(config::to_yaml(a.resolved) == config::to_yaml(b.resolved));

    // `tech: 32nm` inside an experiment card.
    auto dir = test::scratch("cards-by-name");
    fs::create_directories(dir);
    util::write_atomic(dir / "exp.yaml",
                       "tech: 32nm\ndevice: taox-tio2\nnetwork: mlp-400-100-10\n");
    sim::ExperimentInputs e;
    e.experiment = dir / "exp.yaml";
    const auto c = sim::load_experiment(e);
    CHECK(c.device.name == "TaOx/TiO2");
    CHECK(c.tech.name == a.tech.name);

    // An unknown name in an experiment card: file, line, field, and where it looked.
    util::write_atomic(dir / "bad.yaml",
                       "tech: 32nm\ndevice: no-such-device\nnetwork: mlp-400-100-10\n");
    e.experiment = dir / "bad.yaml";
    CHECK_THROWS_WITH(
        sim::load_experiment(e),
        Catch::StartsWith((dir / "bad.yaml").string() +
                          ":2:9: field 'device': card file 'no-such-device' does not exist") &&
            Catch::Contains(test::repo("devices/no-such-device.yaml").string()));
    fs::remove_all(dir);
}

TEST_CASE(
    "cards by name: $SYNBENCH_CARDS comes before the shipped cards — an unknown name lists where "
    "it looked",
    "[dist]") {
    auto dir = test::scratch("cards-env");
    fs::create_directories(dir / "devices");
    // A copy of the reference device under the same name, told apart by its display name.
    auto text = util::read_file(test::repo("devices/ag-asi.yaml"));
    text.replace(text.find("name: Ag:a-Si"), 13, "name: Ag:a-Si (local copy)");
    util::write_atomic(dir / "devices" / "ag-asi.yaml", text);
    const std::vector<std::string> args{"estimate", "--tech",    "32nm",          "--device",
                                        "ag-asi",   "--network", "mlp-400-100-10"};
    auto shipped = cli({}, args);
    REQUIRE(shipped.exit_code == 0);
    CHECK_THAT(shipped.output, Catch::Contains("device Ag:a-Si, layers"));
    auto local = cli({"SYNBENCH_CARDS=/nonexistent:" + dir.string()}, args);
    REQUIRE(local.exit_code == 0);
    CHECK_THAT(local.output, Catch::Contains("device Ag:a-Si (local copy), layers"));

    auto bad = cli({"SYNBENCH_CARDS=" + dir.string()}, {"estimate", "--tech", "32nm", "--device",
                                                        "nope", "--network", "mlp-400-100-10"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(
        bad.output,
        Catch::Contains(
            "nope: cannot be read (missing or not readable), nor is it a --device card name") &&
            Catch::Contains((dir / "devices" / "nope.yaml").string()) &&
            Catch::Contains(test::repo("devices/nope.yaml").string()));
    fs::remove_all(dir);
}

TEST_CASE("run: the progress report pairs each epoch with its own test accuracy (2 threads)",
          "[dist][run][threads]") {
    auto ex = test::reference_experiment({{"training.epochs", "3"},
                                          {"training.images_per_epoch", "1000"},
                                          {"training.test_images", "300"}});
    auto out = test::scratch("progress");
    std::vector<sim::EpochProgress> seen;
    sim::RunOptions o;
    o.out = out;
    o.threads = 2;
    o.on_epoch = [&](const sim::EpochProgress& p) { seen.push_back(p); };
    report::run_training(ex, sim::cost_table(ex), o);
    auto csv = report::parse_epochs_csv(util::read_file(out / "epochs.csv"), "epochs.csv");
    const auto acc = csv.column("accuracy");
    REQUIRE(acc.size() == 3);
    REQUIRE(seen.size() == 3);
    // The check below could not tell the epochs apart if their accuracies were equal.
    REQUIRE(acc[0] != acc[1]);
    REQUIRE(acc[1] != acc[2]);
    for (std::size_t i = 0; i < 3; ++i) {
        INFO("epoch " << i + 1);
        CHECK(seen[i].epoch == static_cast<int>(i) + 1);
        CHECK(seen[i].epochs == 3);
        CHECK(seen[i].accuracy == acc[i]);
        CHECK(seen[i].images_per_s > 0);
    }
    CHECK(seen[2].eta_s == 0);
    fs::remove_all(out);
}
