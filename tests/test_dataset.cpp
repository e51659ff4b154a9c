#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "data/datasets.hpp"
#include "nn/dataset.hpp"
#include "nn/network_card.hpp"
#include "util/files.hpp"
#include "util/process.hpp"

using namespace synbench::nn;
using Catch::Contains;
namespace fs = std::filesystem;
namespace util = synbench::util;
namespace sdata = synbench::data;
namespace config = synbench::config;

namespace {
std::string be(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}
std::string images(std::uint32_t n, std::uint32_t r, std::uint32_t c, int fill) {
    std::string s = be(0x803) + be(n) + be(r) + be(c);
    for (std::uint32_t i = 0; i < n * r * c; ++i)
        s.push_back(static_cast<char>((i * 37 + static_cast<unsigned>(fill)) & 0xff));
    return s;
}
std::string labels(std::uint32_t n, int first = 0) {
    std::string s = be(0x801) + be(n);
    for (std::uint32_t i = 0; i < n; ++i)
        s.push_back(static_cast<char>((static_cast<int>(i) + first) % 10));
    return s;
}

// A CIFAR-10 record: label, then the R, G, B planes, pixel (r, c) of plane k = (k·100 + r + c) mod
// 256.
std::string cifar_record(int label) {
    std::string s(1, static_cast<char>(label));
    for (int k = 0; k < 3; ++k)
        for (int r = 0; r < 32; ++r)
            for (int c = 0; c < 32; ++c) s.push_back(static_cast<char>((k * 100 + r + c) & 0xff));
    return s;
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "synbench-dataset-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

void put(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
    REQUIRE(out.good());
}

// A small MNIST-shaped data set in `dir`: n_train and n_test 28×28 images, distinct contents.
void put_idx(const fs::path& dir, std::uint32_t n_train, std::uint32_t n_test,
             std::uint32_t test_side = 28) {
    put(dir / "train-images-idx3-ubyte", images(n_train, 28, 28, 1));
    put(dir / "train-labels-idx1-ubyte", labels(n_train));
    put(dir / "t10k-images-idx3-ubyte", images(n_test, test_side, test_side, 5));
    put(dir / "t10k-labels-idx1-ubyte", labels(n_test, 3));
}

// The message of a network card, or "ok".
std::string card_error(const std::string& text) {
    try {
        auto doc = config::load_string(text, "net.yaml");
        config::Section s(doc);
        parse_network(s);
        return "ok";
    } catch (const config::Error& e) {
        return e.what();
    }
}
std::string card(const std::string& name, const std::string& layers, const std::string& crop) {
    return "name: n\nlayers: " + layers + "\ndataset:\n  name: " + name + "\n  crop: " + crop +
           "\n  binarize: 0.5\ntraining:\n  epochs: 1\n  images_per_epoch: 10\n  learning_rate: "
           "0.1\n";
}
}  // namespace

TEST_CASE("idx: well-formed files parse", "[idx]") {
    auto img = parse_idx_images(images(3, 28, 28, 0), "x");
    CHECK(img.count == 3);
    CHECK(img.rows == 28);
    CHECK(img.pixels.size() == 3u * 28 * 28);
    auto lab = parse_idx_labels(be(0x801) + be(3) + std::string("\x01\x02\x09", 3), "y");
    CHECK(lab == std::vector<std::uint8_t>{1, 2, 9});
}

TEST_CASE("idx: corrupt files are rejected with the reason", "[idx]") {
    auto good = images(2, 28, 28, 0);
    CHECK_THROWS_WITH(parse_idx_images(good.substr(0, good.size() - 1), "f"),
                      Contains("truncated"));
    CHECK_THROWS_WITH(parse_idx_images(good + "x", "f"), Contains("trailing bytes"));
    CHECK_THROWS_WITH(parse_idx_images(std::string("\x00\x00\x08\x01", 4) + good.substr(4), "f"),
                      Contains("bad magic number 0x00000801"));
    CHECK_THROWS_WITH(parse_idx_images("abc", "f"), Contains("16-byte header"));
    CHECK_THROWS_WITH(parse_idx_images(be(0x803) + be(1) + be(0) + be(28), "f"),
                      Contains("implausible image size"));
    CHECK_THROWS_WITH(parse_idx_labels(be(0x801) + be(2) + std::string("\x01\x0a", 2), "l"),
                      Contains("label 10 of item 1"));
    CHECK_THROWS_WITH(parse_idx_labels(be(0x801) + be(5) + "ab", "l"), Contains("truncated"));
    CHECK_THROWS_AS(read_idx_images("/nonexistent/train-images"), DataError);
}

TEST_CASE("preprocess: crop to the centre and binarise", "[idx]") {
    IdxImages img;
    img.count = 1;
    img.rows = img.cols = 28;
    img.pixels.assign(28 * 28, 0);
    // A bright pixel at (4, 4) is the top-left of the 20×20 crop; (3, 3) is cut away.
    img.pixels[4 * 28 + 4] = 200;
    img.pixels[3 * 28 + 3] = 255;
    img.pixels[23 * 28 + 23] = 127;  // bottom-right of the crop, just below 0.5
    Preprocess p;
    auto d = preprocess(img, {7}, p, "t");
    REQUIRE(d.inputs == 400u);
    CHECK(d.row(0)[0] == 1);
    CHECK(d.row(0)[399] == 0);
    int ones = 0;
    for (std::size_t i = 0; i < 400; ++i) ones += d.row(0)[i];
    CHECK(ones == 1);
    p.binarize = false;
    p.input_bits = 2;
    auto g = preprocess(img, {7}, p, "t");
    CHECK(g.row(0)[0] == 2);    // 200/255·3 = 2.35 → 2
    CHECK(g.row(0)[399] == 1);  // 127/255·3 = 1.49 → 1
    CHECK(g.max_level() == 3);
    CHECK_THROWS_AS(preprocess(img, {1, 2}, p, "t"), DataError);
}

TEST_CASE("datasets: shapes and class counts come from the data files", "[dataset]") {
    const auto& f = dataset_info("fashion-mnist");
    CHECK(f.title == "Fashion-MNIST");
    CHECK((f.classes == 10 && f.rows == 28 && f.cols == 28 && f.channels == 1));
    CHECK(f.files.size() == 4u);
    const auto& c = dataset_info("cifar-10");
    CHECK((c.classes == 10 && c.rows == 32 && c.cols == 32 && c.channels == 3));
    CHECK(c.files == std::vector<std::string>{"data_batch_1.bin", "data_batch_2.bin",
                                              "data_batch_3.bin", "data_batch_4.bin",
                                              "data_batch_5.bin", "test_batch.bin"});
    CHECK(dataset_info("mnist").rows == 28);
    CHECK_THROWS_WITH(dataset_info("svhn"),
                      "unknown data set 'svhn': expected one of mnist, fashion-mnist, cifar-10");
    CHECK(dataset_dir("mnist", "/d") == fs::path("/d"));
    CHECK(dataset_dir("fashion-mnist", "/d") == fs::path("/d/fashion-mnist"));
}

TEST_CASE("datasets: the network card is checked against the data set's shape and classes",
          "[dataset]") {
    CHECK(card_error(card("fashion-mnist", "[400, 100, 10]", "20")) == "ok");
    CHECK(card_error(card("cifar-10", "[3072, 100, 10]", "0")) == "ok");
    CHECK(card_error(card("cifar-10", "[1200, 100, 10]", "20")) ==
          "ok");  // 20×20 of each of the 3 planes
    CHECK(card_error(card("cifar-10", "[400, 100, 10]", "20")) ==
          "net.yaml:2:9: field 'layers': the first layer has 400 inputs but the dataset gives "
          "20×20×3 = 1200 (CIFAR-10 images)");
    CHECK(card_error(card("fashion-mnist", "[400, 100, 12]", "20")) ==
          "net.yaml:2:9: field 'layers': Fashion-MNIST has 10 classes, the last layer has 12");
    CHECK(card_error(card("cifar-10", "[3072, 100, 10]", "33")) ==
          "net.yaml:5:9: field 'dataset.crop': value 33 is out of range: expected in [0, 32]");
    CHECK(card_error(card("fashion-mnist", "[784, 100, 10]", "30")) ==
          "net.yaml:5:9: field 'dataset.crop': value 30 is out of range: expected in [0, 28]");
    CHECK_THAT(card_error(card("svhn", "[400, 100, 10]", "20")),
               Contains("field 'dataset.name'") && Contains("svhn"));
}

TEST_CASE("cifar-10: binary batches parse into channel planes — bad sizes and labels are refused",
          "[dataset]") {
    auto b = parse_cifar_batch(cifar_record(3) + cifar_record(9), "b");
    REQUIRE(b.images.count == 2u);
    CHECK((b.images.rows == 32 && b.images.cols == 32 && b.images.channels == 3));
    CHECK(b.labels == std::vector<std::uint8_t>{3, 9});
    // Record 1, green plane (k = 1), pixel (2, 5): (100 + 7) = 107.
    CHECK(b.images.pixels[1 * 3072 + 1 * 1024 + 2 * 32 + 5] == 107);
    CHECK_THROWS_WITH(parse_cifar_batch(cifar_record(1) + "x", "b.bin"),
                      "b.bin: 3074 bytes is not a CIFAR-10 binary batch: expected a non-zero "
                      "multiple of 3073 (1 label + 3072 pixel bytes "
                      "per image), 1 bytes left over");
    CHECK_THROWS_WITH(parse_cifar_batch("", "b.bin"),
                      Contains("0 bytes is not a CIFAR-10 binary batch"));
    CHECK_THROWS_WITH(parse_cifar_batch(cifar_record(1) + cifar_record(10), "b.bin"),
                      "b.bin: label 10 of record 1 (byte offset 3073) is not a class 0…9");
    // Crop and binarise per plane: 32×32×3 uncropped is 3072 inputs; crop 20 keeps rows/cols 6…25.
    Preprocess p;
    p.crop = 0;
    p.binarize = false;
    p.input_bits = 8;
    auto d = preprocess(b.images, b.labels, p, "b");
    CHECK(d.inputs == 3072u);
    CHECK(d.row(1)[2 * 1024 + 31 * 32 + 31] == static_cast<std::uint8_t>((200 + 62) & 0xff));
    p.crop = 20;
    d = preprocess(b.images, b.labels, p, "b");
    CHECK(d.inputs == 1200u);
    CHECK(d.row(0)[400 + 0] == 100 + 6 + 6);  // green plane, cropped (0, 0) = original (6, 6)
}

TEST_CASE("cifar-10: import copies, hashes and refuses — the runs load what was imported",
          "[dataset]") {
    TempDir src, cache;
    const std::string train = cifar_record(1) + cifar_record(2) + cifar_record(3),
                      test = cifar_record(4) + cifar_record(5);
    put(src.path / "data_batch_1.bin", train);
    put(src.path / "test_batch.bin", test);
    auto r = sdata::import_cifar10(
        cache.path, {src.path / "data_batch_1.bin", src.path / "test_batch.bin"}, false);
    REQUIRE(r.size() == 2u);
    CHECK((r[0].images == 3u && r[1].images == 2u));
    CHECK(r[0].sha256 == util::sha256_hex(train));
    CHECK(!r[0].already_present);
    CHECK(util::read_file(cache.path / "cifar-10" / "data_batch_1.bin") == train);
    CHECK(
        sdata::import_cifar10(cache.path, {src.path / "test_batch.bin"}, false)[0].already_present);

    Preprocess p;
    p.crop = 0;
    auto s = load_dataset("cifar-10", cache.path, p);
    CHECK((s.name == "cifar-10" && s.train.size() == 3u && s.test.size() == 2u &&
           s.train.inputs == 3072u));
    CHECK(s.file_sha256 == std::vector<std::pair<std::string, std::string>>{
                               {"data_batch_1.bin", util::sha256_hex(train)},
                               {"test_batch.bin", util::sha256_hex(test)}});

    // Refused, and nothing copied: a wrong name, a bad batch, another content without --force.
    put(src.path / "batch.bin", train);
    CHECK_THROWS_WITH(sdata::import_cifar10(cache.path, {src.path / "batch.bin"}, false),
                      Contains("not a CIFAR-10 batch name"));
    put(src.path / "data_batch_2.bin", train + "x");
    CHECK_THROWS_WITH(
        sdata::import_cifar10(cache.path, {src.path / "data_batch_2.bin"}, false),
        Contains("9220 bytes is not a CIFAR-10 binary batch") && Contains("1 bytes left over"));
    CHECK(!fs::exists(cache.path / "cifar-10" / "data_batch_2.bin"));
    TempDir other;
    put(other.path / "test_batch.bin", train);
    CHECK_THROWS_WITH(sdata::import_cifar10(cache.path, {other.path / "test_batch.bin"}, false),
                      Contains("exists with another content"));
    CHECK(util::read_file(cache.path / "cifar-10" / "test_batch.bin") == test);
    // With --force it replaces it, and the loader then refuses a test batch equal to a training
    // batch.
    sdata::import_cifar10(cache.path, {other.path / "test_batch.bin"}, true);
    CHECK_THROWS_WITH(load_dataset("cifar-10", cache.path, p),
                      Contains("the test set must not be the training set"));
    TempDir empty;
    CHECK_THROWS_WITH(load_dataset("cifar-10", empty.path, p),
                      Contains("no CIFAR-10 training batch") && Contains("data import cifar-10"));
}

TEST_CASE("datasets: training and test sets are checked against each other (issue 17, rule 7)",
          "[dataset][bad-input]") {
    TempDir d;
    Preprocess p;
    const auto train_img = (d.path / "train-images-idx3-ubyte").string(),
               test_img = (d.path / "t10k-images-idx3-ubyte").string();
    put_idx(d.path, 4, 3);
    auto ok = load_mnist(d.path, p);
    CHECK((ok.train.size() == 4u && ok.test.size() == 3u && ok.name == "mnist"));
    put_idx(d.path, 0, 3);
    CHECK_THROWS_WITH(load_mnist(d.path, p),
                      train_img + ": holds no images: the training set of MNIST must not be empty");
    put_idx(d.path, 4, 0);
    CHECK_THROWS_WITH(load_mnist(d.path, p),
                      test_img + ": holds no images: the test set of MNIST must not be empty");
    put_idx(d.path, 4, 3, 24);
    CHECK_THROWS_WITH(load_mnist(d.path, p), test_img +
                                                 ": test images are 24×24 but the training images "
                                                 "are 28×28: both sets must have the same shape");
    put_idx(d.path, 4, 3);
    put(d.path / "t10k-images-idx3-ubyte", images(4, 28, 28, 1));  // the training images again
    CHECK_THROWS_WITH(load_mnist(d.path, p),
                      Contains(test_img + ": byte-identical to the training file " + train_img) &&
                          Contains("the test set must not be the training set"));
    put_idx(d.path, 4, 3);
    put(d.path / "t10k-labels-idx1-ubyte", be(0x801) + be(3) + std::string("\x01\x0a\x02", 3));
    CHECK_THROWS_WITH(load_mnist(d.path, p), (d.path / "t10k-labels-idx1-ubyte").string() +
                                                 ": label 10 of item 1 is not a class 0…9");
    // Data files are regular files: a FIFO is refused by name without being opened (which would
    // block), a directory is refused instead of a raw std::bad_alloc.
    put_idx(d.path, 4, 3);
    fs::remove(test_img);
    REQUIRE(::mkfifo(test_img.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(load_mnist(d.path, p),
                      test_img + ": is a FIFO: a data file must be a regular file");
    fs::remove(test_img);
    fs::create_directory(test_img);
    CHECK_THROWS_WITH(load_mnist(d.path, p),
                      test_img + ": is a directory: a data file must be a regular file");
}

TEST_CASE("datasets: the test images a card asks for must exist (issue 17, rule 6)",
          "[dataset][bad-input]") {
    TempDir d;
    put_idx(d.path, 4, 5);
    auto s = load_mnist(d.path, Preprocess{});
    auto doc = config::load_string(card("mnist", "[400, 100, 10]", "20") + "  test_images: 10000\n",
                                   "net.yaml");
    config::Section sec(doc);
    auto n = parse_network(sec);
    CHECK_THROWS_WITH(
        check_data_fits(n, s),
        "network card 'n': field 'training.test_images': 10000 test images asked for, the MNIST "
        "test set has 5: expected at most 5 (or 0 for the whole test set)");
    n.training.test_images = 5;
    CHECK_NOTHROW(check_data_fits(n, s));
    n.training.test_images = 0;  // the whole test set
    CHECK_NOTHROW(check_data_fits(n, s));
    n.dataset = "fashion-mnist";
    CHECK_THROWS_WITH(check_data_fits(n, s),
                      Contains("'dataset.name' is 'fashion-mnist' but the data loaded is 'mnist'"));
}

TEST_CASE("fashion-mnist: fetch verifies the package files against the pins and stores them",
          "[dataset]") {
    // A stand-in for the Debian package: generated IDX files, gzipped, with pins made from them.
    TempDir pkg, cache;
    sdata::PackagePins pins;
    pins.name = "fashion-mnist";
    pins.package = "dataset-fashion-mnist";
    pins.version = "test";
    pins.source_dir = pkg.path / "share";
    put_idx(pkg.path / "raw", 4, 3);
    for (const char* n : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
        const auto raw = util::read_file(pkg.path / "raw" / n);
        put(pins.source_dir / n, raw);
        REQUIRE(util::run_process({"gzip", "-n", (pins.source_dir / n).string()}).exit_code == 0);
        pins.files[n] = {util::sha256_file(pins.source_dir / (std::string(n) + ".gz")),
                         util::sha256_hex(raw)};
    }
    std::vector<std::string> log;
    auto logger = [&](const std::string& m) { log.push_back(m); };
    CHECK(sdata::fetch_package_dataset(cache.path, pins, sdata::Install::never, logger) ==
          sdata::FetchOutcome::fetched);
    CHECK(util::read_file(cache.path / "fashion-mnist" / "t10k-labels-idx1-ubyte") == labels(3, 3));
    CHECK(!fs::exists(cache.path / ".fetch-tmp-fashion-mnist"));
    CHECK(sdata::fetch_package_dataset(cache.path, pins, sdata::Install::never, logger) ==
          sdata::FetchOutcome::already_present);
    Preprocess p;
    CHECK(load_dataset("fashion-mnist", cache.path, p).train.size() == 4u);

    // A .gz that is not the pinned one: refused, nothing stored.
    TempDir cache2;
    auto bad = pins;
    bad.files["t10k-images-idx3-ubyte"].first = std::string(64, '0');
    CHECK_THROWS_WITH(sdata::fetch_package_dataset(cache2.path, bad, sdata::Install::never, logger),
                      Contains("t10k-images-idx3-ubyte.gz: SHA-256") &&
                          Contains("does not match the pinned 0000"));
    CHECK(!fs::exists(cache2.path / "fashion-mnist" / "train-images-idx3-ubyte"));
    // A file in the cache that is not the pinned one is not overwritten.
    put(cache2.path / "fashion-mnist" / "train-labels-idx1-ubyte", "mine");
    CHECK_THROWS_WITH(
        sdata::fetch_package_dataset(cache2.path, pins, sdata::Install::never, logger),
        Contains("exists and is not the pinned fashion-mnist file"));
    CHECK(util::read_file(cache2.path / "fashion-mnist" / "train-labels-idx1-ubyte") == "mine");
    // The package missing and no installing allowed: says what to run.
    auto gone = pins;
    gone.source_dir = pkg.path / "nowhere";
    CHECK_THROWS_WITH(
        sdata::fetch_package_dataset(cache2.path / "x", gone, sdata::Install::never, logger),
        Contains("install it with 'sudo apt-get install dataset-fashion-mnist'"));
}

TEST_CASE("fashion-mnist: the pins name the Debian package and four files", "[dataset]") {
    auto pins = sdata::fashion_mnist_pins();
    CHECK(pins.package == "dataset-fashion-mnist");
    CHECK(pins.source_dir == fs::path("/usr/share/datasets/fashion-mnist"));
    REQUIRE(pins.files.size() == 4u);
    // The published sizes (60 000 / 10 000 images) are checked when the real files are loaded; here
    // that every pin is a SHA-256 and the image pins differ from MNIST's.
    for (const auto& [n, h] : pins.files) CHECK((h.first.size() == 64u && h.second.size() == 64u));
    CHECK(pins.files.at("train-images-idx3-ubyte").second !=
          sdata::mnist_pins().sha256.at("train-images-idx3-ubyte"));
}

TEST_CASE(
    "datasets: the command line refuses a bad data directory before training (was a SIGSEGV and a "
    "hang)",
    "[dataset][bad-input]") {
    TempDir d;
    const auto root = std::string(SYNBENCH_SOURCE_DIR);
    auto train = [&](const fs::path& data) {
        return util::run_process({SYNBENCH_CLI_PATH, "train", "-t", root + "/tech/32nm.yaml", "-d",
                                  root + "/devices/ideal.yaml", "-n",
                                  root + "/networks/mlp-400-100-10.yaml", "--set",
                                  "training.epochs=1", "--data-dir", data.string(), "--out",
                                  (d.path / "run").string(), "-q"});
    };
    put_idx(d.path / "zero", 0, 3);
    auto r = train(d.path / "zero");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Contains("train-images-idx3-ubyte: holds no images: the training set of "
                                  "MNIST must not be empty"));
    CHECK(!fs::exists(d.path / "run"));
    // A FIFO as the test images: refused by name at once (it used to block reading, deaf to
    // SIGTERM).
    put_idx(d.path / "fifo", 4, 3);
    fs::remove(d.path / "fifo" / "t10k-images-idx3-ubyte");
    REQUIRE(::mkfifo((d.path / "fifo" / "t10k-images-idx3-ubyte").c_str(), 0600) == 0);
    r = train(d.path / "fifo");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output,
               Contains("t10k-images-idx3-ubyte: is a FIFO: a data file must be a regular file"));
    CHECK(!fs::exists(d.path / "run"));
}
