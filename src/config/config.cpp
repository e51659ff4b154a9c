#include "config/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

namespace synbench::config {

Error::Error(std::string file, int line, int column, std::string field, const std::string& message)
    : std::runtime_error([&] {
          std::string loc = file;
          if (line > 0) loc += fmt::format(":{}", line);
          if (line > 0 && column > 0) loc += fmt::format(":{}", column);
          if (field.empty()) return fmt::format("{}: {}", loc, message);
          return fmt::format("{}: field '{}': {}", loc, field, message);
      }()),
      file_(std::move(file)),
      line_(line),
      field_(std::move(field)),
      message_(message) {}

namespace {

Error from_yaml_exception(const std::string& file, const YAML::Exception& e) {
    int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    int col = e.mark.is_null() ? 0 : e.mark.column + 1;
    return Error(file, line, col, "", "YAML syntax error: " + e.msg);
}

}  // namespace

std::optional<TextProblem> text_problem(std::string_view text, bool allow_newlines) {
    int line = 1, column = 1;
    std::size_t i = 0;
    auto problem = [&](std::string what) { return TextProblem{line, column, std::move(what)}; };
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = 1;
        if (c < 0x80) {
            if (c == '\n') {
                if (!allow_newlines) return problem("a line break");
                ++line, column = 1, ++i;
                continue;
            }
            if (c == '\r') {
                if (!allow_newlines) return problem("a carriage return");
                if (i + 1 < text.size() && text[i + 1] == '\n') {
                    i += 2, ++line, column = 1;
                    continue;
                }
                return problem(
                    "a carriage return without a line feed (CR-only line endings: save the file "
                    "with LF or CRLF line endings)");
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                return problem(fmt::format("the control character 0x{:02X}", c));
        } else {
            // UTF-8: the lead byte gives the length; continuation bytes are 10xxxxxx; no overlong
            // forms, no surrogates, nothing above U+10FFFF.
            std::uint32_t cp = 0;
            if (c >= 0xC2 && c <= 0xDF)
                len = 2, cp = c & 0x1F;
            else if (c >= 0xE0 && c <= 0xEF)
                len = 3, cp = c & 0x0F;
            else if (c >= 0xF0 && c <= 0xF4)
                len = 4, cp = c & 0x07;
            else
                return problem(
                    fmt::format("the byte 0x{:02X}, which is not valid UTF-8 (Latin-1 or another "
                                "8-bit encoding?)",
                                c));
            if (i + len > text.size())
                return problem(
                    fmt::format("the byte 0x{:02X}, which is not valid UTF-8 (Latin-1 or another "
                                "8-bit encoding?)",
                                c));
            for (std::size_t k = 1; k < len; ++k) {
                const auto cc = static_cast<unsigned char>(text[i + k]);
                if ((cc & 0xC0) != 0x80)
                    return problem(
                        fmt::format("the byte 0x{:02X}, which is not valid UTF-8 (Latin-1 or "
                                    "another 8-bit encoding?)",
                                    c));
                cp = (cp << 6) | (cc & 0x3F);
            }
            if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
                (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
                return problem(
                    fmt::format("the byte 0x{:02X}, which starts an invalid UTF-8 sequence", c));
        }
        i += len;
        ++column;
    }
    return std::nullopt;
}

namespace {
// Where each YAML document of `text` starts: the mark of its first node (its root, or the null of
// an empty document). The parse builds no nodes. yaml-cpp 0.7's LoadAll never returns on some
// inputs (a lone ',' starts a new empty document at the same place again and again), so the loop
// stops when a document starts where the previous one did, and after the second document (all a
// card needs to know is whether there is more than one).
std::vector<YAML::Mark> document_starts(const std::string& text) {
    struct Starts : YAML::EventHandler {
        std::vector<YAML::Mark> roots;
        std::vector<std::size_t> begins;
        bool want_root = false;
        void root(const YAML::Mark& m) {
            if (want_root) roots.push_back(m);
            want_root = false;
        }
        void OnDocumentStart(const YAML::Mark& m) override {
            begins.push_back(static_cast<std::size_t>(m.pos));
            want_root = true;
        }
        void OnDocumentEnd() override {}
        void OnNull(const YAML::Mark& m, YAML::anchor_t) override { root(m); }
        void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { root(m); }
        void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                      const std::string&) override {
            root(m);
        }
        void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                             YAML::EmitterStyle::value) override {
            root(m);
        }
        void OnSequenceEnd() override {}
        void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                        YAML::EmitterStyle::value) override {
            root(m);
        }
        void OnMapEnd() override {}
    } h;
    std::istringstream in(text);
    YAML::Parser parser(in);
    while (h.roots.size() < 2 && parser.HandleNextDocument(h)) {
        const auto n = h.begins.size();
        if (n >= 2 && h.begins[n - 1] == h.begins[n - 2]) {  // no progress: the same document again
            if (h.roots.size() == n) h.roots.pop_back();
            break;
        }
    }
    return h.roots;
}
}  // namespace

Document load_string(const std::string& text, const std::string& name) {
    Document doc;
    doc.file = std::make_shared<const std::string>(name);
    if (text.size() > kMaxCardBytes)
        throw Error(name, 0, 0, "",
                    fmt::format("{} bytes is too large for a card (at most {} bytes)", text.size(),
                                kMaxCardBytes));
    if (auto p = text_problem(text))
        throw Error(
            name, p->line, p->column, "",
            fmt::format("the file contains {}{}", p->what,
                        p->what.find("UTF-8") != std::string::npos ? "; save the file as UTF-8"
                        : p->what.find("control") != std::string::npos
                            ? "; a card is text without control characters"
                            : ""));
    std::vector<YAML::Mark> starts;
    try {
        starts = document_starts(text);
        doc.root = YAML::Load(text);  // the first document
    } catch (const YAML::Exception& e) {
        throw from_yaml_exception(name, e);
    }
    // One card is one YAML document: a second one (after '---') would be ignored or, worse, be
    // taken for the card while the first one is empty.
    if (starts.size() > 1) {
        const auto& m = starts[1];
        const int line = m.is_null() ? 0 : m.line + 1;
        const bool first_empty = !doc.root.IsDefined() || doc.root.IsNull();
        const std::string where = line > 0 ? fmt::format(" on line {}", line) : std::string();
        throw Error(
            name, line, 0, "",
            fmt::format("{}; a card is one YAML document (remove the '---' or '...' separator, "
                        "keep one card per file)",
                        first_empty
                            ? "the first YAML document is empty and a second one starts" + where
                            : "a second YAML document starts" + where + ", after the card"));
    }
    if (!doc.root.IsDefined() || doc.root.IsNull())
        throw Error(name, 0, 0, "", "the file is empty; expected a mapping of fields");
    if (!doc.root.IsMap()) {
        auto m = doc.root.Mark();
        throw Error(name, m.line + 1, m.column + 1, "",
                    "expected a mapping of fields (key: value) at the top level");
    }
    return doc;
}

std::string read_card_file(const std::filesystem::path& path) {
    const auto name = path.string();
    // Opened without blocking (a FIFO would wait for a writer), then checked on the open file:
    // only a regular file is read, so a FIFO, a device (/dev/zero) or a directory is refused by
    // name without reading a byte.
    const int fd = ::open(name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) throw Error(name, 0, 0, "", "cannot be read (missing or not readable)");
        throw Error(name, 0, 0, "", fmt::format("cannot be read ({})", std::strerror(err)));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw Error(name, 0, 0, "", fmt::format("cannot be read ({})", std::strerror(errno)));
    if (!S_ISREG(st.st_mode)) {
        const char* kind = S_ISDIR(st.st_mode)    ? "a directory"
                           : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
                           : S_ISCHR(st.st_mode)  ? "a character device"
                           : S_ISBLK(st.st_mode)  ? "a block device"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                                                  : "not a regular file";
        throw Error(name, 0, 0, "",
                    fmt::format("is {}, expected a YAML file (a regular file)", kind));
    }
    if (static_cast<std::uintmax_t>(st.st_size) > kMaxCardBytes)
        throw Error(name, 0, 0, "",
                    fmt::format("is {} bytes, too large for a card (at most {} bytes)", st.st_size,
                                kMaxCardBytes));
    std::string text;
    char buf[65536];
    while (true) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(name, 0, 0, "", fmt::format("read error ({})", std::strerror(errno)));
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > kMaxCardBytes)  // it grew while being read
            throw Error(name, 0, 0, "",
                        fmt::format("is more than {} bytes, too large for a card", kMaxCardBytes));
    }
    return text;
}

Document load_file(const std::filesystem::path& path) {
    return load_string(read_card_file(path), path.string());
}

std::pair<std::string, std::string> split_assignment(std::string_view text) {
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        throw Error("--set", 0, 0, "", fmt::format("'{}' is not of the form key.path=value", text));
    return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

void apply_override(Document& doc, std::string_view dotted_key, std::string_view value) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto dot = dotted_key.find('.', start);
        auto part = dotted_key.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (part.empty())
            throw Error("--set", 0, 0, std::string(dotted_key), "empty key component");
        parts.emplace_back(part);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    if (auto p = text_problem(value, false))
        throw Error("--set", 0, 0, std::string(dotted_key),
                    fmt::format("the value contains {}; expected UTF-8 text on one line", p->what));
    YAML::Node v;
    try {
        v = YAML::Load(std::string(value));
    } catch (const YAML::Exception& e) {
        throw Error("--set", 0, 0, std::string(dotted_key),
                    fmt::format("value '{}' is not valid YAML: {}", value, e.msg));
    }
    YAML::Node cur = doc.root;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        // (Node::reset rebinds a handle; operator= would overwrite the node it refers to.)
        YAML::Node next = cur[parts[i]];
        if (!next.IsDefined() || next.IsNull()) {
            cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
            next.reset(cur[parts[i]]);
        } else if (!next.IsMap()) {
            throw Error(
                "--set", 0, 0, std::string(dotted_key),
                fmt::format("'{}' is not a mapping, cannot set a field inside it", parts[i]));
        }
        cur.reset(next);
    }
    cur[parts.back()] = v;
    (*doc.origins)[std::string(dotted_key)] = "--set";
}

namespace {
void merge_rec(YAML::Node dst, const YAML::Node& src, const std::string& prefix,
               const std::string& origin, std::map<std::string, std::string>& origins) {
    for (auto it = src.begin(); it != src.end(); ++it) {
        auto key = it->first.Scalar();
        auto dotted = prefix.empty() ? key : prefix + "." + key;
        YAML::Node existing = dst[key];
        if (it->second.IsMap() && existing.IsDefined() && existing.IsMap()) {
            merge_rec(existing, it->second, dotted, origin, origins);
        } else {
            dst[key] = it->second;
            origins[dotted] = origin;
        }
    }
}
}  // namespace

void merge_over(Document& doc, const YAML::Node& src, const std::string& origin) {
    if (!src.IsMap()) return;
    merge_rec(doc.root, src, "", origin, *doc.origins);
}

bool Limits::contains(double v) const {
    if (!std::isfinite(v)) return false;  // nothing non-finite passes a check
    if (min && (min_exclusive ? !(v > *min) : !(v >= *min))) return false;
    if (max && (max_exclusive ? !(v < *max) : !(v <= *max))) return false;
    return true;
}

std::string Limits::describe() const {
    if (min && max)
        return fmt::format("in {}{}, {}{}", min_exclusive ? "(" : "[", *min, *max,
                           max_exclusive ? ")" : "]");
    if (min) return fmt::format("{} {}", min_exclusive ? ">" : ">=", *min);
    if (max) return fmt::format("{} {}", max_exclusive ? "<" : "<=", *max);
    return "any value";
}

namespace {
// A value no card field can physically have (see kMinMagnitude): what is wrong, or nothing.
std::optional<std::string> magnitude_problem(double v, units::Dim dim) {
    const double a = std::abs(v);
    if (v == 0 || (a >= kMinMagnitude && a <= kMaxMagnitude)) return std::nullopt;
    const auto sym = units::si_symbol(dim);
    return fmt::format(
        "is {} in SI units, not a physical value for a card: expected 0 or a magnitude between "
        "{:g} and {:g}{}",
        fmt::format("{:g}", v) + (sym.empty() ? "" : " " + sym), kMinMagnitude, kMaxMagnitude,
        sym.empty() ? "" : " " + sym);
}
}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min(
                {prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string to_yaml(const YAML::Node& node) {
    YAML::Emitter out;
    out << node;
    return std::string(out.c_str()) + "\n";
}

Section::Section(const Document& doc) : Section(doc.root, doc, "") {}

Section::Section(YAML::Node node, const Document& doc, std::string path)
    : node_(std::move(node)), doc_(doc), path_(std::move(path)) {
    if (!node_.IsMap())
        throw located(path_, node_.Mark(), "expected a mapping of fields (key: value)");
    // YAML parsers keep both values of a repeated key; a field would silently take the first.
    std::map<std::string, int> seen;  // key → line of its first occurrence
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (!it->first.IsScalar()) continue;  // finish() rejects it
        auto [pos, fresh] = seen.emplace(it->first.Scalar(), it->first.Mark().line + 1);
        if (!fresh)
            throw located(field_path(it->first.Scalar()), it->first.Mark(),
                          fmt::format("field given twice (first on line {})", pos->second));
    }
}

std::string Section::field_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

YAML::Node Section::get(std::string_view key) const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

bool Section::has(std::string_view key) const {
    auto n = get(key);
    return n.IsDefined() && !n.IsNull();
}

void Section::declare(std::string_view key) {
    if (std::find(declared_->begin(), declared_->end(), key) == declared_->end())
        declared_->emplace_back(key);
}

void Section::record(std::string_view key, const YAML::Node& value) {
    declare(key);
    set_value(key, value);
}

void Section::set_value(std::string_view key, const YAML::Node& value) {
    for (auto& e : state_->entries)
        if (e.key == key) {
            e = Entry{std::string(key), YAML::Clone(value), nullptr, {}, false};
            return;
        }
    state_->entries.push_back(Entry{std::string(key), YAML::Clone(value), nullptr, {}, false});
}

YAML::Node Section::build(const State& st) {
    YAML::Node out(YAML::NodeType::Map);
    for (const auto& e : st.entries) {
        if (e.child) {
            out[e.key] = build(*e.child);
        } else if (e.is_list) {
            YAML::Node seq(YAML::NodeType::Sequence);
            for (const auto& c : e.children) seq.push_back(build(*c));
            out[e.key] = seq;
        } else {
            out[e.key] = YAML::Clone(e.value);
        }
    }
    return out;
}

YAML::Node Section::resolved() const { return build(*state_); }

const std::string* Section::origin_of(const std::string& dotted) const {
    // The longest prefix of `dotted` (at a '.' or '[' boundary) that has an origin.
    std::string k = dotted;
    while (true) {
        if (auto it = doc_.origins->find(k); it != doc_.origins->end()) return &it->second;
        auto cut = k.find_last_of(".[");
        if (cut == std::string::npos) return nullptr;
        k.resize(cut);
    }
}

Error Section::located(const std::string& fp, const YAML::Mark& m,
                       const std::string& message) const {
    const std::string* origin = origin_of(fp);
    if (origin && *origin == "--set") return Error("--set " + fp, 0, 0, fp, message);
    const std::string& file = origin ? *origin : *doc_.file;
    return Error(file, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, fp, message);
}

Error Section::error(std::string_view key, const std::string& message) const {
    auto fp = field_path(key);
    YAML::Mark m = node_.Mark();
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            m = (it->second.IsDefined() && !it->second.Mark().is_null()) ? it->second.Mark()
                                                                         : it->first.Mark();
            break;
        }
    }
    return located(fp, m, message);
}

Error Section::error_here(const std::string& message) const {
    return located(path_, node_.Mark(), message);
}

std::string Section::scalar_text(std::string_view key, const YAML::Node& n,
                                 std::string_view expected) const {
    if (!n.IsScalar())
        throw error(key,
                    fmt::format("expected {}, got a {}", expected, n.IsMap() ? "mapping" : "list"));
    return n.Scalar();
}

void Section::check(std::string_view key, double v, const Limits& lim) const {
    if (!lim.contains(v))
        throw error(key, fmt::format("value {} is out of range: expected {}", v, lim.describe()));
}

namespace {
// "missing required field (expected …)", with a hint when the section has a key spelled nearly
// like the missing one that is not itself a field read so far (a typo would otherwise surface only
// as this missing field).
std::string missing_message(const YAML::Node& section, const std::vector<std::string>& declared,
                            std::string_view key, std::string_view what) {
    std::string msg = fmt::format("missing required field (expected {})", what);
    for (auto it = section.begin(); it != section.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        const auto& k = it->first.Scalar();
        if (k != key && std::find(declared.begin(), declared.end(), k) == declared.end() &&
            edit_distance(k, key) <= std::max<std::size_t>(2, key.size() / 3))
            return msg + fmt::format("; is '{}' (line {}) a misspelling of it?", k,
                                     it->first.Mark().line + 1);
    }
    return msg;
}
}  // namespace

std::optional<double> Section::maybe_quantity(std::string_view key, units::Dim dim, Limits lim,
                                              bool bare_ok) {
    declare(key);
    auto n = get(key);
    if (!n.IsDefined() || n.IsNull()) {
        set_value(key, YAML::Node(YAML::NodeType::Null));
        return std::nullopt;
    }
    auto txt = scalar_text(key, n, "a " + units::describe(dim));
    double v;
    try {
        v = units::parse_as(txt, dim, bare_ok);
    } catch (const units::UnitError& e) {
        throw error(key, e.what());
    }
    if (auto m = magnitude_problem(v, dim)) throw error(key, fmt::format("'{}' {}", txt, *m));
    if (!lim.contains(v))
        throw error(key,
                    fmt::format("{} is out of range: expected {}{}", txt, lim.describe(),
                                units::si_symbol(dim).empty() ? "" : " " + units::si_symbol(dim)));
    set_value(key, YAML::Node(units::format_si(v, dim)));
    return v;
}

double Section::quantity(std::string_view key, units::Dim dim, Limits lim,
                         std::optional<double> def, bool bare_ok) {
    auto v = maybe_quantity(key, dim, lim, bare_ok);
    if (v) return *v;
    if (!def)
        throw error(key,
                    missing_message(
                        node_, *declared_, key,
                        "a " + units::describe(dim) +
                            (units::si_symbol(dim).empty() ? "" : " in " + units::si_symbol(dim))));
    set_value(key, YAML::Node(units::format_si(*def, dim)));
    return *def;
}

std::optional<double> Section::maybe_number(std::string_view key, Limits lim) {
    auto v = maybe_quantity(key, units::dimensionless, lim, true);
    if (v) set_value(key, YAML::Node(*v));
    return v;
}

double Section::number(std::string_view key, Limits lim, std::optional<double> def) {
    auto v = maybe_number(key, lim);
    if (v) return *v;
    if (!def) throw error(key, missing_message(node_, *declared_, key, "a number"));
    set_value(key, YAML::Node(*def));
    return *def;
}

std::optional<std::int64_t> Section::maybe_integer(std::string_view key, Limits lim) {
    declare(key);
    auto n = get(key);
    if (!n.IsDefined() || n.IsNull()) {
        set_value(key, YAML::Node(YAML::NodeType::Null));
        return std::nullopt;
    }
    auto txt = scalar_text(key, n, "an integer");
    std::int64_t v = 0;
    std::size_t used = 0;
    try {
        v = std::stoll(txt, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != txt.size())
        throw error(key, fmt::format("expected an integer, got '{}'", txt));
    check(key, static_cast<double>(v), lim);
    set_value(key, YAML::Node(v));
    return v;
}

std::int64_t Section::integer(std::string_view key, Limits lim, std::optional<std::int64_t> def) {
    auto v = maybe_integer(key, lim);
    if (v) return *v;
    if (!def) throw error(key, missing_message(node_, *declared_, key, "an integer"));
    set_value(key, YAML::Node(*def));
    return *def;
}

bool Section::flag(std::string_view key, std::optional<bool> def) {
    declare(key);
    auto n = get(key);
    if (!n.IsDefined() || n.IsNull()) {
        if (!def) throw error(key, missing_message(node_, *declared_, key, "true or false"));
        set_value(key, YAML::Node(*def));
        return *def;
    }
    auto txt = scalar_text(key, n, "true or false");
    bool v;
    if (txt == "true" || txt == "yes" || txt == "on")
        v = true;
    else if (txt == "false" || txt == "no" || txt == "off")
        v = false;
    else
        throw error(key, fmt::format("expected true or false, got '{}'", txt));
    set_value(key, YAML::Node(v));
    return v;
}

std::optional<std::string> Section::maybe_text(std::string_view key) {
    declare(key);
    auto n = get(key);
    if (!n.IsDefined() || n.IsNull()) {
        set_value(key, YAML::Node(YAML::NodeType::Null));
        return std::nullopt;
    }
    auto v = scalar_text(key, n, "a text");
    // A text reaches reports (LaTeX, Markdown, HTML, CSV) and JSON: valid UTF-8 without control
    // characters (a double-quoted YAML escape such as "\x01" could put one there); tabs and line
    // breaks are allowed (notes), the writers escape them.
    if (auto p = text_problem(v))
        throw error(key, fmt::format("the text contains {} at character {}; expected UTF-8 text "
                                     "without control characters",
                                     p->what, p->column));
    set_value(key, YAML::Node(v));
    return v;
}

std::string Section::text(std::string_view key, std::optional<std::string> def) {
    auto v = maybe_text(key);
    if (v) return *v;
    if (!def) throw error(key, missing_message(node_, *declared_, key, "a text"));
    set_value(key, YAML::Node(*def));
    return *def;
}

std::string Section::choice(std::string_view key, const std::vector<std::string>& allowed,
                            std::optional<std::string> def) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    declare(key);
    auto n = get(key);
    if (!n.IsDefined() || n.IsNull()) {
        if (!def) throw error(key, missing_message(node_, *declared_, key, "one of: " + list));
        set_value(key, YAML::Node(*def));
        return *def;
    }
    auto v = scalar_text(key, n, "one of: " + list);
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
        std::string best;
        std::size_t best_d = 3;
        for (const auto& a : allowed)
            if (auto d = edit_distance(v, a); d < best_d) best_d = d, best = a;
        throw error(key, fmt::format("'{}' is not one of: {}{}", v, list,
                                     best.empty() ? "" : " (did you mean '" + best + "'?)"));
    }
    set_value(key, YAML::Node(v));
    return v;
}

std::vector<double> Section::quantities(std::string_view key, units::Dim dim, Limits lim,
                                        std::optional<std::vector<double>> def, bool bare_ok) {
    declare(key);
    auto n = get(key);
    std::vector<double> out;
    YAML::Node rec(YAML::NodeType::Sequence);
    bool dimless = dim == units::dimensionless;
    if (!n.IsDefined() || n.IsNull()) {
        if (!def)
            throw error(key, missing_message(node_, *declared_, key,
                                             "a list of " + units::describe(dim) + " values"));
        out = *def;
    } else {
        std::vector<YAML::Node> items;
        if (n.IsSequence())
            for (auto it : n) items.push_back(it);
        else
            items.push_back(n);
        if (items.empty()) throw error(key, "expected a non-empty list");
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto txt = scalar_text(key, items[i], "a " + units::describe(dim));
            double v;
            try {
                v = units::parse_as(txt, dim, bare_ok || dimless);
            } catch (const units::UnitError& e) {
                throw error(key, fmt::format("item {}: {}", i + 1, e.what()));
            }
            if (auto m = magnitude_problem(v, dim))
                throw error(key, fmt::format("item {} ('{}') {}", i + 1, txt, *m));
            if (!lim.contains(v))
                throw error(key, fmt::format("item {} ({}) is out of range: expected {}", i + 1,
                                             txt, lim.describe()));
            out.push_back(v);
        }
    }
    for (double v : out) {
        if (dimless)
            rec.push_back(v);
        else
            rec.push_back(units::format_si(v, dim));
    }
    rec.SetStyle(YAML::EmitterStyle::Flow);
    set_value(key, rec);
    return out;
}

std::vector<double> Section::numbers(std::string_view key, Limits lim,
                                     std::optional<std::vector<double>> def) {
    return quantities(key, units::dimensionless, lim, std::move(def), true);
}

std::vector<std::int64_t> Section::integers(std::string_view key, Limits lim,
                                            std::optional<std::vector<std::int64_t>> def) {
    declare(key);
    auto n = get(key);
    std::vector<std::int64_t> out;
    if (!n.IsDefined() || n.IsNull()) {
        if (!def) throw error(key, missing_message(node_, *declared_, key, "a list of integers"));
        out = *def;
    } else {
        std::vector<YAML::Node> items;
        if (n.IsSequence())
            for (auto it : n) items.push_back(it);
        else
            items.push_back(n);
        if (items.empty()) throw error(key, "expected a non-empty list of integers");
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto txt = scalar_text(key, items[i], "an integer");
            std::size_t used = 0;
            std::int64_t v = 0;
            try {
                v = std::stoll(txt, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != txt.size())
                throw error(key, fmt::format("item {}: expected an integer, got '{}'", i + 1, txt));
            if (!lim.contains(static_cast<double>(v)))
                throw error(key, fmt::format("item {} ({}) is out of range: expected {}", i + 1, v,
                                             lim.describe()));
            out.push_back(v);
        }
    }
    YAML::Node rec(YAML::NodeType::Sequence);
    for (auto v : out) rec.push_back(v);
    rec.SetStyle(YAML::EmitterStyle::Flow);
    set_value(key, rec);
    return out;
}

std::optional<Section> Section::maybe_section(std::string_view key) {
    declare(key);
    auto n = get(key);
    if (!n.IsDefined() || n.IsNull()) {
        set_value(key, YAML::Node(YAML::NodeType::Null));
        return std::nullopt;
    }
    if (!n.IsMap()) throw error(key, "expected a mapping of fields (key: value)");
    Section child(n, doc_, field_path(key));
    attach(key, child);
    return child;
}

Section Section::section(std::string_view key) {
    if (!has(key)) {
        declare(key);
        // An absent section reads as empty, so that its fields report themselves as missing or
        // default.
        YAML::Node empty(YAML::NodeType::Map);
        Section child(empty, doc_, field_path(key));
        attach(key, child);
        return child;
    }
    return *maybe_section(key);
}

std::vector<Section> Section::section_list(std::string_view key) {
    declare(key);
    auto n = get(key);
    std::vector<Section> out;
    Entry e{std::string(key), YAML::Node(), nullptr, {}, true};
    if (n.IsDefined() && !n.IsNull()) {
        if (!n.IsSequence()) throw error(key, "expected a list of mappings");
        std::size_t i = 0;
        for (auto it : n) {
            Section child(it, doc_, fmt::format("{}[{}]", field_path(key), i++));
            e.children.push_back(child.state_);
            out.push_back(child);
        }
    }
    for (auto& x : state_->entries)
        if (x.key == key) {
            x = e;
            return out;
        }
    state_->entries.push_back(e);
    return out;
}

void Section::attach(std::string_view key, const Section& child) {
    Entry e{std::string(key), YAML::Node(), child.state_, {}, false};
    for (auto& x : state_->entries)
        if (x.key == key) {
            x = e;
            return;
        }
    state_->entries.push_back(e);
}

YAML::Node Section::raw(std::string_view key) {
    declare(key);
    auto n = get(key);
    if (n.IsDefined()) set_value(key, n);
    return n;
}

void Section::finish() const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (!it->first.IsScalar()) throw error_here("keys must be plain names");
        const auto& k = it->first.Scalar();
        if (std::find(declared_->begin(), declared_->end(), k) != declared_->end()) continue;
        std::string best;
        std::size_t best_d = std::max<std::size_t>(2, k.size() / 3) + 1;
        for (const auto& d : *declared_)
            if (auto dist = edit_distance(k, d); dist < best_d) best_d = dist, best = d;
        std::string known;
        for (const auto& d : *declared_) known += (known.empty() ? "" : ", ") + d;
        auto m = it->first.Mark();
        auto fp = field_path(k);
        std::string msg = best.empty() ? fmt::format("unknown field; known fields here: {}", known)
                                       : fmt::format("unknown field (did you mean '{}'?)", best);
        throw located(fp, m, msg);
    }
}

}  // namespace synbench::config
