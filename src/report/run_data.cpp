#include "report/run_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "sim/results.hpp"
#include "sim/summary_fields.hpp"
#include "util/files.hpp"

namespace synbench::report {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<std::string>& epoch_columns() {
    static const std::vector<std::string> cols =
        sim::epoch_columns();  // the declaration, sim/results.hpp
    return cols;
}

std::size_t Epochs::col(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return i;
    throw Error(fmt::format("epochs.csv has no column '{}'", name));
}

bool Epochs::has(const std::string& name) const {
    return std::find(columns.begin(), columns.end(), name) != columns.end();
}

std::vector<double> Epochs::column(const std::string& name) const {
    // A run written before an optional column existed had none of that cost: zeros.
    if (!has(name) && sim::optional_column(name)) return std::vector<double>(rows.size(), 0.0);
    auto c = col(name);
    std::vector<double> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r[c]);
    return out;
}

namespace {

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream is(line);
    while (std::getline(is, cur, sep)) out.push_back(cur);
    if (!line.empty() && line.back() == sep) out.emplace_back();
    return out;
}

std::string read_required(const fs::path& dir, const char* name) {
    auto p = dir / name;
    if (!fs::exists(p))
        throw Error(fmt::format(
            "{}: missing file '{}' (a run directory holds config.yaml, manifest.json, epochs.csv, "
            "epochs.json and summary.json; see docs/run-directory.md)",
            p.string(), name));
    try {
        return util::read_file(p);
    } catch (const util::IoError& e) {
        throw Error(e.what());
    }
}

// A JSON library message without its "[json.exception.parse_error.101] parse error at line L,
// column C: " prefix, the position moved to the file name: "FILE:L:C: not valid JSON: syntax ...".
std::string json_error(const fs::path& p, const std::string& what) {
    std::string m = what;
    if (auto b = m.find("] "); m.rfind("[json.exception", 0) == 0 && b != std::string::npos)
        m = m.substr(b + 2);
    int line = 0, col = 0, used = 0;
    if (std::sscanf(m.c_str(), "parse error at line %d, column %d: %n", &line, &col, &used) == 2 &&
        used > 0)
        return fmt::format("{}:{}:{}: not valid JSON: {}", p.string(), line, col,
                           m.substr(static_cast<std::size_t>(used)));
    return fmt::format("{}: not valid JSON: {}", p.string(), m);
}

json parse_json(const fs::path& p, const std::string& text) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        throw Error(json_error(p, e.what()));
    }
}

void flatten(const YAML::Node& n, const std::string& prefix,
             std::map<std::string, std::string>& out) {
    if (n.IsMap()) {
        for (auto it = n.begin(); it != n.end(); ++it)
            flatten(it->second,
                    prefix.empty() ? it->first.Scalar() : prefix + "." + it->first.Scalar(), out);
    } else if (n.IsSequence()) {
        std::string s = "[";
        for (std::size_t i = 0; i < n.size(); ++i) {
            if (n[i].IsScalar())
                s += (i ? ", " : "") + n[i].Scalar();
            else
                flatten(n[i], fmt::format("{}[{}]", prefix, i), out);
        }
        out[prefix] = s + "]";
    } else if (n.IsScalar()) {
        out[prefix] = n.Scalar();
    } else {
        out[prefix] = "~";
    }
}

}  // namespace

Epochs parse_epochs_csv(const std::string& text, const std::string& name) {
    Epochs e;
    std::istringstream is(text);
    std::string line;
    if (!std::getline(is, line))
        throw Error(fmt::format("{}: empty file (expected the header line)", name));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    e.columns = split(line, ',');
    for (const auto& c : epoch_columns()) {
        if (sim::optional_column(c)) continue;  // a run written before the column existed
        bool found = false;
        for (const auto& h : e.columns) found = found || h == c;
        if (!found)
            throw Error(
                fmt::format("{}:1: header lacks column '{}' (see docs/run-directory.md)", name, c));
    }
    int ln = 1;
    while (std::getline(is, line)) {
        ++ln;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        auto cells = split(line, ',');
        if (cells.size() != e.columns.size())
            throw Error(fmt::format("{}:{}: {} fields, expected {} (one per header column)", name,
                                    ln, cells.size(), e.columns.size()));
        std::vector<double> row;
        std::size_t at = 1;  // 1-based character column of the cell
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const auto& c = cells[i];
            double v = 0;
            auto [p, ec] = std::from_chars(c.data(), c.data() + c.size(), v);
            if (ec != std::errc() || p != c.data() + c.size())
                throw Error(fmt::format("{}:{}:{}: column '{}': '{}' is not a number", name, ln, at,
                                        e.columns[i], c));
            // Every value a run writes is finite and non-negative; an accuracy is a percentage.
            if (!std::isfinite(v))
                throw Error(fmt::format("{}:{}:{}: column '{}': '{}' is not a finite number", name,
                                        ln, at, e.columns[i], c));
            if (e.columns[i] == "accuracy" && !(v >= 0 && v <= 100))
                throw Error(fmt::format(
                    "{}:{}:{}: column 'accuracy': {} is not a percentage (expected 0 to 100)", name,
                    ln, at, c));
            if (v < 0)
                throw Error(fmt::format(
                    "{}:{}:{}: column '{}': {} is negative (expected a count, time or energy >= 0)",
                    name, ln, at, e.columns[i], c));
            row.push_back(v);
            at += c.size() + 1;
        }
        if (row[0] != static_cast<double>(e.rows.size() + 1))
            throw Error(fmt::format("{}:{}: epoch {} out of sequence (expected {})", name, ln,
                                    row[0], e.rows.size() + 1));
        e.rows.push_back(std::move(row));
    }
    return e;
}

const json* json_at(const json& j, const std::string& dotted) {
    const json* cur = &j;
    std::size_t start = 0;
    while (start <= dotted.size()) {
        auto dot = dotted.find('.', start);
        auto key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!cur->is_object() || !cur->contains(key)) return nullptr;
        cur = &(*cur)[key];
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return cur;
}

Run load_run(const fs::path& dir) {
    if (!fs::is_directory(dir))
        throw Error(fmt::format("{}: not a run directory (does not exist or is not a directory)",
                                dir.string()));
    Run r;
    r.dir = dir;
    auto cfg_text = read_required(dir, "config.yaml");
    try {
        r.config = YAML::Load(cfg_text);
    } catch (const YAML::Exception& e) {
        // The position and the parser's own words, without the library's "yaml-cpp: error at"
        // prefix.
        throw Error(
            e.mark.is_null()
                ? fmt::format("{}: not valid YAML: {}", (dir / "config.yaml").string(), e.msg)
                : fmt::format("{}:{}:{}: not valid YAML: {}", (dir / "config.yaml").string(),
                              e.mark.line + 1, e.mark.column + 1, e.msg));
    }
    if (!r.config.IsMap())
        throw Error(fmt::format("{}: expected a mapping (the resolved experiment)",
                                (dir / "config.yaml").string()));
    r.manifest = parse_json(dir / "manifest.json", read_required(dir, "manifest.json"));
    r.epochs = parse_epochs_csv(read_required(dir, "epochs.csv"), (dir / "epochs.csv").string());
    r.epochs_json = parse_json(dir / "epochs.json", read_required(dir, "epochs.json"));
    r.summary = parse_json(dir / "summary.json", read_required(dir, "summary.json"));
    namespace S = sim::summary;  // the declared fields every reader relies on
    for (const char* key :
         {"device", "tech", "hardware_enabled", S::final_accuracy.path, S::area.path,
          S::leakage.path, S::energy_read.path, S::energy_write.path, S::energy_leakage.path,
          S::energy_total.path, S::latency_read.path, S::latency_write.path})
        if (!json_at(r.summary, key))
            throw Error(fmt::format("{}: missing key '{}' (see docs/run-directory.md)",
                                    (dir / "summary.json").string(), key));
    for (const char* key :
         {"final_accuracy", "total.area_m2", "total.leakage_W", "energy_J.read", "energy_J.write",
          "energy_J.leakage", "energy_J.total", "latency_s.read", "latency_s.write"}) {
        const json* v = json_at(r.summary, key);
        const bool accuracy = std::string(key) == "final_accuracy";
        if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < 0 ||
            (accuracy && v->get<double>() > 100))
            throw Error(fmt::format("{}: key '{}': {} is not {}", (dir / "summary.json").string(),
                                    key, v->dump(),
                                    accuracy ? "a percentage (expected a number from 0 to 100)"
                                             : "a finite number >= 0"));
    }
    if (!r.epochs_json.contains("epochs") || !r.epochs_json["epochs"].is_array())
        throw Error(fmt::format("{}: missing the 'epochs' list", (dir / "epochs.json").string()));
    if (r.epochs_json["epochs"].size() != r.epochs.size())
        throw Error(fmt::format("{}: {} epochs, but epochs.csv has {}",
                                (dir / "epochs.json").string(), r.epochs_json["epochs"].size(),
                                r.epochs.size()));
    return r;
}

std::string Run::device() const { return summary.value("device", std::string("?")); }
std::string Run::tech() const { return summary.value("tech", std::string("?")); }
bool Run::hardware() const { return summary.value("hardware_enabled", true); }
std::uint64_t Run::seed() const {
    if (summary.contains("seed") && summary["seed"].is_number())
        return summary["seed"].get<std::uint64_t>();
    return config["seed"] ? config["seed"].as<std::uint64_t>() : 0;
}
bool Run::complete() const {
    return summary.value("complete", false) && manifest.value("complete", false);
}
std::string Run::status() const {
    if (manifest.contains("status") && manifest["status"].is_string())
        return manifest["status"].get<std::string>();
    return complete() ? "complete" : "unknown";
}

double Run::number(const std::string& dotted) const {
    const json* v = json_at(summary, dotted);
    if (!v || !v->is_number())
        throw Error(fmt::format("{}: missing number '{}' (see docs/run-directory.md)",
                                (dir / "summary.json").string(), dotted));
    return v->get<double>();
}

double Run::number_or(const std::string& dotted, double absent) const {
    const json* v = json_at(summary, dotted);
    return v && v->is_number() ? v->get<double>() : absent;
}

double energy_on(const Run& r, const sim::EnergyBasis& b) {
    namespace S = sim::summary;
    return r.number(S::energy_read.path) + r.number(S::energy_write.path) +
           (b.periphery ? r.number_or(S::energy_training_periphery.path, 0.0) : 0.0) +
           (b.leakage ? r.number(S::energy_leakage.path) : 0.0);
}

std::map<std::string, std::string> Run::flat_config() const {
    std::map<std::string, std::string> out;
    flatten(config, "", out);
    return out;
}

}  // namespace synbench::report
