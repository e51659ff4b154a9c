// "Nothing is lost" (docs/bad-input.md, issue 17): no command deletes or overwrites what it did not
// create without --force, never an input nor a directory holding one; a run directory is locked
// while a run writes it; --resume continues the same experiment and appends to its provenance; a
// failed run is marked failed; summary.json exists after every epoch. The cases run the real CLI
// (SYNBENCH_CLI_PATH) where the command line is what is tested, the library otherwise.
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "run_fixture.hpp"
#include "sim/costs.hpp"
#include "report/run_directory.hpp"
#include "sim/run.hpp"
#include "util/files.hpp"

using namespace synbench;
using Catch::Contains;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const test::Sets kTiny{
    {"training.epochs", "2"}, {"training.images_per_epoch", "50"}, {"training.test_images", "50"}};
// The same run as command-line options.
const std::string kTinyArgs = " --tech " + test::repo("tech/32nm.yaml").string() + " --device " +
                              test::repo("devices/ag-asi.yaml").string() + " --network " +
                              test::repo("networks/mlp-400-100-10.yaml").string() +
                              " --set training.epochs=2 --set training.images_per_epoch=50 --set "
                              "training.test_images=50 -j1 --quiet --no-report";

// Exit code of the CLI with `args`; its stdout and stderr in `out`.
int cli(const std::string& args, std::string* out = nullptr) {
    static int n = 0;
    const auto log =
        fs::temp_directory_path() / ("synbench-test-dataloss-" + std::to_string(::getpid()) + "-" +
                                     std::to_string(n++) + ".log");
    const int st = std::system(
        (std::string(SYNBENCH_CLI_PATH) + " " + args + " >" + log.string() + " 2>&1").c_str());
    if (out) *out = util::read_file(log);
    fs::remove(log);
    REQUIRE(WIFEXITED(st));
    return WEXITSTATUS(st);
}

// Every regular file under `dir` (relative path) with its content: equal listings mean nothing
// was added, removed or changed. The lock file (.lock, the pid of its last holder) is not data.
std::map<std::string, std::string> contents(const fs::path& dir) {
    std::map<std::string, std::string> m;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().filename() != util::DirLock::kFile)
            m[fs::relative(e.path(), dir).string()] = util::read_file(e.path());
    return m;
}

sim::RunOutcome train(const fs::path& out, int stop_after = -1, bool resume = false,
                      const std::atomic<bool>* interrupt = nullptr) {
    const auto ex = test::reference_experiment(kTiny);
    sim::RunOptions o;
    o.out = out;
    o.threads = 1;
    o.quiet = true;
    o.resume = resume;
    o.interrupt = interrupt;
    if (stop_after >= 0) o.stop_after_epoch = stop_after;
    o.command = {"synbench", "train", "(test)"};
    return report::run_training(ex, sim::cost_table(ex), o);
}

}  // namespace

TEST_CASE(
    "nothing is lost: reproduce never replaces the run, a directory holding it, or a user's "
    "directory",
    "[bad-input][data-loss]") {
    const auto base = test::scratch("dataloss-reproduce");
    const fs::path run = base / "R", user = base / "user";
    train(run);
    util::write_atomic(base / "notes.txt", "keep\n");
    fs::create_directories(user);
    util::write_atomic(user / "thesis.tex", "precious\n");
    const auto before = contents(base);
    std::string out;
    // The run itself: it would be deleted and epochs.csv compared with itself ("identical").
    CHECK(cli("reproduce " + run.string() + " -o " + run.string() + " --force", &out) == 2);
    CHECK(out == "error: " + run.string() + ": is the run being reproduced (" + run.string() +
                     "); its files would be replaced and compared with themselves — choose another "
                     "--out (the default is " +
                     (run / "reproduced").string() + ")\n");
    // Its parent: never, even with --force.
    CHECK(cli("reproduce " + run.string() + " -o " + base.string() + " --force", &out) == 2);
    CHECK_THAT(out, Contains(base.string() + ": contains the run being reproduced"));
    // A subdirectory of the run that no reproduction wrote.
    CHECK(cli("reproduce " + run.string() + " -o " + (run / "checkpoint").string() + " --force",
              &out) == 2);
    CHECK_THAT(out, Contains("is part of the run being reproduced"));
    // A user's non-empty directory: only with --force.
    CHECK(cli("reproduce " + run.string() + " -o " + user.string(), &out) == 2);
    CHECK(out == "error: " + user.string() +
                     ": exists, is not empty and is not an earlier reproduction; refusing to "
                     "replace it (use --force to replace it, or "
                     "another --out)\n");
    CHECK(contents(base) == before);
    // The default place, twice: an earlier reproduction is replaced without --force.
    CHECK(cli("reproduce " + run.string() + " -j1", &out) == 0);
    CHECK(cli("reproduce " + run.string() + " -j1", &out) == 0);
    CHECK(out == "identical: " + (run / "reproduced" / "epochs.csv").string() + " reproduces " +
                     (run / "epochs.csv").string() + " bit for bit (2 epochs)\n");
    auto after = contents(base);
    for (const auto& [f, text] : before) CHECK(after[f] == text);
}

TEST_CASE("nothing is lost: a run directory is locked while a run writes it",
          "[bad-input][data-loss]") {
    const auto dir = test::scratch("dataloss-lock");
    fs::create_directories(dir);
    {
        util::DirLock held(dir);  // a run in progress (this process)
        // A second lock on it, in this process or another, is refused with the holder's pid.
        const std::string msg = "error: " + dir.string() +
                                ": in use by another synbench run (pid " +
                                std::to_string(::getpid()) + ", lock " + (dir / ".lock").string() +
                                "); wait for it to finish or choose another --out\n";
        CHECK_THROWS_WITH(util::DirLock(dir), msg.substr(7, msg.size() - 8));
        std::string out;
        CHECK(cli("train" + kTinyArgs + " --out " + dir.string(), &out) == 2);
        CHECK(out == msg);
        CHECK(cli("train" + kTinyArgs + " --out " + dir.string() + " --force", &out) == 2);
        CHECK(out == msg);
        CHECK(util::empty_but_lock(dir));
    }
    util::DirLock again(dir);  // released with its holder
}

TEST_CASE("nothing is lost: --resume continues the same experiment and appends to its provenance",
          "[bad-input][data-loss]") {
    const auto dir = test::scratch("dataloss-resume");
    train(dir, 1);
    const std::string config = util::read_file(dir / "config.yaml");
    const auto before = contents(dir);
    std::string out;
    // Options that would change the experiment are refused, not ignored.
    CHECK(cli("train --resume " + dir.string() +
                  " --set device.variation.c2c=0.1 --seed 5 --tech x.yaml --out o -j1 --quiet",
              &out) == 2);
    CHECK(out == "error: --resume " + dir.string() +
                     ": --tech, --set, --seed, --out cannot be given with --resume; a resumed run "
                     "continues the experiment in its "
                     "config.yaml (only training.epochs there, and --threads, may change)\n");
    // An edited config.yaml: every changed key is named.
    auto edit = [&](const std::string& from, const std::string& to) {
        std::string t = config;
        auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        util::write_atomic(dir / "config.yaml", t.replace(at, from.size(), to));
    };
    edit("    c2c: 0.035\n", "    c2c: 0.1\n");
    CHECK(cli("train --resume " + dir.string() + " -j1 --quiet --no-report", &out) == 2);
    CHECK(out == "error: " + (dir / "config.yaml").string() +
                     ": differs from the configuration the run started with (" +
                     (dir / "checkpoint" / "config.yaml").string() +
                     ") at device.variation.c2c (0.035 -> 0.1); --resume continues the same "
                     "experiment (only training.epochs may "
                     "change): restore the file, or start a new run with another --out\n");
    edit("seed: 1\n", "seed: 99\n");
    CHECK(cli("train --resume " + dir.string() + " -j1 --quiet --no-report", &out) == 2);
    CHECK_THAT(out, Contains("at seed (1 -> 99);"));
    util::write_atomic(dir / "config.yaml", config);
    CHECK(contents(dir) == before);
    // A truncated manifest: named, with what is wrong, and no library prefix.
    util::write_atomic(dir / "manifest.json", before.at("manifest.json").substr(0, 100));
    CHECK(cli("train --resume " + dir.string() + " -j1 --quiet --no-report", &out) == 2);
    CHECK_THAT(out, Contains("error: " + (dir / "manifest.json").string() +
                             ": not a readable manifest (parse error at line"));
    CHECK_THAT(out, !Contains("json.exception"));
    util::write_atomic(dir / "manifest.json", before.at("manifest.json"));
    // training.epochs may change: 2 → 3, continued at 2 threads.
    edit("  epochs: 2\n", "  epochs: 3\n");
    CHECK(cli("train --resume " + dir.string() + " -j2 --quiet --no-report", &out) == 0);
    auto m = json::parse(util::read_file(dir / "manifest.json"));
    CHECK(m["status"] == "complete");
    CHECK(m["epochs_completed"] == 3);
    CHECK(m["command"] ==
          json::array({"synbench", "train", "(test)"}));  // the first session's, kept
    REQUIRE(m["sessions"].size() == 2);
    CHECK(m["sessions"][0]["command"] == m["command"]);
    CHECK(m["sessions"][0]["epochs_completed"] == 1);
    CHECK(m["sessions"][1]["command"][1] == "train");
    CHECK(m["sessions"][1]["command"][2] == "--resume");
    CHECK(m["sessions"][1]["epochs_at_start"] == 1);
    CHECK(m["sessions"][1]["threads"] == 2);
    CHECK(m["wall_s"].get<double>() == Approx(m["sessions"][0]["wall_s"].get<double>() +
                                              m["sessions"][1]["wall_s"].get<double>()));
    CHECK(json::parse(util::read_file(dir / "summary.json"))["software"]["sessions"] == 2);
    // A finished run: nothing changes, and it says so.
    const auto finished = contents(dir);
    CHECK(cli("train --resume " + dir.string() + " -j1 --quiet --no-report", &out) == 0);
    CHECK(out == dir.string() +
                     ": already complete (3 of 3 epochs); nothing to resume, nothing changed\n");
    CHECK(contents(dir) == finished);
}

TEST_CASE(
    "nothing is lost: device fit never overwrites its input, nor a file it did not write without "
    "--force",
    "[bad-input][data-loss]") {
    const auto dir = test::scratch("dataloss-fit");
    fs::create_directories(dir);
    const auto data = dir / "data.csv", notes = dir / "notes.yaml", card = dir / "card.yaml";
    fs::copy_file(test::repo("data/measured/ag-asi-jo2010.csv"), data);
    util::write_atomic(notes, "my notes\n");
    const auto before = contents(dir);
    std::string out;
    CHECK(cli("device fit " + data.string() + " -o " + data.string() + " --force", &out) == 2);
    CHECK(out == "error: " + data.string() +
                     ": is the data file of this command; refusing to overwrite an input (even "
                     "with --force) — choose another -o\n");
    CHECK(cli("device fit " + data.string() + " -o " + notes.string() + " --like " +
                  notes.string() + " --force",
              &out) == 2);
    CHECK_THAT(out, Contains("is the --like card of this command"));
    CHECK(cli("device fit " + data.string() + " -o " + notes.string(), &out) == 2);
    CHECK(out == "error: " + notes.string() +
                     ": exists and was not written by `synbench device fit`; refusing to overwrite "
                     "it (use --force, or another -o)\n");
    CHECK(cli("device fit " + data.string() + " -o " + dir.string() + " --force", &out) == 2);
    CHECK_THAT(out, Contains("exists and is not a regular file"));
    CHECK(contents(dir) == before);
    // Its own card it replaces; another file only when told.
    CHECK(cli("device fit " + data.string() + " -o " + card.string(), &out) == 0);
    CHECK(cli("device fit " + data.string() + " -o " + card.string(), &out) == 0);
    CHECK(cli("device fit " + data.string() + " -o " + notes.string() + " --force", &out) == 0);
    CHECK(util::read_file(notes) == util::read_file(card));
    CHECK(util::read_file(data) == before.at("data.csv"));
}

TEST_CASE(
    "nothing is lost: a run stopped before its first epoch resumes — summary.json follows every "
    "epoch",
    "[bad-input][data-loss]") {
    const auto full = test::scratch("dataloss-full"), stopped = test::scratch("dataloss-stopped");
    train(full);
    const std::atomic<bool> interrupted{true};  // SIGINT before the first epoch
    auto r = train(stopped, -1, false, &interrupted);
    CHECK(r.status == "interrupted");
    CHECK(r.epochs_completed == 0);
    auto s = json::parse(util::read_file(stopped / "summary.json"));
    CHECK(s["complete"] == false);
    CHECK(s["epochs"] == 0);
    CHECK(json::parse(util::read_file(stopped / "manifest.json"))["status"] == "interrupted");
    // Resumed from epoch 0 (the advice printed on SIGINT): bit-identical to the uninterrupted run.
    // A temporary left by a write that a SIGKILL cut short is removed on resume.
    util::write_atomic(stopped / ".epochs.json.tmp-AbC123", "half");
    r = train(stopped, 1, true);
    CHECK_FALSE(fs::exists(stopped / ".epochs.json.tmp-AbC123"));
    CHECK(r.epochs_completed == 1);
    s = json::parse(util::read_file(stopped / "summary.json"));
    CHECK(s["complete"] == false);
    CHECK(s["epochs"] == 1);
    CHECK(s["final_accuracy"] ==
          json::parse(util::read_file(full / "epochs.json"))["epochs"][0]["accuracy"]);
    r = train(stopped, -1, true);
    CHECK(r.status == "complete");
    CHECK(util::read_file(stopped / "epochs.csv") == util::read_file(full / "epochs.csv"));
    CHECK(json::parse(util::read_file(stopped / "summary.json"))["complete"] == true);
}

TEST_CASE(
    "nothing is lost: a run that fails while writing is marked failed, with a message and no "
    "library prefix",
    "[bad-input][data-loss]") {
    const auto dir = test::scratch("dataloss-failed");
    auto ex = test::reference_experiment(kTiny);
    ex.device.name = "Ag:a-Si \xe9";  // Latin-1: not writable as JSON text
    sim::RunOptions o;
    o.out = dir;
    o.threads = 1;
    o.quiet = true;
    CHECK_THROWS_WITH(report::run_training(ex, sim::cost_table(ex), o),
                      (dir / "summary.json").string() +
                          ": cannot write: incomplete UTF-8 string; last byte: 0xE9 (text in a "
                          "JSON file must be valid UTF-8)");
    auto m = json::parse(util::read_file(dir / "manifest.json"));
    CHECK(m["status"] == "failed");
    CHECK(m["sessions"][0]["status"] == "failed");
    CHECK_THAT(m["error"].get<std::string>(),
               Contains("summary.json: cannot write: incomplete UTF-8 string"));
}

TEST_CASE("nothing is lost: --force never deletes an input of the run nor a directory holding one",
          "[bad-input][data-loss]") {
    const auto dir = test::scratch("dataloss-force");
    fs::create_directories(dir / "cards");
    fs::copy_file(test::repo("devices/ag-asi.yaml"), dir / "cards" / "dev.yaml");
    sim::ExperimentInputs in;
    in.tech = test::repo("tech/32nm.yaml");
    in.device = dir / "cards" / "dev.yaml";
    in.network = test::repo("networks/mlp-400-100-10.yaml");
    in.sets = kTiny;
    const auto ex = sim::load_experiment(in);
    const auto before = contents(dir);
    sim::RunOptions o;
    o.out = dir;
    o.threads = 1;
    o.quiet = true;
    o.force = true;
    CHECK_THROWS_AS(report::run_training(ex, sim::cost_table(ex), o), util::Refused);
    CHECK_THROWS_WITH(report::run_training(ex, sim::cost_table(ex), o),
                      dir.string() + ": --force would delete " +
                          (dir / "cards" / "dev.yaml").string() +
                          ", the input of this run; choose another --out");
    CHECK(contents(dir) == before);
    CHECK_FALSE(fs::exists(dir / ".lock"));  // refused before the directory is touched
}

TEST_CASE(
    "nothing is lost: a sweep writes only into a new, empty or earlier sweep directory and "
    "replaces only run directories",
    "[bad-input][data-loss][sweep]") {
    const auto dir = test::scratch("dataloss-sweep");
    fs::create_directories(dir);
    const auto sweep_file = dir / "tiny.yaml";
    util::write_atomic(sweep_file,
                       "name: tiny\ntech: " + test::repo("tech/32nm.yaml").string() +
                           "\ndevice: " + test::repo("devices/ag-asi.yaml").string() +
                           "\nnetwork: " + test::repo("networks/mlp-400-100-10.yaml").string() +
                           "\nset:\n  training.epochs: 1\n  training.images_per_epoch: 20\n  "
                           "training.test_images: 20\n"
                           "axes:\n  seed: [1, 2]\n");
    const std::string args = "sweep " + sweep_file.string() + " -j1 --quiet --no-report --out ";

    // A user's directory: refused before any point runs, nothing touched.
    const auto user = dir / "thesis";
    fs::create_directories(user);
    util::write_atomic(user / "manifest.json", "{\"mine\": true}\n");
    util::write_atomic(user / "report.md", "my notes\n");
    const auto before = contents(user);
    std::string msg;
    CHECK(cli(args + user.string(), &msg) == 2);
    CHECK_THAT(msg, Contains("is not an earlier sweep's directory"));
    CHECK(contents(user) == before);

    // A new directory runs; a user's directory where a point's run would go is refused, not
    // replaced.
    const auto out = dir / "sweep";
    REQUIRE(cli(args + out.string(), &msg) == 0);
    const auto point = out / "points" / "seed=1";
    REQUIRE(fs::exists(point / "summary.json"));
    fs::remove_all(point);
    fs::create_directories(point);
    util::write_atomic(point / "data.csv", "measured,1\n");
    CHECK(cli(args + out.string(), &msg) == 1);
    CHECK_THAT(msg, Contains("1 point(s) failed"));
    CHECK(util::read_file(point / "data.csv") == "measured,1\n");
    CHECK_THAT(util::read_file(out / "sweep.csv"), Contains("is not a run directory"));
    fs::remove_all(dir);
}

TEST_CASE(
    "nothing is lost: compare --out and bench --out replace only what an earlier compare or bench "
    "wrote",
    "[bad-input][data-loss]") {
    const auto base = test::scratch("dataloss-outputs");
    const fs::path a = base / "a", user = base / "paper";
    train(a);
    fs::create_directories(user);
    util::write_atomic(user / "comparison.md", "my own words\n");
    util::write_atomic(base / "card.yaml", "name: precious\n");
    const auto before = contents(base);
    std::string out;
    const std::string pair = " " + a.string() + " " + a.string() + "/../a2";
    // compare into a run directory or a user's directory: refused before anything is written.
    fs::copy(a, base / "a2", fs::copy_options::recursive);
    auto before2 = contents(base);
    CHECK(cli("compare" + pair + " --out " + a.string(), &out) == 2);
    CHECK(out == "error: " + a.string() +
                     ": exists, is not empty and is not an earlier comparison's directory (no "
                     "comparison.json); refusing to replace it "
                     "(use --force, or another --out)\n");
    CHECK(cli("compare" + pair + " --out " + user.string(), &out) == 2);
    CHECK(contents(base) == before2);
    // A new directory, then the same again: an earlier comparison is replaced without --force.
    CHECK(cli("compare" + pair + " --out " + (base / "cmp").string(), &out) == 0);
    CHECK(cli("compare" + pair + " --out " + (base / "cmp").string(), &out) == 0);
    // --force writes into the user's directory.
    CHECK(cli("compare" + pair + " --out " + user.string() + " --force", &out) == 0);
    CHECK(fs::exists(user / "comparison.json"));
    // bench --out over a card: refused at once (before the minutes of timing), the card intact.
    const std::string refused = "error: " + (base / "card.yaml").string() +
                                ": exists, is not empty and is not a file an earlier `synbench "
                                "bench` wrote; refusing to replace it (use --force, or another "
                                "--out)\n";
    CHECK(cli("bench --epochs 1 --run-epochs 1 --repeat 1 --out " + (base / "card.yaml").string(),
              &out) == 2);
    CHECK(out == refused);
    // Its deprecated spelling --json FILE (docs/cli.md): the same refusal after a warning.
    CHECK(cli("bench --epochs 1 --run-epochs 1 --repeat 1 --json " + (base / "card.yaml").string(),
              &out) == 2);
    CHECK(out == "warning: --json is deprecated; use --out (same meaning)\n" + refused);
    CHECK(util::read_file(base / "card.yaml") == before.at("card.yaml"));
    fs::remove_all(base);
}
