#include "sweep/sweep_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "sweep/filter.hpp"
#include "sweep/sweep_fields.hpp"
#include "util/files.hpp"

namespace synbench::sweep {

namespace fs = std::filesystem;

std::string sanitize(std::string_view text) {
    std::string out;
    for (char c : text) {
        bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-';
        char d = keep ? c : '-';
        if (d == '-' && !out.empty() && out.back() == '-') continue;
        out += d;
    }
    while (!out.empty() && out.front() == '-') out.erase(out.begin());
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.empty() || out == "." || out == "..") out = "x";
    return out;
}

std::string point_name(const std::vector<Axis>& axes, const std::vector<std::size_t>& value) {
    std::string name;
    for (std::size_t a = 0; a < axes.size(); ++a) {
        if (a) name += '_';
        name += sanitize(axes[a].short_key) + "=" + sanitize(axes[a].values[value[a]].label);
    }
    return name;
}

namespace {

// Names longer than this are cut and made unique with a hash (file systems allow 255 bytes).
constexpr std::size_t kMaxName = 180;

config::Error err(const config::Document& doc, const YAML::Node& n, const std::string& field,
                  const std::string& message) {
    const auto& m = n.Mark();
    return config::Error(*doc.file, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1,
                         field, message);
}

std::string node_text(const YAML::Node& n) {
    if (n.IsScalar()) return n.Scalar();
    YAML::Emitter e;
    e << YAML::Flow << n;
    return e.c_str();
}

// A relative path: as given when it exists from the current directory, else next to the sweep file.
std::string resolve(const std::string& p, const fs::path& sweep_dir) {
    fs::path path(p);
    std::error_code ec;
    if (path.is_absolute() || fs::exists(path, ec)) return p;
    auto alt = sweep_dir / path;
    if (fs::exists(alt, ec)) return alt.string();
    return p;  // missing: the point that uses it fails, naming it
}

bool valid_field_key(const std::string& k) {
    static const std::regex re("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");
    return std::regex_match(k, re);
}

// A filter expression as quoted in a message: at most 60 characters.
std::string excerpt(const std::string& text) {
    return text.size() <= 60 ? text : text.substr(0, 57) + "...";
}

std::string hash8(const std::vector<Axis>& axes, const std::vector<std::size_t>& value) {
    std::string raw;
    for (std::size_t a = 0; a < axes.size(); ++a)
        raw += axes[a].key + "=" + axes[a].values[value[a]].shown + '\x1f';
    return util::sha256_hex(raw).substr(0, 8);
}

}  // namespace

Sweep parse_sweep(const config::Document& doc) {
    config::Section s(doc);
    Sweep sw;
    sw.file = s.file();
    const fs::path dir = fs::path(sw.file).parent_path();
    // The fields as declared (sweep/sweep_fields.cpp).
    const auto& F = fields::experiment_sweep();
    auto name_of = [&](std::string_view key) -> const std::string& {
        return config::field(F, key).name;
    };
    {
        auto f = config::field(F, "name");
        f.def = fs::path(sw.file).stem().string();
        sw.name = s.read_text(f);
    }
    (void)s.maybe_text(name_of("description"));
    if (auto b = s.maybe_text(name_of("base"))) sw.base.experiment = resolve(*b, dir);
    if (auto t = s.maybe_text(name_of("tech"))) sw.base.tech = resolve(*t, dir);
    if (auto d = s.maybe_text(name_of("device"))) sw.base.device = resolve(*d, dir);
    if (auto n = s.maybe_text(name_of("network"))) sw.base.network = resolve(*n, dir);
    if (auto seed = s.maybe_integer(name_of("seed"), config::field(F, "seed").limits))
        sw.base.sets.emplace_back("seed", std::to_string(*seed));
    if (auto set = s.raw(name_of("set")); set.IsDefined() && !set.IsNull()) {
        if (!set.IsMap())
            throw s.error("set",
                          "expected a mapping of field: value overrides (e.g. training.epochs: 2)");
        for (auto it = set.begin(); it != set.end(); ++it) {
            auto key = it->first.Scalar();
            if (!valid_field_key(key))
                throw err(doc, it->first, "set." + key,
                          "expected a dotted field path (e.g. training.optimizer)");
            sw.base.sets.emplace_back(key, node_text(it->second));
        }
    }
    sw.estimate = s.read_flag(config::field(F, "estimate"));
    sw.mode = s.read_text(config::field(F, "mode"));
    auto axes = s.raw(name_of("axes"));
    auto filters = s.raw(name_of("filter"));
    auto excludes = s.raw(name_of("exclude"));
    s.finish();

    // Axes.
    if (!axes.IsDefined() || axes.IsNull())
        throw s.error("axes", "missing required field (expected a mapping of axis: [values])");
    if (!axes.IsMap() || axes.size() == 0)
        throw s.error("axes", "expected a mapping of axis: [values] with at least one axis");
    for (auto it = axes.begin(); it != axes.end(); ++it) {
        Axis ax;
        ax.key = it->first.Scalar();
        const std::string field = "axes." + ax.key;
        if (ax.key == "tech" || ax.key == "device" || ax.key == "network")
            ax.kind = AxisKind::card;
        else if (ax.key == "seed")
            ax.kind = AxisKind::seed;
        else if (valid_field_key(ax.key))
            ax.kind = AxisKind::field;
        else
            throw err(doc, it->first, field,
                      "expected 'tech', 'device', 'network', 'seed' or a dotted field path (e.g. "
                      "training.optimizer)");
        for (const auto& other : sw.axes)
            if (other.key == ax.key) throw err(doc, it->first, field, "axis given twice");
        const YAML::Node list = it->second;
        if (!list.IsSequence() || list.size() == 0)
            throw err(doc, list, field, "expected a non-empty list of values, e.g. [a, b]");
        // Iterate, never index: yaml-cpp 0.7's operator[](size_t) builds a temporary key node whose
        // storage a later call can read after it went out of scope (ASan: stack-use-after-scope).
        std::vector<YAML::Node> list_items;
        for (auto li = list.begin(); li != list.end(); ++li) list_items.push_back(*li);
        std::unordered_set<std::string>
            seen;  // duplicates in one pass (linear in the list's length)
        for (std::size_t i = 0; i < list_items.size(); ++i) {
            const YAML::Node v = list_items[i];
            const auto vfield = fmt::format("{}[{}]", field, i);
            AxisValue av;
            av.shown = node_text(v);
            av.text = av.shown;
            av.label = av.shown;
            if (ax.kind == AxisKind::card) {
                if (!v.IsScalar()) throw err(doc, v, vfield, "expected a card file path");
                av.text = resolve(v.Scalar(), dir);
                av.label = fs::path(v.Scalar()).stem().string();
            } else if (ax.kind == AxisKind::seed) {
                const auto& t = av.shown;
                if (!v.IsScalar() || t.empty() ||
                    !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
                    throw err(doc, v, vfield,
                              fmt::format("expected a non-negative integer seed, got '{}'", t));
            } else if (v.IsNull()) {
                throw err(doc, v, vfield, "expected a value, got nothing");
            }
            if (!seen.insert(av.shown).second)
                throw err(doc, v, vfield, fmt::format("duplicate value '{}'", av.shown));
            ax.values.push_back(std::move(av));
        }
        sw.axes.push_back(std::move(ax));
    }
    for (auto& ax : sw.axes) {
        auto dot = ax.key.rfind('.');
        std::string shortk = dot == std::string::npos ? ax.key : ax.key.substr(dot + 1);
        int uses = 0;
        for (const auto& other : sw.axes) {
            auto od = other.key.rfind('.');
            std::string os = od == std::string::npos ? other.key : other.key.substr(od + 1);
            if (os == shortk || (other.key == shortk && &other != &ax)) ++uses;
        }
        ax.short_key = uses > 1 ? ax.key : shortk;
    }

    // Combinations: product (first axis varies slowest) or zip; their number is checked before
    // any is enumerated.
    if (sw.mode != "zip") {
        std::size_t total = 1;
        for (const auto& ax : sw.axes) {
            if (total > kMaxCombinations / ax.values.size())
                throw s.error("axes", fmt::format("the product of the axes has more than {} "
                                                  "combinations (the limit of one sweep); "
                                                  "split the sweep or use fewer values",
                                                  kMaxCombinations));
            total *= ax.values.size();
        }
    } else if (sw.axes[0].values.size() > kMaxCombinations) {
        throw s.error("axes",
                      fmt::format("{} values per axis: more than the {} points one sweep may have",
                                  sw.axes[0].values.size(), kMaxCombinations));
    }
    std::vector<std::vector<std::size_t>> combos;
    if (sw.mode == "zip") {
        const auto n = sw.axes[0].values.size();
        for (const auto& ax : sw.axes)
            if (ax.values.size() != n)
                throw err(
                    doc, axes[ax.key], "axes." + ax.key,
                    fmt::format(
                        "mode zip needs lists of equal length: '{}' has {} values, '{}' has {}",
                        ax.key, ax.values.size(), sw.axes[0].key, n));
        for (std::size_t i = 0; i < n; ++i) combos.emplace_back(sw.axes.size(), i);
    } else {
        std::vector<std::size_t> idx(sw.axes.size(), 0);
        for (bool done = false; !done;) {
            combos.push_back(idx);
            done = true;
            for (std::size_t a = sw.axes.size(); a-- > 0;) {
                if (++idx[a] < sw.axes[a].values.size()) {
                    done = false;
                    break;
                }
                idx[a] = 0;
            }
        }
    }
    sw.combinations = combos.size();

    // Filters: every expression must hold.
    std::vector<std::pair<Filter, YAML::Node>> fs_;
    if (filters.IsDefined() && !filters.IsNull()) {
        std::vector<YAML::Node> items;
        if (filters.IsScalar())
            items.push_back(filters);
        else if (filters.IsSequence())
            for (auto f : filters) items.push_back(f);
        else
            throw s.error("filter", "expected an expression or a list of expressions");
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto field = filters.IsScalar() ? std::string("filter") : fmt::format("filter[{}]", i);
            if (!items[i].IsScalar())
                throw err(doc, items[i], field,
                          "expected an expression such as \"optimizer == adam and seed < 3\"");
            try {
                fs_.emplace_back(Filter(items[i].Scalar(), sw.axes), items[i]);
            } catch (const FilterError& e) {
                throw err(doc, items[i], field,
                          fmt::format("in '{}': {}", excerpt(items[i].Scalar()), e.what()));
            }
        }
    }
    // Excludes: a point matching every key of one entry is dropped.
    std::vector<std::vector<std::pair<int, std::vector<std::string>>>> ex;
    if (excludes.IsDefined() && !excludes.IsNull()) {
        if (!excludes.IsSequence())
            throw s.error("exclude", "expected a list of mappings axis: value (or [values])");
        std::vector<YAML::Node> exclude_items;
        for (auto xi = excludes.begin(); xi != excludes.end(); ++xi) exclude_items.push_back(*xi);
        for (std::size_t i = 0; i < exclude_items.size(); ++i) {
            const YAML::Node e = exclude_items[i];
            auto field = fmt::format("exclude[{}]", i);
            if (!e.IsMap() || e.size() == 0)
                throw err(doc, e, field, "expected a mapping axis: value (or [values])");
            std::vector<std::pair<int, std::vector<std::string>>> entry;
            for (auto it = e.begin(); it != e.end(); ++it) {
                int a = find_axis(sw.axes, it->first.Scalar());
                if (a < 0)
                    throw err(doc, it->first, field + "." + it->first.Scalar(),
                              "not an axis of this sweep");
                std::vector<std::string> vals;
                // A copy: `it->second` lives in a temporary proxy that a range-for would outlive.
                const YAML::Node value = it->second;
                if (value.IsSequence())
                    for (auto vi = value.begin(); vi != value.end(); ++vi)
                        vals.push_back(node_text(*vi));
                else
                    vals.push_back(node_text(value));
                entry.emplace_back(a, vals);
            }
            ex.push_back(std::move(entry));
        }
    }
    for (const auto& c : combos) {
        bool keep = true;
        for (const auto& [f, node] : fs_) {
            try {
                if (!f(c)) keep = false;
            } catch (const FilterError& e) {
                throw err(doc, node, "filter",
                          fmt::format("in '{}': {}", excerpt(node.Scalar()), e.what()));
            }
            if (!keep) break;
        }
        for (const auto& entry : ex) {
            if (!keep) break;
            bool all = true;
            for (const auto& [a, vals] : entry) {
                const auto& v =
                    sw.axes[static_cast<std::size_t>(a)].values[c[static_cast<std::size_t>(a)]];
                if (std::none_of(vals.begin(), vals.end(),
                                 [&](const std::string& x) { return value_equals(v, x); }))
                    all = false;
            }
            if (all) keep = false;
        }
        if (!keep) continue;
        Point p;
        p.value = c;
        p.name = point_name(sw.axes, c);
        if (p.name.size() > kMaxName)
            p.name = p.name.substr(0, kMaxName - 10) + "-" + hash8(sw.axes, c);
        sw.points.push_back(std::move(p));
    }
    if (sw.points.empty())
        throw s.error_here(
            fmt::format("no points left: the filter/exclude entries remove all {} combinations",
                        combos.size()));
    // Unique names: points whose sanitized names collide get a hash of their values appended.
    std::unordered_map<std::string, int> count;
    for (const auto& p : sw.points) ++count[p.name];
    for (auto& p : sw.points)
        if (count[p.name] > 1) p.name += "-" + hash8(sw.axes, p.value);
    std::sort(sw.points.begin(), sw.points.end(),
              [](const Point& a, const Point& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < sw.points.size(); ++i)
        if (sw.points[i].name == sw.points[i - 1].name)
            throw s.error("axes", fmt::format("two points share the name '{}' (identical values?)",
                                              sw.points[i].name));
    return sw;
}

Sweep load_sweep(const fs::path& path) { return parse_sweep(config::load_file(path)); }

sim::ExperimentInputs point_inputs(const Sweep& sw, const Point& p) {
    sim::ExperimentInputs in = sw.base;
    for (std::size_t a = 0; a < sw.axes.size(); ++a) {
        const auto& ax = sw.axes[a];
        const auto& v = ax.values[p.value[a]];
        if (ax.kind == AxisKind::card) {
            if (ax.key == "tech")
                in.tech = v.text;
            else if (ax.key == "device")
                in.device = v.text;
            else
                in.network = v.text;
        } else if (ax.kind == AxisKind::seed) {
            in.seed = std::stoull(v.text);
        } else {
            in.sets.emplace_back(ax.key, v.text);
        }
    }
    return in;
}

void check_points(const Sweep& sw, const std::function<void(const sim::Experiment&)>& check) {
    // covered[a][v]: axis a's value v was part of a configuration that was checked. Seeds cannot
    // make a configuration invalid (they are checked as numbers while parsing): covered from the
    // start.
    std::vector<std::vector<char>> covered;
    for (const auto& ax : sw.axes)
        covered.emplace_back(ax.values.size(), ax.kind == AxisKind::seed ? 1 : 0);
    for (const auto& p : sw.points) {
        bool new_value = false;
        for (std::size_t a = 0; a < sw.axes.size(); ++a)
            new_value = new_value || !covered[a][p.value[a]];
        if (!new_value) continue;
        auto in = point_inputs(sw, p);
        bool missing = false;
        for (const auto* f : {&in.experiment, &in.tech, &in.device, &in.network}) {
            std::error_code ec;
            if (*f && !fs::exists(**f, ec)) missing = true;
        }
        if (missing) continue;
        for (std::size_t a = 0; a < sw.axes.size(); ++a) covered[a][p.value[a]] = 1;
        try {
            check(sim::load_experiment(in));
        } catch (const config::Error& e) {
            std::string values;
            for (std::size_t a = 0; a < sw.axes.size(); ++a)
                values += fmt::format("{}{}: {}", a ? ", " : "", sw.axes[a].key,
                                      sw.axes[a].values[p.value[a]].shown);
            throw config::Error(
                sw.file, 0, 0, "axes",
                fmt::format(
                    "point '{}' ({}) is not a valid configuration, so the sweep does not start: {}",
                    p.name, values, e.what()));
        }
    }
}

}  // namespace synbench::sweep
