#include "data/datasets.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>

#include "data/pins.hpp"
#include "nn/dataset.hpp"
#include "util/files.hpp"
#include "util/process.hpp"

namespace synbench::data {
namespace fs = std::filesystem;

PackagePins fashion_mnist_pins() {
    auto y = YAML::Load(kFashionMnistPinsYaml);
    PackagePins p;
    p.name = y["name"].as<std::string>();
    p.package = y["package"].as<std::string>();
    p.version = y["version"].as<std::string>();
    p.source_dir = y["source_dir"].as<std::string>();
    for (auto it : y["files"])
        p.files[it.first.as<std::string>()] = {it.second["gz_sha256"].as<std::string>(),
                                               it.second["sha256"].as<std::string>()};
    return p;
}

bool package_files_present(const fs::path& dir, const PackagePins& pins) {
    for (const auto& [name, sha] : pins.files) {
        std::error_code ec;
        if (!fs::is_regular_file(dir / name, ec)) return false;
        if (util::sha256_file(dir / name) != sha.second) return false;
    }
    return true;
}

namespace {

bool sources_present(const PackagePins& pins) {
    for (const auto& [name, sha] : pins.files) {
        std::error_code ec;
        if (!fs::is_regular_file(pins.source_dir / (name + ".gz"), ec)) return false;
    }
    return true;
}

void install_package(const PackagePins& pins, Install install,
                     const std::function<void(const std::string&)>& log) {
    const auto missing = fmt::format("{}: the files of the Debian package {} are missing",
                                     pins.source_dir.string(), pins.package);
    if (install == Install::never || ::geteuid() != 0)
        throw std::runtime_error(fmt::format(
            "{}: install it with 'sudo apt-get install {}' (version {} is pinned), then run "
            "'synbench data fetch {}' again",
            missing, pins.package, pins.version, pins.name));
    log(fmt::format("installing the Debian package {} with apt-get", pins.package));
    auto r = util::run_process({"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                                "-qq", "--no-install-recommends", pins.package});
    if (r.exit_code != 0) {
        log("apt-get install failed; updating the package lists and retrying");
        util::run_process({"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-qq"});
        r = util::run_process({"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                               "-qq", "--no-install-recommends", pins.package});
    }
    if (r.exit_code != 0)
        throw std::runtime_error(fmt::format("'apt-get install {}' failed (exit {}): {}",
                                             pins.package, r.exit_code, r.output));
    if (!sources_present(pins))
        throw std::runtime_error(missing + " after 'apt-get install " + pins.package + "'");
}

struct RemoveOnExit {
    fs::path p;
    ~RemoveOnExit() {
        std::error_code e;
        fs::remove_all(p, e);
    }
};

}  // namespace

FetchOutcome fetch_package_dataset(const fs::path& data_dir, const PackagePins& pins,
                                   Install install,
                                   const std::function<void(const std::string&)>& log) {
    const fs::path dir = data_dir / pins.name;
    if (package_files_present(dir, pins)) {
        log(fmt::format("{} already present and verified in {}", pins.name, dir.string()));
        return FetchOutcome::already_present;
    }
    // A file in the way that is not the pinned one was not made by us: never overwrite it.
    for (const auto& [name, sha] : pins.files) {
        std::error_code ec;
        if (fs::exists(fs::symlink_status(dir / name, ec)) &&
            (!fs::is_regular_file(dir / name, ec) || util::sha256_file(dir / name) != sha.second))
            throw std::runtime_error(
                fmt::format("{}: exists and is not the pinned {} file (SHA-256 {}): move it away, "
                            "synbench does not "
                            "overwrite files it did not create",
                            (dir / name).string(), pins.name, sha.second.substr(0, 16)));
    }
    if (!sources_present(pins))
        install_package(pins, install, log);
    else
        log(fmt::format("found the files of the Debian package {} in {}", pins.package,
                        pins.source_dir.string()));
    for (const auto& [name, sha] : pins.files) {
        const auto gz = pins.source_dir / (name + ".gz");
        const auto got = util::sha256_file(gz);
        if (got != sha.first)
            throw std::runtime_error(fmt::format(
                "{}: SHA-256 {} does not match the pinned {} (package {} version {} is pinned)",
                gz.string(), got, sha.first, pins.package, pins.version));
    }
    log("package files verified against the pins (SHA-256 of each .gz)");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error(
            fmt::format("{}: cannot create the data directory: {}", dir.string(), ec.message()));
    const auto work = data_dir / (".fetch-tmp-" + pins.name);
    if (fs::exists(work, ec))
        throw std::runtime_error(fmt::format(
            "{}: exists (left by an interrupted fetch?): remove it and run again", work.string()));
    fs::create_directories(work, ec);
    if (ec)
        throw std::runtime_error(fmt::format("{}: cannot create: {}", work.string(), ec.message()));
    RemoveOnExit cleanup{work};
    for (const auto& [name, sha] : pins.files) {
        fs::copy_file(pins.source_dir / (name + ".gz"), work / (name + ".gz"), ec);
        if (ec)
            throw std::runtime_error(fmt::format(
                "{}: cannot copy: {}", (pins.source_dir / (name + ".gz")).string(), ec.message()));
        auto r = util::run_process({"gzip", "-d", (work / (name + ".gz")).string()});
        if (r.exit_code != 0)
            throw std::runtime_error(fmt::format("gzip -d {}.gz failed: {}", name, r.output));
        const auto got = util::sha256_file(work / name);
        if (got != sha.second)
            throw std::runtime_error(
                fmt::format("{} (decompressed): SHA-256 {} does not match the pinned {}", name, got,
                            sha.second));
    }
    for (const auto& [name, sha] : pins.files) {
        fs::rename(work / name, dir / name, ec);
        if (ec)
            throw std::runtime_error(
                fmt::format("{}: cannot install: {}", (dir / name).string(), ec.message()));
    }
    log(fmt::format("{} verified and stored in {}", pins.name, dir.string()));
    for (const auto& [name, sha] : pins.files)
        log(fmt::format("  {}  sha256 {}", name, sha.second));
    return FetchOutcome::fetched;
}

std::vector<ImportedFile> import_cifar10(const fs::path& data_dir,
                                         const std::vector<fs::path>& files, bool force) {
    const auto y = YAML::Load(kCifar10Yaml);
    std::vector<std::string> names;
    for (const auto& f : y["train_files"]) names.push_back(f.as<std::string>());
    names.push_back(y["test_file"].as<std::string>());
    const auto& info = nn::dataset_info("cifar-10");
    if (files.empty())
        throw nn::DataError("data import cifar-10: no file given: expected one or more of " +
                            fmt::format("{}", fmt::join(names, ", ")));
    const fs::path dir = nn::dataset_dir("cifar-10", data_dir);
    std::vector<ImportedFile> out;
    for (const auto& f : files) {
        ImportedFile r;
        r.name = f.filename().string();
        if (std::find(names.begin(), names.end(), r.name) == names.end())
            throw nn::DataError(
                fmt::format("{}: not a CIFAR-10 batch name: expected one of {} (the names of the "
                            "binary version)",
                            f.string(), fmt::join(names, ", ")));
        for (const auto& o : out)
            if (o.name == r.name)
                throw nn::DataError(fmt::format("{}: {} is given twice", f.string(), r.name));
        auto bytes = nn::read_data_file(f, "expected a CIFAR-10 binary batch");
        r.images = nn::parse_cifar_batch(bytes, f.string(), info.classes).labels.size();
        r.sha256 = util::sha256_hex(bytes);
        std::error_code ec;
        const auto dest = dir / r.name;
        if (fs::exists(fs::symlink_status(dest, ec))) {
            if (fs::is_regular_file(dest, ec) && util::sha256_file(dest) == r.sha256)
                r.already_present = true;
            else if (!force || !fs::is_regular_file(fs::symlink_status(dest, ec)))
                throw nn::DataError(fmt::format(
                    "{}: exists with another content: pass --force to replace it with {}",
                    dest.string(), f.string()));
        }
        out.push_back(r);
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw util::IoError(
            fmt::format("{}: cannot create the data directory: {}", dir.string(), ec.message()));
    // One file in memory at a time; its hash is checked again in case it changed since.
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i].already_present) continue;
        auto bytes = nn::read_data_file(files[i], "expected a CIFAR-10 binary batch");
        if (util::sha256_hex(bytes) != out[i].sha256)
            throw nn::DataError(fmt::format("{}: changed while being imported", files[i].string()));
        util::write_atomic(dir / out[i].name, bytes);
    }
    return out;
}

}  // namespace synbench::data
