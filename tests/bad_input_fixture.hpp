// Shared by the bad-input catalogue tests (test_bad_input.cpp, test_bad_input_cards.cpp): the
// frozen copies of the real cards (tests/data/bad-input/, whose lines the expected messages name),
// one-place edits of them, the message a card text gets, and a scratch directory.
#pragma once

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "circuit/options.hpp"
#include "config/config.hpp"
#include "device/card.hpp"
#include "nn/network_card.hpp"
#include "tech/card.hpp"
#include "util/files.hpp"

namespace synbench::test {

inline std::string source_file(const char* rel) {
    return util::read_file(std::filesystem::path(SYNBENCH_SOURCE_DIR) / rel);
}
inline std::string device_card() { return source_file("tests/data/bad-input/device.yaml"); }
inline std::string network_card() { return source_file("tests/data/bad-input/network.yaml"); }
inline std::string tech_card() { return source_file("tests/data/bad-input/tech.yaml"); }

// `text` with the first `from` replaced by `to`; the test fails if `from` is not there.
inline std::string edit(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The message a card text gets from the loader and its parser, or "ok". Any exception other than
// config::Error escapes (and fails the test).
template <class Parse>
std::string error_of(const std::string& text, const char* name, Parse parse) {
    try {
        auto doc = config::load_string(text, name);
        config::Section s(doc);
        parse(s);
        return "ok";
    } catch (const config::Error& e) {
        return e.what();
    }
}
inline std::string device_error(const std::string& text) {
    return error_of(text, "dev.yaml", [](config::Section& s) { device::parse_card(s); });
}
inline std::string tech_error(const std::string& text) {
    return error_of(text, "tech.yaml", [](config::Section& s) { tech::parse_card(s); });
}
inline std::string network_error(const std::string& text) {
    return error_of(text, "net.yaml", [](config::Section& s) {
        nn::parse_network(s);
        auto h = s.section("hardware");
        circuit::parse_hardware(h);
        s.finish();
    });
}

// A fresh, empty directory under the system temp dir, removed at scope exit.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "synbench-bad-input-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path put(const std::string& name, const std::string& content) const {
        std::ofstream out(path / name, std::ios::binary);
        out << content;
        REQUIRE(out.good());
        return path / name;
    }
    std::size_t entries() const {
        return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(path),
                                                      std::filesystem::directory_iterator()));
    }
};

}  // namespace synbench::test
