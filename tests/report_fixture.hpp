// Helpers for the report tests: fixture run directories (tests/data/runs/, written by hand after
// docs/run-directory.md) copied into a fresh temporary directory, and small text utilities.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace synbench::test {

inline std::filesystem::path fixture_runs() {
    return std::filesystem::path(SYNBENCH_TEST_DATA) / "runs";
}

// A temporary copy of the fixture runs; removed when the object goes away.
struct RunsCopy {
    std::filesystem::path root;
    RunsCopy() {
        static std::atomic<int> counter{0};
        root = std::filesystem::temp_directory_path() /
               ("synbench-report-test-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter++));
        std::filesystem::remove_all(root);
        std::filesystem::copy(fixture_runs(), root, std::filesystem::copy_options::recursive);
    }
    ~RunsCopy() {
        std::error_code ec;
        std::filesystem::remove_all(root, ec);
    }
    std::filesystem::path operator/(const std::string& run) const { return root / run; }
};

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline void spit(const std::filesystem::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f << text;
}

inline std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos;
         pos = text.find(what, pos + what.size()))
        ++n;
    return n;
}

// The text of the <svg ... data-figure="id" ...> ... </svg> element in an HTML page ("" if absent).
inline std::string svg_of(const std::string& html, const std::string& id) {
    auto at = html.find("data-figure=\"" + id + "\"");
    if (at == std::string::npos) return {};
    auto start = html.rfind("<svg", at);
    auto end = html.find("</svg>", at);
    return html.substr(start, end - start);
}

// Replaces the first occurrence of `from` (which must exist) in a file.
inline bool replace_in_file(const std::filesystem::path& p, const std::string& from,
                            const std::string& to) {
    auto t = slurp(p);
    auto pos = t.find(from);
    if (pos == std::string::npos) return false;
    t.replace(pos, from.size(), to);
    spit(p, t);
    return true;
}

}  // namespace synbench::test
