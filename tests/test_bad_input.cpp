// The bad-input catalogue (docs/bad-input.md), one test per class that the library handles today:
// every broken input gets an error naming file, line, field and what was expected — the exact
// messages listed in the catalogue — never a crash or a silent default. The cards are the real
// ones from devices/, networks/ and tech/, each broken in one place.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include "circuit/options.hpp"
#include "config/config.hpp"
#include "device/card.hpp"
#include "nn/dataset.hpp"
#include "nn/network_card.hpp"
#include "tech/card.hpp"
#include "units/units.hpp"
#include "util/files.hpp"
#include "bad_input_fixture.hpp"

using namespace synbench;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

using test::device_card;
using test::device_error;
using test::edit;
using test::network_card;
using test::network_error;
using test::tech_card;
using test::tech_error;
using test::TempDir;

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

void write_plain(const fs::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary);
    out << content;
    REQUIRE(out.good());
}

}  // namespace

TEST_CASE("bad input: the unbroken cards parse", "[bad-input]") {
    CHECK(device_error(device_card()) == "ok");
    CHECK(network_error(network_card()) == "ok");
    CHECK(tech_error(tech_card()) == "ok");
}

TEST_CASE("bad input: card syntax", "[bad-input]") {
    CHECK(device_error(edit(device_card(), "ltp:\n  levels: 97", "ltp:\n  levels: [97")) ==
          "dev.yaml:19:5: YAML syntax error: end of sequence flow not found");
    CHECK(device_error(edit(device_card(), "  nl: 2.4\n", " nl: 2.4\n")) ==
          "dev.yaml:19:2: YAML syntax error: end of map not found");
    CHECK(device_error("# nothing\n") ==
          "dev.yaml: the file is empty; expected a mapping of fields");
    CHECK(device_error("- node: 32 nm\n") ==
          "dev.yaml:1:1: expected a mapping of fields (key: value) at the top level");
    CHECK(tech_error(edit(tech_card(), "node: 32 nm", "node: 32 nm\n[a, b]: 1")) ==
          "tech.yaml:9:1: keys must be plain names");
    CHECK_THROWS_WITH(config::load_file("/nonexistent/card.yaml"),
                      "/nonexistent/card.yaml: cannot be read (missing or not readable)");
    CHECK_THROWS_WITH(config::load_file(SYNBENCH_SOURCE_DIR "/devices"), SYNBENCH_SOURCE_DIR
                      "/devices: is a directory, expected a YAML file (a regular file)");
}

TEST_CASE("bad input: pathological YAML is an error, not a crash", "[bad-input]") {
    // Deep nesting: yaml-cpp gives up with a syntax error long before the stack runs out.
    std::string deep = "name: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    CHECK_THROWS_AS(config::load_string(deep, "deep.yaml"), config::Error);
    // Aliases and YAML merge keys (not supported by yaml-cpp: '<<' is a plain, unknown key).
    // (An alias reports the position of the anchored value it stands for.)
    CHECK(tech_error("a: &x [1, 2]\nname: *x\nnode: 32 nm\nvdd: 1 V\n") ==
          "tech.yaml:1:4: field 'name': expected a text, got a list");
    CHECK(device_error(edit(device_card(), "variation:\n", "<<: {x: 1}\nvariation:\n")) ==
          "dev.yaml:30:1: field '<<': unknown field; known fields here: name, source, model, cell, "
          "conductance, digital, ltp, ltd, "
          "read, variation, drift, endurance, half_select_disturb");
}

TEST_CASE("bad input: unknown and repeated fields", "[bad-input]") {
    CHECK(device_error(edit(device_card(), "  r_on: 26 MOhm", "  r_onn: 26 MOhm")) ==
          "dev.yaml:15:3: field 'conductance.r_onn': unknown field (did you mean 'r_on'?)");
    CHECK(device_error(edit(device_card(), "variation:\n", "colour: red\nvariation:\n")) ==
          "dev.yaml:30:1: field 'colour': unknown field; known fields here: name, source, model, "
          "cell, conductance, digital, ltp, ltd, "
          "read, variation, drift, endurance, half_select_disturb");
    // A repeated key would otherwise silently keep its first value.
    CHECK(device_error(edit(device_card(), "  c2c: 3.5 %", "  c2c: 3.5 %\n  c2c: 1 %")) ==
          "dev.yaml:32:3: field 'variation.c2c': field given twice (first on line 31)");
    CHECK(tech_error("name: a\nnode: 32 nm\nvdd: 1 V\nvdd: 2 V\n") ==
          "tech.yaml:4:1: field 'vdd': field given twice (first on line 3)");
}

TEST_CASE("bad input: missing fields", "[bad-input]") {
    CHECK(device_error(edit(device_card(), "  voltage: 0.5 V\n", "")) ==
          "dev.yaml:28:3: field 'read.voltage': missing required field (expected a voltage in V)");
    CHECK(device_error(edit(device_card(), "  voltage: 0.5 V\n", "  voltag: 0.5 V\n")) ==
          "dev.yaml:28:3: field 'read.voltage': missing required field (expected a voltage in V); "
          "is 'voltag' (line 28) a "
          "misspelling of it?");
    CHECK(tech_error(edit(tech_card(), "node: 32 nm\n", "")) ==
          "tech.yaml:9:1: field 'node': missing required field (expected a length in m)");
    // A field read after a near-named one is not taken for its misspelling.
    CHECK(device_error(edit(edit(edit(device_card(), "  nl: 2.4\n", ""), "  nl: -4.88\n", ""),
                            "model: exponential",
                            "model: lookup\nlookup:\n  ltp:\n    - {g: 1 nS}\n    - {g: 2 nS, dg: "
                            "1 pS}\n  ltd: []")) ==
          "dev.yaml:11:7: field 'lookup.ltp[0].dg': missing required field (expected a conductance "
          "in S)");
}

TEST_CASE("bad input: wrong type", "[bad-input]") {
    CHECK(device_error(edit(device_card(), "levels: 97", "levels: [97, 98]")) ==
          "dev.yaml:18:11: field 'ltp.levels': expected an integer, got a list");
    CHECK(device_error(edit(device_card(), "levels: 97", "levels: 97.5")) ==
          "dev.yaml:18:11: field 'ltp.levels': expected an integer, got '97.5'");
    CHECK(device_error(
              edit(device_card(), "read:\n  voltage: 0.5 V\n  pulse_width: 5 ns", "read: 0.5 V")) ==
          "dev.yaml:27:7: field 'read': expected a mapping of fields (key: value)");
    CHECK(network_error(edit(network_card(), "enabled: true", "enabled: maybe")) ==
          "net.yaml:20:12: field 'hardware.enabled': expected true or false, got 'maybe'");
    CHECK(device_error(edit(device_card(), "model: exponential", "model: exponentail")) ==
          "dev.yaml:8:8: field 'model': 'exponentail' is not one of: digital, exponential, ideal, "
          "linear, lookup, soft_bounds (did "
          "you mean 'exponential'?)");
}

TEST_CASE("bad input: wrong, missing or unknown unit", "[bad-input]") {
    CHECK(device_error(edit(device_card(), "r_on: 26 MOhm", "r_on: 26 MV")) ==
          "dev.yaml:15:9: field 'conductance.r_on': '26 MV' is a voltage, expected a resistance "
          "(Ohm)");
    CHECK(device_error(edit(device_card(), "pulse_width: 300 us", "pulse_width: 300")) ==
          "dev.yaml:21:16: field 'ltp.pulse_width': '300' has no unit; write it with a unit of "
          "time (e.g. '300 s')");
    CHECK(device_error(edit(device_card(), "pulse_width: 300 us", "pulse_width: 300 uz")) ==
          "dev.yaml:21:16: field 'ltp.pulse_width': unknown unit 'uz' in 'uz'");
    CHECK(device_error(edit(device_card(), "voltage: 3.2 V", "voltage: three V")) ==
          "dev.yaml:20:12: field 'ltp.voltage': 'three V' does not start with a number");
    CHECK(device_error(edit(device_card(), "voltage: 3.2 V", "voltage: 1e400 V")) ==
          "dev.yaml:20:12: field 'ltp.voltage': '1e400' is out of range");
    CHECK(tech_error(edit(tech_card(), "node: 32 nm", "node: 32 nm^99")) ==
          "tech.yaml:10:7: field 'node': exponent 99 in unit 'nm^99' is out of range (at most 9 in "
          "magnitude)");
}

TEST_CASE("bad input: unit exponents cannot overflow the dimension (fuzz regressions)",
          "[bad-input][fuzz]") {
    // Found by fuzz_cards: 'W^1000000000' overflowed int in Dim::pow (UB), 's/m^-2147483648'
    // overflowed the sign flip, and 'm^128*m^128' wrapped the int8 exponent to a dimensionless 0.
    CHECK_THROWS_AS(units::parse("1 W^1000000000"), units::UnitError);
    CHECK_THROWS_AS(units::parse("1 s/m^-2147483648"), units::UnitError);
    CHECK_THROWS_WITH(
        units::parse("5 m^128*m^128"),
        "exponent 128 in unit 'm^128*m^128' is out of range (at most 9 in magnitude)");
    CHECK_THROWS_WITH(units::parse("1 m^9*m^9*m^9*m^9"),
                      "unit 'm^9*m^9*m^9*m^9' has an implausible dimension");
    CHECK(units::parse_as("1 V m^9*m^9*m^9*m^-9*m^-9*m^-9", units::voltage) ==
          1.0);  // m^27 is still exact
    // Ordinary exponents still work.
    CHECK(units::parse_as("2 m^2", units::area) == 2.0);
    CHECK(units::parse_as("1 m^9/m^9", units::dimensionless) == 1.0);
}

TEST_CASE("bad input: out of range", "[bad-input]") {
    CHECK(device_error(edit(device_card(), "c2c: 3.5 %", "c2c: 150 %")) ==
          "dev.yaml:31:8: field 'variation.c2c': 150 % is out of range: expected in [0, 1]");
    CHECK(
        network_error(edit(network_card(), "adc_bits: 8", "adc_bits: 16")) ==
        "net.yaml:22:13: field 'hardware.adc_bits': value 16 is out of range: expected in [1, 12]");
    CHECK(network_error(edit(network_card(), "crop: 20", "crop: 30")) ==
          "net.yaml:10:9: field 'dataset.crop': value 30 is out of range: expected in [0, 28]");
    CHECK(
        network_error(edit(network_card(), "max_array: [512, 512]", "max_array: [512, 100000]")) ==
        "net.yaml:28:14: field 'hardware.max_array': item 2 (100000) is out of range: expected in "
        "[8, 65536]");
    CHECK(network_error(edit(network_card(), "max_array: [512, 512]", "max_array: [512]")) ==
          "net.yaml:28:14: field 'hardware.max_array': expected [rows, cols]");
}

TEST_CASE("bad input: contradictory device settings", "[bad-input]") {
    CHECK(device_error(edit(device_card(), "voltage: -2.8 V", "voltage: -0.4 V")) ==
          "dev.yaml:23:3: field 'ltd': |write voltage| 400 mV must exceed the read voltage 500 mV "
          "(a read would program the cell)");
    CHECK(device_error(edit(device_card(), "  r_on: 26 MOhm\n  on_off_ratio: 12.5",
                            "  g_min: 38 nS\n  g_max: 38 nS")) ==
          "dev.yaml:15:10: field 'conductance.g_min': g_min (38 nS) must be below g_max (38 nS)");
    CHECK(device_error(
              edit(device_card(), "  on_off_ratio: 12.5", "  on_off_ratio: 12.5\n  g_min: 3 nS")) ==
          "dev.yaml:17:10: field 'conductance.g_min': give either r_on with on_off_ratio, or g_min "
          "with g_max, not both");
    CHECK(
        device_error(edit(device_card(), "  on_off_ratio: 12.5", "  g_max: 38 nS")) ==
        "dev.yaml:15:3: field 'conductance': expected r_on with on_off_ratio, or g_min with g_max");
    CHECK(device_error(edit(device_card(), "  nl: 2.4", "  nl: 2.4\n  a: 0.5")) ==
          "dev.yaml:20:6: field 'ltp.a': give either 'nl' (the nonlinearity label) or 'a' "
          "(normalized A), not both");
    CHECK(device_error(edit(device_card(), "  nl: -4.88", "  nl: -4.88\n  g_max: 1 nS")) ==
          "dev.yaml:23:3: field 'ltd': the LTP and LTD conductance ranges do not overlap");
    CHECK(
        device_error(edit(device_card(), "  c2c: 3.5 %",
                          "  c2c: 3.5 %\n  stuck_at_gmin: 60 %\n  stuck_at_gmax: 50 %")) ==
        "dev.yaml:33:18: field 'variation.stuck_at_gmax': stuck_at_gmin + stuck_at_gmax exceed 1");
    CHECK(device_error(edit(device_card(), "model: exponential", "model: digital")) ==
          "dev.yaml:10:9: field 'cell.type': model 'digital' needs a digital cell type");
    CHECK(device_error(edit(device_card(), "variation:", "digital:\n  bits: 4\nvariation:")) ==
          "dev.yaml:31:9: field 'digital.bits': only a digital model stores bits per weight");
    CHECK(
        device_error(edit(
            edit(edit(device_card(), "  nl: 2.4\n", ""), "  nl: -4.88\n", ""), "model: exponential",
            "model: lookup\nlookup:\n  ltp:\n    - {g: 10 nS, dg: 1 pS}\n  ltd: []")) ==
        "dev.yaml:11:5: field 'lookup.ltp': the lookup model needs at least 2 rows per direction");
}

TEST_CASE("bad input: contradictory network settings", "[bad-input]") {
    CHECK(network_error(edit(network_card(), "layers: [400, 100, 10]", "layers: [784, 100, 10]")) ==
          "net.yaml:6:9: field 'layers': the first layer has 784 inputs but the dataset gives "
          "20×20 = 400");
    CHECK(network_error(edit(network_card(), "layers: [400, 100, 10]", "layers: [400, 100, 12]")) ==
          "net.yaml:6:9: field 'layers': MNIST has 10 classes, the last layer has 12");
    CHECK(network_error(edit(network_card(), "layers: [400, 100, 10]", "layers: [400]")) ==
          "net.yaml:6:9: field 'layers': expected at least an input and an output layer, e.g. "
          "[400, 100, 10]");
    CHECK(network_error(
              edit(network_card(), "  binarize: 0.5", "  binarize: 0.5\n  input_bits: 4")) ==
          "net.yaml:12:15: field 'dataset.input_bits': give either 'binarize' (a threshold) or "
          "'input_bits' (grey levels), not both");
    CHECK(network_error(edit(network_card(), "learning_rate: [0.4, 0.2]",
                             "learning_rate: [0.4, 0.2, 0.1]")) ==
          "net.yaml:18:18: field 'training.learning_rate': expected one learning rate per weight "
          "layer (2), got 3");
    // A layer larger than max_array is not an error: it is tiled over several subarrays.
    CHECK(network_error(edit(network_card(), "max_array: [512, 512]", "max_array: [64, 64]")) ==
          "ok");
}

TEST_CASE("bad input: --set overrides", "[bad-input]") {
    auto doc = config::load_string(network_card(), "net.yaml");
    CHECK_THROWS_WITH(config::split_assignment("training.epochs"),
                      "--set: 'training.epochs' is not of the form key.path=value");
    CHECK_THROWS_WITH(config::apply_override(doc, "training..epochs", "3"),
                      "--set: field 'training..epochs': empty key component");
    CHECK_THROWS_WITH(
        config::apply_override(doc, "name.x", "3"),
        "--set: field 'name.x': 'name' is not a mapping, cannot set a field inside it");
    CHECK_THROWS_WITH(config::apply_override(doc, "layers", "[1, 2"),
                      Contains("--set: field 'layers': value '[1, 2' is not valid YAML: "));
    config::apply_override(doc, "training.optimizer", "adamm");
    CHECK(network_error(config::to_yaml(doc.root)) != "ok");
    config::Section s(doc);
    s.text("name");
    s.text("description", std::string());
    s.integers("layers");
    auto t = s.section("training");
    CHECK_THROWS_WITH(t.choice("optimizer", {"sgd", "adam"}),
                      "--set training.optimizer: field 'training.optimizer': 'adamm' is not one "
                      "of: sgd, adam (did you mean 'adam'?)");
}

TEST_CASE("bad input: a lookup-table card resolves without use-after-free (fuzz regression)",
          "[bad-input][fuzz]") {
    // Found by fuzz_cards on the seed tests/fuzz/corpus/cards/device-lookup.yaml: the fields of a
    // list item were allocated in yaml-cpp memory that was dropped when the list was merged into
    // its parent, so writing the resolved card read freed nodes (ASan: SEGV in node_data::begin).
    auto text = util::read_file(fs::path(SYNBENCH_SOURCE_DIR) /
                                "tests/fuzz/corpus/cards/device-lookup.yaml");
    auto doc = config::load_string(text, "lookup.yaml");
    config::Section s(doc);
    auto c = device::parse_card(s);
    REQUIRE(c.ltp_table.size() == 2);
    CHECK(c.ltp_table[1].dg == Approx(2e-9));
    auto yaml = config::to_yaml(c.resolved);
    auto back = YAML::Load(yaml);
    REQUIRE(back["lookup"]["ltd"].size() == 2);
    CHECK(back["lookup"]["ltd"][1]["dg"].as<std::string>() == "-2e-08 S");
    CHECK(back["lookup"]["ltp"][0]["dg_sigma"].as<std::string>() == "2e-09 S");
}

TEST_CASE("bad input: missing, truncated and corrupt dataset files", "[bad-input]") {
    TempDir dir;
    nn::Preprocess p;
    CHECK_THROWS_WITH(nn::load_mnist(dir.path, p),
                      (dir.path / "train-images-idx3-ubyte").string() +
                          ": cannot be read (missing or not readable) (run 'synbench data fetch' "
                          "to download MNIST)");
    std::string img =
        be32(0x803) + be32(2) + be32(28) + be32(28) + std::string(2 * 28 * 28, '\x80');
    std::string lab = be32(0x801) + be32(2) + std::string("\x03\x07", 2);
    // The test images differ from the training images in their last byte (identical sets are
    // refused).
    auto put = [&](const std::string& i, const std::string& l) {
        write_plain(dir.path / "train-images-idx3-ubyte", i);
        write_plain(dir.path / "t10k-images-idx3-ubyte",
                    i.size() > 16 ? i.substr(0, i.size() - 1) + '\x7f' : i);
        for (const char* n : {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"})
            write_plain(dir.path / n, l);
    };
    put(img, lab);
    auto m = nn::load_mnist(dir.path, p);
    CHECK(m.train.size() == 2);
    const auto train_img = (dir.path / "train-images-idx3-ubyte").string();
    const auto train_lab = (dir.path / "train-labels-idx1-ubyte").string();
    put(img.substr(0, img.size() - 10), lab);
    CHECK_THROWS_WITH(
        nn::load_mnist(dir.path, p),
        train_img + ": 2 images of 28×28 need 1584 bytes, the file has 1574 (truncated)");
    put(img + "xx", lab);
    CHECK_THROWS_WITH(
        nn::load_mnist(dir.path, p),
        train_img + ": 2 images of 28×28 need 1584 bytes, the file has 1586 (trailing bytes)");
    put(img, lab.substr(0, 9));
    CHECK_THROWS_WITH(nn::load_mnist(dir.path, p),
                      train_lab + ": 2 labels need 10 bytes, the file has 9 (truncated)");
    put(be32(0x801) + be32(8) + std::string(8, '\1'),
        lab);  // a label file where the images should be
    CHECK_THROWS_WITH(
        nn::load_mnist(dir.path, p),
        train_img +
            ": bad magic number 0x00000801, expected 0x00000803 (IDX unsigned-byte images)");
    put(img.substr(0, 7), lab);
    CHECK_THROWS_WITH(nn::load_mnist(dir.path, p),
                      train_img + ": truncated: 7 bytes, an IDX image file has a 16-byte header");
    put(img, be32(0x801) + be32(2) + std::string("\x03\x0b", 2));
    CHECK_THROWS_WITH(nn::load_mnist(dir.path, p),
                      train_lab + ": label 11 of item 1 is not a class 0…9");
    put(img, be32(0x801) + be32(1) + std::string("\x03", 1));
    CHECK_THROWS_WITH(nn::load_mnist(dir.path, p), train_img + ": 2 images but 1 labels");
    put(be32(0x803) + be32(1) + be32(0) + be32(28), lab);
    CHECK_THROWS_WITH(nn::load_mnist(dir.path, p), train_img + ": implausible image size 0×28");
    put(be32(0x803) + be32(2) + be32(10) + be32(10) + std::string(200, '\0'), lab);
    CHECK_THROWS_WITH(nn::load_mnist(dir.path, p),
                      train_img + ": training images are 10×10, MNIST images are 28×28");
    fs::create_directory(dir.path / "d");
    CHECK_THROWS_WITH(nn::load_mnist(dir.path / "d" / "x", p),
                      Contains("cannot be read (missing or not readable)"));
}

TEST_CASE("bad input: an output path that cannot be written", "[bad-input]") {
    TempDir dir;
    write_plain(dir.path / "file", "a regular file");
    // Under a regular file: the check that holds even as root (CI), where permissions do not.
    auto under = dir.path / "file" / "summary.json";
    CHECK_THROWS_WITH(util::write_atomic(under, "{}"),
                      under.string() + ": cannot create a file in its directory: Not a directory");
    auto missing = dir.path / "no-such-dir" / "summary.json";
    CHECK_THROWS_WITH(
        util::write_atomic(missing, "{}"),
        missing.string() + ": cannot create a file in its directory: No such file or directory");
    // The target is a directory: the rename fails and the temporary is removed.
    fs::create_directory(dir.path / "taken");
    write_plain(dir.path / "taken" / "x", "keeps the directory non-empty");
    CHECK_THROWS_WITH(util::write_atomic(dir.path / "taken", "{}"),
                      (dir.path / "taken").string() + ": rename failed: Is a directory");
    CHECK(dir.entries() == 2);  // file, taken: no temporary left behind
    CHECK(util::read_file(dir.path / "file") == "a regular file");
}

TEST_CASE("bad input: a full disk while writing (injected)", "[bad-input]") {
    // The fault is injected with RLIMIT_FSIZE in a child process: writes beyond the limit fail with
    // EFBIG after a short write, as they would with ENOSPC on a full disk. The old file must stay
    // intact and no temporary may be left.
    TempDir dir;
    auto target = dir.path / "epochs.csv";
    util::write_atomic(target, "old complete content\n");
    std::fflush(nullptr);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit lim{4096, RLIM_INFINITY};
        if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) ::_exit(10);
        try {
            util::write_atomic(target, std::string(1 << 16, 'x'));
        } catch (const util::IoError& e) {
            std::string msg = e.what();
            ::_exit(msg == target.string() + ": write failed: File too large" ? 0 : 11);
        }
        ::_exit(12);  // the write must not succeed
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(util::read_file(target) == "old complete content\n");
    CHECK(dir.entries() == 1);
}
