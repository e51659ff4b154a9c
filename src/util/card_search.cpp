#include "util/card_search.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <string_view>
#include <system_error>

namespace synbench::util {

namespace fs = std::filesystem;

const char* card_folder(CardKind kind) {
    switch (kind) {
        case CardKind::tech:
            return "tech";
        case CardKind::device:
            return "devices";
        case CardKind::network:
            return "networks";
        case CardKind::sweep:
            return "sweeps";
        case CardKind::macro:
            return "macros";
    }
    return "";
}

namespace {

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

std::optional<fs::path> executable_dir() {
    std::error_code ec;
    auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec || exe.empty()) return std::nullopt;
    return exe.parent_path();
}

}  // namespace

std::vector<fs::path> card_search_roots() {
    std::vector<fs::path> roots;
    auto add = [&](const fs::path& p) {
        if (!p.empty() && is_dir(p)) roots.push_back(p);
    };
    if (const char* env = std::getenv("SYNBENCH_CARDS"); env && *env) {
        std::string_view rest(env);
        while (true) {
            auto colon = rest.find(':');
            add(fs::path(std::string(rest.substr(0, colon))));
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
    if (auto dir = executable_dir()) {
        add(dir->parent_path() / "share" / "synbench");
        // Development builds: the build writes the source tree's path next to its executables.
        std::ifstream marker(*dir / "synbench-source-tree");
        std::string src;
        if (marker && std::getline(marker, src)) add(fs::path(src));
    }
    return roots;
}

CardLookup find_card(CardKind kind, const std::string& ref,
                     const std::optional<fs::path>& base_dir) {
    CardLookup r;
    auto try_path = [&](const fs::path& p) {
        if (r.found) return;
        r.tried.push_back(p);
        if (is_file(p)) r.found = p;
    };
    const fs::path p(ref);
    if (ref.empty()) return r;
    try_path(p);
    if (p.is_absolute()) return r;
    if (base_dir) try_path(*base_dir / p);
    const bool bare = !p.has_parent_path();
    for (const auto& root : card_search_roots()) {
        try_path(root / p);
        if (bare) {
            const std::string file =
                p.extension() == ".yaml" || p.extension() == ".yml" ? ref : ref + ".yaml";
            try_path(root / card_folder(kind) / file);
            try_path(root / file);
        }
    }
    return r;
}

std::string looked_for(const CardLookup& lookup) {
    std::string where;
    for (const auto& t : lookup.tried) where += (where.empty() ? "" : ", ") + t.string();
    return fmt::format("looked for {}; more card folders: $SYNBENCH_CARDS=DIR:DIR",
                       where.empty() ? "an empty name" : where);
}

}  // namespace synbench::util
