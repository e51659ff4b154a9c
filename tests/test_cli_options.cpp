// One meaning per option across the subcommands (docs/cli.md "Options"), the deprecated spellings
// kept for one release, and the shell completion generated from the same CLI definition — each
// through the real `synbench` binary.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "run_fixture.hpp"
#include "util/files.hpp"

using namespace synbench;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = SYNBENCH_SOURCE_DIR;
const std::string kJo = kSrc + "/data/measured/ag-asi-jo2010.csv";

// The tables of `synbench completion bash`: subcommand path -> words, for subs/opts/vals.
struct Tables {
    std::map<std::string, std::set<std::string>> subs, opts, vals;
};
std::set<std::string> split_words(const std::string& s) {
    std::istringstream in(s);
    std::set<std::string> out;
    for (std::string w; in >> w;) out.insert(w);
    return out;
}
Tables completion_tables() {
    std::string script;
    REQUIRE(test::run_cli_split("completion bash", &script) == 0);
    Tables t;
    const std::regex line(R"re(\s*(subs|opts|vals)\["([^"]*)"\]="([^"]*)")re");
    std::istringstream in(script);
    for (std::string l; std::getline(in, l);) {
        std::smatch m;
        if (!std::regex_match(l, m, line)) continue;
        auto& table = m[1] == "subs" ? t.subs : m[1] == "opts" ? t.opts : t.vals;
        table[m[2]] = split_words(m[3]);
    }
    return t;
}

// The subcommands `synbench --help` lists (an independent source: CLI11's own help text).
std::set<std::string> help_subcommands(const std::string& args) {
    std::string help;
    REQUIRE(test::run_cli_split(args + " --help", &help) == 0);
    std::set<std::string> out;
    const auto at = help.find("Subcommands:\n");
    REQUIRE(at != std::string::npos);
    std::istringstream in(help.substr(at + 13));
    for (std::string l; std::getline(in, l) && !l.empty();) {
        std::istringstream w(l);
        std::string name;
        w >> name;
        out.insert(name);
    }
    return out;
}

// Offers of the bash completion for the words typed so far (the last one being completed).
std::set<std::string> complete(const std::string& script, const std::string& typed) {
    const auto file = test::scratch("completion-out");
    const std::string cmd = "bash -c 'source " + script + "; COMP_WORDS=(" + typed +
                            "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _synbench; printf "
                            "\"%s\\n\" \"${COMPREPLY[@]}\"' > " +
                            file.string();
    REQUIRE(std::system(cmd.c_str()) == 0);
    auto out = split_words(util::read_file(file));
    fs::remove(file);
    return out;
}

}  // namespace

TEST_CASE("cli: -o, -j and --json mean one thing in every subcommand (docs/cli.md)", "[cli]") {
    const auto t = completion_tables();
    REQUIRE(t.opts.size() >= 15);  // every subcommand path, the program's own included
    int with_o = 0, with_j = 0, with_json = 0;
    for (const auto& [path, opts] : t.opts) {
        INFO("subcommand '" << path << "'");
        const auto& vals = t.vals.at(path);
        // -o is --out, the output directory or file the command creates: it takes a value.
        if (opts.count("-o")) {
            ++with_o;
            CHECK(opts.count("--out"));
            CHECK(vals.count("-o"));
        }
        if (opts.count("--out")) CHECK(opts.count("-o"));
        // -j is --threads, worker threads.
        if (opts.count("-j")) {
            ++with_j;
            CHECK(opts.count("--threads"));
        }
        if (opts.count("--threads")) CHECK(opts.count("-j"));
        // --json is a flag: machine-readable JSON on stdout instead of text, never a file name.
        if (opts.count("--json")) {
            ++with_json;
            CHECK_FALSE(vals.count("--json"));
        }
        // The old spellings are not offered (they stay accepted, with a warning).
        CHECK_FALSE(opts.count("--jobs"));
        CHECK_FALSE(opts.count("--output"));
    }
    // At least train, sweep, reproduce, compare, bench, device fit; train, sweep, reproduce,
    // infer; estimate, device fit (commands added later may use them too, with these meanings).
    CHECK(with_o >= 6);
    CHECK(with_j >= 4);
    CHECK(with_json >= 2);
}

TEST_CASE("cli: deprecated spellings still work, with a one-line warning naming the new one",
          "[cli]") {
    const auto base = test::scratch("cli-aliases");
    fs::create_directories(base);
    const auto a = base / "a.yaml", b = base / "b.yaml";
    std::string out, err;
    // device fit --output CARD = -o CARD: the same card, and one warning line on stderr.
    REQUIRE(test::run_cli_split("device fit " + kJo + " -o " + a.string(), &out, &err) == 0);
    CHECK_THAT(err, !Contains("deprecated"));
    REQUIRE(test::run_cli_split("device fit " + kJo + " --output " + b.string(), &out, &err) == 0);
    CHECK(err.rfind("warning: --output is deprecated; use --out (same meaning)\n", 0) == 0);
    CHECK(util::read_file(a) == util::read_file(b));
    // Both spellings at once: refused (they are one option).
    CHECK(test::run_cli_split("device fit " + kJo + " -o " + a.string() + " --output " + b.string(),
                              &out, &err) == 2);
    CHECK_THAT(err, Contains("--output: is the deprecated spelling of --out: give only --out"));
    // Neither: the option is still required.
    CHECK(test::run_cli_split("device fit " + kJo, &out, &err) == 2);
    CHECK_THAT(err, Contains("-o/--out CARD is required"));
    // sweep --jobs N = --threads N: the same estimate sweep, byte for byte.
    // (A two-point circuit-model sweep: no training, well under a second.)
    const auto sweep = (base / "tiny.yaml").string();
    util::write_atomic(sweep, "name: tiny\nnetwork: " + kSrc +
                                  "/networks/mlp-400-100-10.yaml\ntech: " + kSrc +
                                  "/tech/32nm.yaml\nestimate: true\naxes:\n  device: [" + kSrc +
                                  "/devices/ag-asi.yaml, " + kSrc + "/devices/epiram.yaml]\n");
    REQUIRE(test::run_cli_split(
                "sweep " + sweep + " --estimate -q --threads 1 -o " + (base / "s1").string(), &out,
                &err) == 0);
    CHECK_THAT(err, !Contains("deprecated"));
    REQUIRE(test::run_cli_split(
                "sweep " + sweep + " --estimate -q --jobs 1 -o " + (base / "s2").string(), &out,
                &err) == 0);
    CHECK(err.rfind("warning: --jobs is deprecated; use --threads (same meaning)\n", 0) == 0);
    CHECK(util::read_file(base / "s1" / "sweep.csv") == util::read_file(base / "s2" / "sweep.csv"));
    // compare takes -o as --out (before: only --out): the runs are checked, not the option.
    CHECK(test::run_cli_split("compare " + (base / "nope1").string() + " " +
                                  (base / "nope2").string() + " -o " + (base / "c").string(),
                              &out, &err) == 2);
    CHECK_THAT(err, !Contains("not expected"));
    CHECK_THAT(err, Contains("nope1"));
    fs::remove_all(base);
}

TEST_CASE("cli: the bash completion offers every subcommand and the options of each", "[cli]") {
    const auto base = test::scratch("cli-completion");
    fs::create_directories(base);
    const auto script = (base / "synbench.bash").string();
    std::string text;
    REQUIRE(test::run_cli_split("completion bash", &text) == 0);
    util::write_atomic(script, text);
    // Every subcommand --help lists, at the top level and under `device` and `data`.
    const auto top = help_subcommands("");
    CHECK(top.count("train"));
    CHECK(top.size() >= 11);
    CHECK(complete(script, "synbench \"\"") == top);
    CHECK(complete(script, "synbench device \"\"") == help_subcommands("device"));
    CHECK(complete(script, "synbench data \"\"") == help_subcommands("data"));
    // A prefix; options after a subcommand (the value of an option is skipped when finding it).
    CHECK(complete(script, "synbench tr") == std::set<std::string>{"train"});
    CHECK(complete(script, "synbench train --device x.yaml --thr") ==
          std::set<std::string>{"--threads"});
    CHECK(complete(script, "synbench device fit --") ==
          std::set<std::string>{"--help", "--out", "--name", "--like", "--compare", "--force",
                                "--json", "--figure"});
    // The hidden subcommand is not offered.
    CHECK_FALSE(top.count("completion"));
    // The zsh script is generated from the same tables.
    std::string zsh;
    REQUIRE(test::run_cli_split("completion zsh", &zsh) == 0);
    CHECK(zsh.rfind("#compdef synbench\n", 0) == 0);
    CHECK_THAT(zsh, Contains("\"synbench device\" \"curve fit\""));
    CHECK(test::run_cli_split("completion fish", &text, &zsh) == 2);
    CHECK_THAT(zsh, Contains("unknown shell 'fish' (expected bash or zsh)"));
    fs::remove_all(base);
}
