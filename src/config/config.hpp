// YAML cards → typed values, with every field declared once where it is read.
//
// A `Section` wraps one YAML mapping. Each accessor (quantity, integer, choice, ...) declares a
// field with its type, unit, range and default, reads it, and records the resolved value, so that
// `resolved()` is the card with every default made explicit (what a run writes to config.yaml).
// `finish()` rejects every key that nobody declared, with a did-you-mean. Every error names the
// file, line, column and dotted field path and says what was expected.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "units/units.hpp"

namespace synbench::config {

// An error in user input. `what()` is the complete message: "FILE:LINE:COL: field 'a.b': ...".
class Error : public std::runtime_error {
   public:
    Error(std::string file, int line, int column, std::string field, const std::string& message);
    const std::string& file() const { return file_; }
    int line() const { return line_; }  // 1-based, 0 when unknown
    const std::string& field() const { return field_; }
    const std::string& message() const { return message_; }  // without file, line and field

   private:
    std::string file_;
    int line_;
    std::string field_;
    std::string message_;
};

// The largest card, experiment or sweep file read (bytes). The largest shipped card is under
// 8 KiB; a file 500 times larger is not a card, and reading it must not take the machine's memory
// (`validate /dev/zero` once read 10 GB).
inline constexpr std::size_t kMaxCardBytes = std::size_t{4} << 20;

// Every quantity of a card, in SI units, is 0 or of magnitude within [kMinMagnitude,
// kMaxMagnitude]. The shipped cards span 5e-15 (a 5 fF sense-amplifier input) to 2e9 (a 2 GHz
// clock); an electron charge (1.6e-19 C) or an endurance of 1e15 cycles is still far inside. Beyond
// these bounds no field is physical, and reciprocals and products of such values overflow to inf
// or 0 (`r_on: 1e-320 Ohm` made G = inf and the estimate's area NaN).
inline constexpr double kMinMagnitude = 1e-30;
inline constexpr double kMaxMagnitude = 1e30;

// A parsed YAML file. `origins` maps dotted keys whose value came from elsewhere to where it came
// from: "--set" for the command line (no file position), or another file's name (an experiment
// file merged over a network card); errors in those keys name that origin.
struct Document {
    std::shared_ptr<const std::string> file;
    YAML::Node root;
    std::shared_ptr<std::map<std::string, std::string>> origins =
        std::make_shared<std::map<std::string, std::string>>();
};

// Reads and parses a YAML file; an unreadable file or a syntax error is an Error. The file must be
// a regular file (not a FIFO, device or directory: refused by name without reading) of at most
// kMaxCardBytes, UTF-8 text with LF or CRLF line endings, holding exactly one YAML document.
Document load_file(const std::filesystem::path& path);
Document load_string(const std::string& text, const std::string& name);
// The bytes of a card file, with the checks of load_file on the kind and size of the file.
std::string read_card_file(const std::filesystem::path& path);

// The position (1-based line and column) of the first byte of `text` that is not valid UTF-8, or
// of a control character other than tab, LF and CR; nothing when the text is clean. `what` is set
// to a description of the offending byte(s).
struct TextProblem {
    int line = 0, column = 0;
    std::string what;
};
std::optional<TextProblem> text_problem(std::string_view text, bool allow_newlines = true);

// Sets `dotted_key` (a.b.c) in the document to `value` (parsed as YAML, so "[1, 2]" is a list).
// Intermediate mappings are created; walking through a non-mapping is an Error.
void apply_override(Document& doc, std::string_view dotted_key, std::string_view value);

// Merges the mapping `src` (from file `origin`) over `doc`, key by key (mappings recursively).
void merge_over(Document& doc, const YAML::Node& src, const std::string& origin);

// Splits "a.b=value" into key and value; an Error when there is no '='.
std::pair<std::string, std::string> split_assignment(std::string_view text);

struct FieldSpec;  // config/fields.hpp

struct Limits {
    std::optional<double> min, max;
    bool min_exclusive = false, max_exclusive = false;
    static Limits any() { return {}; }
    static Limits positive() { return {0.0, std::nullopt, true, false}; }
    static Limits non_negative() { return {0.0, std::nullopt, false, false}; }
    static Limits at_least(double v) { return {v, std::nullopt, false, false}; }
    static Limits between(double lo, double hi) { return {lo, hi, false, false}; }
    static Limits fraction() { return between(0.0, 1.0); }
    bool contains(double v) const;
    std::string describe() const;  // "> 0", "in [0, 1]", ...
};

class Section {
   public:
    explicit Section(const Document& doc);
    Section(YAML::Node node, const Document& doc, std::string path);

    const std::string& path() const { return path_; }
    const std::string& file() const { return *doc_.file; }
    bool has(std::string_view key) const;  // present and not null

    // Quantities: "300 us". `bare_ok` accepts a bare number as being in SI units of `dim`.
    double quantity(std::string_view key, units::Dim dim, Limits lim = {},
                    std::optional<double> def = {}, bool bare_ok = false);
    std::optional<double> maybe_quantity(std::string_view key, units::Dim dim, Limits lim = {},
                                         bool bare_ok = false);
    double number(std::string_view key, Limits lim = {}, std::optional<double> def = {});
    std::optional<double> maybe_number(std::string_view key, Limits lim = {});
    std::int64_t integer(std::string_view key, Limits lim = {},
                         std::optional<std::int64_t> def = {});
    std::optional<std::int64_t> maybe_integer(std::string_view key, Limits lim = {});
    bool flag(std::string_view key, std::optional<bool> def = {});
    std::string text(std::string_view key, std::optional<std::string> def = {});
    std::optional<std::string> maybe_text(std::string_view key);
    std::string choice(std::string_view key, const std::vector<std::string>& allowed,
                       std::optional<std::string> def = {});
    // A list, or a single value standing for a list of one.
    std::vector<double> quantities(std::string_view key, units::Dim dim, Limits lim = {},
                                   std::optional<std::vector<double>> def = {},
                                   bool bare_ok = false);
    std::vector<double> numbers(std::string_view key, Limits lim = {},
                                std::optional<std::vector<double>> def = {});
    std::vector<std::int64_t> integers(std::string_view key, Limits lim = {},
                                       std::optional<std::vector<std::int64_t>> def = {});

    // Reading a declared field (config/fields.hpp): its type, unit, range and default come from
    // the declaration, so the parser reads what the schema and the docs show. `maybe_read_number`
    // returns nothing for an absent field without default; the others throw when a required
    // field is absent.
    std::optional<double> maybe_read_number(const FieldSpec& f);  // number, quantity or integer
    double read_number(const FieldSpec& f);
    std::int64_t read_integer(const FieldSpec& f);
    bool read_flag(const FieldSpec& f);
    std::string read_text(const FieldSpec& f);             // text or choice
    std::vector<double> read_numbers(const FieldSpec& f);  // list of numbers or quantities
    std::vector<std::int64_t> read_integers(const FieldSpec& f);

    // Nested mappings. A missing required section is an Error; `maybe_section` returns nothing.
    Section section(std::string_view key);
    std::optional<Section> maybe_section(std::string_view key);
    std::vector<Section> section_list(std::string_view key);
    // Declares a key whose value the caller interprets itself (recorded in resolved as given).
    YAML::Node raw(std::string_view key);

    // Rejects undeclared keys. Call after reading every field.
    void finish() const;

    // The error for `key` (positioned at its value, or at the section when absent).
    [[nodiscard]] Error error(std::string_view key, const std::string& message) const;
    // The error for the section itself.
    [[nodiscard]] Error error_here(const std::string& message) const;

    // Every declared field with its value (defaults filled in), in declaration order.
    // (Built fresh on each call from the recorded values: nested sections are recorded as
    // references, so a parent's tree includes what its children read after it was created.)
    YAML::Node resolved() const;
    // Records a derived value in `resolved()` (e.g. a value computed from two others).
    void record(std::string_view key, const YAML::Node& value);

   private:
    YAML::Node get(std::string_view key) const;
    std::string field_path(std::string_view key) const;
    const std::string* origin_of(const std::string& dotted) const;
    Error located(const std::string& fp, const YAML::Mark& m, const std::string& message) const;
    void declare(std::string_view key);
    std::string scalar_text(std::string_view key, const YAML::Node& n,
                            std::string_view expected) const;
    void check(std::string_view key, double v, const Limits& lim) const;

    YAML::Node node_;
    Document doc_;
    std::string path_;
    // What was read, in declaration order: a value, a nested section, or a list of sections.
    struct State;
    struct Entry {
        std::string key;
        YAML::Node value;
        std::shared_ptr<State> child;
        std::vector<std::shared_ptr<State>> children;
        bool is_list = false;
    };
    struct State {
        std::vector<Entry> entries;
    };
    void set_value(std::string_view key, const YAML::Node& value);
    void attach(std::string_view key, const Section& child);
    static YAML::Node build(const State& st);
    std::shared_ptr<State> state_ = std::make_shared<State>();
    std::shared_ptr<std::vector<std::string>> declared_ =
        std::make_shared<std::vector<std::string>>();
};

// Levenshtein distance, for did-you-mean suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Writes a YAML node to text (block style, stable key order as inserted).
std::string to_yaml(const YAML::Node& node);

}  // namespace synbench::config
