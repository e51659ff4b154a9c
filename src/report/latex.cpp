// A report's tables as LaTeX for a paper: siunitx columns with the unit in the header (or, in
// quantity/value tables, after the quantity), numbers to four significant figures (percentages to
// two decimals, counts whole), long times in h or d, labels prefixed with the run's name, and
// tables split by columns when they would not fit a 345 pt text width and by rows when they would
// not fit a page.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "report/doc.hpp"
#include "report/format.hpp"

namespace synbench::report {

namespace {

// The kinds of quantity a cell may hold; each has an SI unit and a way to pick a display unit.
enum class Kind { none, count, percent, energy, time, power, area, edp, frequency, conductance };

struct Quantity {
    Kind kind = Kind::none;
    double value = 0, sd = 0;  // SI units (percent: percent)
    bool has_sd = false;
    bool integer = false;  // written without decimals in the report
};

struct Unit {
    double factor = 1;  // SI value / factor = shown value
    std::string si;     // siunitx unit macros, "" for plain numbers
};

constexpr std::array<std::pair<const char*, double>, 10> kPrefixes{{{"a", 1e-18},
                                                                    {"f", 1e-15},
                                                                    {"p", 1e-12},
                                                                    {"n", 1e-9},
                                                                    {"µ", 1e-6},
                                                                    {"m", 1e-3},
                                                                    {"k", 1e3},
                                                                    {"M", 1e6},
                                                                    {"G", 1e9},
                                                                    {"T", 1e12}}};

const char* prefix_macro(double f) {
    struct P {
        double f;
        const char* m;
    };
    static constexpr P p[] = {{1e-18, "\\atto"}, {1e-15, "\\femto"}, {1e-12, "\\pico"},
                              {1e-9, "\\nano"},  {1e-6, "\\micro"},  {1e-3, "\\milli"},
                              {1, ""},           {1e3, "\\kilo"},    {1e6, "\\mega"},
                              {1e9, "\\giga"},   {1e12, "\\tera"}};
    for (const auto& x : p)
        if (std::fabs(f / x.f - 1) < 1e-9) return x.m;
    return "";
}

std::optional<Quantity> parse_quantity(const std::string& cell) {
    // "12.6 mJ", "73.00 ± 1.41 %", "20000", "8.889e+04", "0.02 mm²"
    const char* s = cell.c_str();
    char* end = nullptr;
    if (cell.empty() || !(std::isdigit(static_cast<unsigned char>(cell[0])) || cell[0] == '-'))
        return std::nullopt;
    Quantity q;
    q.value = std::strtod(s, &end);
    if (end == s) return std::nullopt;
    std::string num(s, static_cast<std::size_t>(end - s));
    q.integer = num.find_first_of(".eE") == std::string::npos;
    std::string rest(end);
    auto trim = [](std::string& t) {
        while (!t.empty() && t.front() == ' ') t.erase(0, 1);
        while (!t.empty() && t.back() == ' ') t.pop_back();
    };
    trim(rest);
    if (rest.rfind("±", 0) == 0) {
        std::string r2 = rest.substr(std::string("±").size());
        trim(r2);
        const char* b = r2.c_str();
        char* e2 = nullptr;
        q.sd = std::strtod(b, &e2);
        if (e2 == b) return std::nullopt;
        q.has_sd = true;
        rest = std::string(e2);
        trim(rest);
    }
    if (rest.empty()) {
        q.kind = Kind::count;
        return q;
    }
    if (rest == "%") {
        q.kind = Kind::percent;
        return q;
    }
    double area = rest == "m²" ? 1 : rest == "mm²" ? 1e-6 : rest == "µm²" ? 1e-12 : 0;
    if (area > 0) {
        q.kind = Kind::area;
        q.value *= area, q.sd *= area;
        return q;
    }
    struct B {
        const char* sym;
        Kind kind;
    };
    static constexpr B bases[] = {{"J·s", Kind::edp},      {"J", Kind::energy},
                                  {"s", Kind::time},       {"W", Kind::power},
                                  {"Hz", Kind::frequency}, {"S", Kind::conductance}};
    for (const auto& b : bases) {
        std::string sym = b.sym;
        if (rest.size() < sym.size() || rest.compare(rest.size() - sym.size(), sym.size(), sym))
            continue;
        std::string pre = rest.substr(0, rest.size() - sym.size());
        double f = 0;
        if (pre.empty()) f = 1;
        for (const auto& [p, v] : kPrefixes)
            if (pre == p) f = v;
        if (f == 0) continue;
        q.kind = b.kind;
        q.value *= f, q.sd *= f;
        return q;
    }
    return std::nullopt;
}

// The display unit for values up to `max_abs` of a kind.
Unit unit_for(Kind k, double max_abs) {
    auto prefixed = [&](const char* base) {
        double f = 1;
        if (max_abs > 0 && std::isfinite(max_abs)) {
            int e3 = static_cast<int>(std::floor(std::log10(max_abs) / 3 + 1e-9)) * 3;
            f = std::pow(10.0, std::clamp(e3, -18, 12));
        }
        return Unit{f, std::string(prefix_macro(f)) + base};
    };
    switch (k) {
        case Kind::none:
        case Kind::count:
            return {1, ""};
        case Kind::percent:
            return {1, "\\percent"};
        case Kind::energy:
            return prefixed("\\joule");
        case Kind::edp:
            return prefixed("\\joule\\second");
        case Kind::power:
            return prefixed("\\watt");
        case Kind::frequency:
            return prefixed("\\hertz");
        case Kind::conductance:
            return prefixed("\\siemens");
        case Kind::area:
            return max_abs >= 1e-8 || max_abs == 0 ? Unit{1e-6, "\\milli\\metre\\squared"}
                                                   : Unit{1e-12, "\\micro\\metre\\squared"};
        case Kind::time:
            // Long times in days or hours, not megaseconds.
            if (max_abs >= 2 * 86400) return {86400, "\\day"};
            if (max_abs >= 2 * 3600) return {3600, "\\hour"};
            if (max_abs >= 120) return {60, "\\minute"};
            if (max_abs >= 1) return {1, "\\second"};
            return prefixed("\\second");
    }
    return {1, ""};
}

// A number as a table shows it: four significant figures (trailing zeros kept), percentages
// with two decimals, whole counts without decimals; never in e-notation.
std::string figure(double v, Kind k, bool integer) {
    if (!std::isfinite(v)) return "{---}";
    if (k == Kind::percent) return fmt::format("{:.2f}", v);
    if ((k == Kind::count && integer) || std::fabs(v) >= 1000) return fmt::format("{:.0f}", v);
    if (v == 0) return "0";
    int mag = static_cast<int>(std::floor(std::log10(std::fabs(v))));
    int dec = std::clamp(3 - mag, 0, 12);
    return fmt::format("{:.{}f}", v, dec);
}

// siunitx's table-format for a column of formatted numbers ("3.2", "-1.4").
std::string table_format(const std::vector<std::string>& nums) {
    int ip = 1, dp = 0;
    bool neg = false;
    for (const auto& n : nums) {
        std::string s = n;
        if (!s.empty() && s[0] == '-') neg = true, s.erase(0, 1);
        auto dot = s.find('.');
        ip = std::max(ip, static_cast<int>(dot == std::string::npos ? s.size() : dot));
        dp = std::max(dp, dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1));
    }
    return fmt::format("{}{}.{}", neg ? "-" : "", ip, dp);
}

bool dash(const std::string& c) { return c.empty() || c == "—" || c == "-"; }

std::string label_prefix_clean(const std::string& p) {
    std::string o;
    for (char c : p)
        o += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '-';
    return o;
}

// Header text broken into lines of about 10 characters, stacked in a one-column tabular.
std::string stacked_header(const std::string& text, const std::string& unit_si) {
    std::vector<std::string> lines;
    std::string cur;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto sp = text.find(' ', start);
        std::string w =
            text.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
        start = sp == std::string::npos ? text.size() + 1 : sp + 1;
        if (w.empty()) continue;
        if (!cur.empty() && cur.size() + 1 + w.size() > 10) {
            lines.push_back(cur);
            cur = w;
        } else {
            cur = cur.empty() ? w : cur + " " + w;
        }
    }
    if (!cur.empty()) lines.push_back(cur);
    std::string o;
    for (std::size_t i = 0; i < lines.size(); ++i) o += (i ? "\\\\" : "") + latex_escape(lines[i]);
    if (!unit_si.empty()) o += (lines.empty() ? "" : "\\\\") + ("(\\si{" + unit_si + "})");
    if (lines.size() + (unit_si.empty() ? 0 : 1) <= 1) return o;
    return "\\begin{tabular}[b]{@{}c@{}}" + o + "\\end{tabular}";
}

std::size_t header_chars(const std::string& text, bool with_unit) {
    // The widest line stacked_header makes (in characters), roughly.
    std::size_t w = with_unit ? 8 : 0, cur = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto sp = text.find(' ', start);
        std::size_t len = (sp == std::string::npos ? text.size() : sp) - start;
        start = sp == std::string::npos ? text.size() + 1 : sp + 1;
        if (len == 0) continue;
        if (cur > 0 && cur + 1 + len > 10) {
            w = std::max(w, cur);
            cur = len;
        } else {
            cur = cur ? cur + 1 + len : len;
        }
    }
    return std::max(w, cur);
}

std::size_t glyphs(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
    return n;
}

// One column of the LaTeX table.
struct Col {
    enum class Type { label, number, text } type = Type::text;
    std::string header;              // LaTeX
    std::vector<std::string> cells;  // LaTeX
    std::string spec;                // column specifier
    double width_pt = 0;             // estimated natural width at \small
    bool wide = false;               // long text: an X column
};

constexpr double kTextWidthPt = 345;  // the article class's text width: fits any journal's page
constexpr double kPtPerChar = 4.6;    // \small (9 pt) Computer Modern, generous
constexpr double kColSep = 12;        // 2 × \tabcolsep
constexpr double kLinesPerPage = 34;  // \small lines that fit a page with caption and note
constexpr double kWrapWidthPt = 110;  // what a wrapping column gets, at least

std::vector<Col> latex_columns(const Table& t) {
    const std::size_t nc = t.header.size();
    std::vector<Col> cols(nc);
    // Parsed cells; a row's quantity kind per column.
    std::vector<std::vector<std::optional<Quantity>>> q(t.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (std::size_t j = 0; j < nc; ++j)
            q[r].push_back(j > 0 && j < t.rows[r].size() ? parse_quantity(t.rows[r][j])
                                                         : std::nullopt);
    auto cell = [&](std::size_t r, std::size_t j) -> std::string {
        return j < t.rows[r].size() ? t.rows[r][j] : std::string();
    };
    // Column-wise: every non-empty cell a quantity of one kind, none with ±.
    std::vector<std::optional<Kind>> col_kind(nc);
    for (std::size_t j = 1; j < nc; ++j) {
        std::optional<Kind> k;
        bool ok = true, any = false;
        for (std::size_t r = 0; r < t.rows.size() && ok; ++r) {
            if (dash(cell(r, j))) continue;
            if (!q[r][j] || q[r][j]->has_sd || (k && *k != q[r][j]->kind)) ok = false;
            if (ok) k = q[r][j]->kind, any = true;
        }
        if (ok && any) col_kind[j] = k;
    }
    bool all_rest_mixed = nc >= 2;
    for (std::size_t j = 1; j < nc; ++j) all_rest_mixed = all_rest_mixed && !col_kind[j];
    // Quantity/value tables (every column after the first mixed): the unit goes with the
    // quantity, one per row, when all of a row's quantities share a kind.
    std::vector<std::optional<Unit>> row_unit(t.rows.size());
    std::vector<Kind> row_kind(t.rows.size(), Kind::none);
    if (all_rest_mixed) {
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            std::optional<Kind> k;
            bool ok = true;
            double mx = 0;
            for (std::size_t j = 1; j < nc && ok; ++j) {
                if (!q[r][j]) continue;
                if (k && *k != q[r][j]->kind) ok = false;
                k = q[r][j]->kind;
                mx = std::max(mx, std::fabs(q[r][j]->value));
            }
            if (ok && k) row_unit[r] = unit_for(*k, mx), row_kind[r] = *k;
        }
    }
    for (std::size_t j = 0; j < nc; ++j) {
        Col& c = cols[j];
        std::optional<Unit> cu;
        if (j > 0 && col_kind[j]) {
            double mx = 0;
            for (std::size_t r = 0; r < t.rows.size(); ++r)
                if (q[r][j]) mx = std::max(mx, std::fabs(q[r][j]->value));
            cu = unit_for(*col_kind[j], mx);
        }
        std::vector<std::string> nums;
        std::size_t chars = 0;
        bool any_text = false;
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            std::string raw = cell(r, j);
            std::string out;
            if (j == 0) {
                out = latex_escape(raw);
                if (row_unit[r] && !row_unit[r]->si.empty())
                    out += " (\\si{" + row_unit[r]->si + "})";
                chars = std::max(chars, glyphs(raw) + (row_unit[r] ? 6 : 0));
            } else if (dash(raw)) {
                out = cu ? "{---}" : "---";
            } else if (cu && q[r][j]) {
                out = figure(q[r][j]->value / cu->factor, *col_kind[j], q[r][j]->integer);
                nums.push_back(out);
                chars = std::max(chars, out.size());
            } else if (q[r][j]) {
                // A quantity in a mixed column: \num with the row's unit (in the first column) or
                // \SI with its own.
                const Quantity& v = *q[r][j];
                Unit u = row_unit[r] ? *row_unit[r] : unit_for(v.kind, std::fabs(v.value));
                std::string n = figure(v.value / u.factor, v.kind, v.integer);
                if (v.has_sd) {  // the sd to the mean's decimals
                    auto dot = n.find('.');
                    int dec = dot == std::string::npos ? 0 : static_cast<int>(n.size() - dot - 1);
                    n += fmt::format(" +- {:.{}f}", v.sd / u.factor, dec);
                }
                out = row_unit[r] || u.si.empty() ? "\\num{" + n + "}"
                                                  : "\\SI{" + n + "}{" + u.si + "}";
                chars = std::max(chars, n.size() + (row_unit[r] ? 0 : 4));
            } else {
                out = latex_escape(raw);
                chars = std::max(chars, glyphs(raw));
                any_text = true;
            }
            c.cells.push_back(out);
        }
        if (j == 0) {
            c.type = Col::Type::label;
            c.header = latex_escape(t.header[j]);
            chars = std::max(chars, glyphs(t.header[j]));
            c.wide = chars > 28;
            c.spec = c.wide ? ">{\\raggedright\\arraybackslash}X" : "l";
        } else if (cu) {
            c.type = Col::Type::number;
            c.header = "{" + stacked_header(t.header[j], cu->si) + "}";
            chars = std::max(chars, header_chars(t.header[j], !cu->si.empty()));
            c.spec = "S[table-format=" + table_format(nums) + "]";
        } else {
            c.type = Col::Type::text;
            c.header = stacked_header(t.header[j], "");
            chars = std::max(chars, header_chars(t.header[j], false));
            c.wide = any_text && chars > 16;
            c.spec = c.wide ? ">{\\raggedright\\arraybackslash}X" : (t.numeric ? "r" : "l");
        }
        c.width_pt = static_cast<double>(chars) * kPtPerChar + kColSep;
        if (c.wide) c.width_pt = 50 + kColSep;  // X columns shrink to what is left
    }
    return cols;
}

// Column groups that fit the text width, each repeating the first column.
std::vector<std::vector<std::size_t>> split_columns(const std::vector<Col>& cols) {
    std::vector<std::vector<std::size_t>> parts;
    if (cols.empty()) return parts;
    std::vector<std::size_t> cur{0};
    double w = cols[0].width_pt;
    for (std::size_t j = 1; j < cols.size(); ++j) {
        if (cur.size() > 1 && w + cols[j].width_pt > kTextWidthPt) {
            parts.push_back(cur);
            cur = {0};
            w = cols[0].width_pt;
        }
        cur.push_back(j);
        w += cols[j].width_pt;
    }
    parts.push_back(cur);
    return parts;
}

}  // namespace

std::string to_latex(const Doc& d, const std::string& source_note,
                     const std::string& label_prefix) {
    const std::string pre =
        label_prefix.empty() ? std::string() : label_prefix_clean(label_prefix) + ":";
    std::string o = "% " + d.title + "\n% " + source_note + "\n";
    o += "% Generated by synbench. Needs \\usepackage{booktabs,siunitx,tabularx} (siunitx: units "
         "in\n"
         "% the column headers, or after the quantity in quantity/value tables). Labels: tab:" +
         pre + "<table>.\n\n";
    for (const auto& b : d.blocks) {
        if (b.kind == Block::Kind::heading) o += "% --- " + b.text + "\n";
        if (b.kind != Block::Kind::table || !b.table.latex) continue;
        const auto& t = b.table;
        auto cols = latex_columns(t);
        // Parts: column groups that fit the width × row groups that fit a page's height.
        std::vector<std::pair<std::vector<std::size_t>, std::pair<std::size_t, std::size_t>>> parts;
        const std::size_t nrows = t.rows.size();
        for (const auto& g : split_columns(cols)) {
            // Lines per row: a long text in a wrapping (X) column takes several.
            std::size_t r0 = 0;
            double lines = 0;
            for (std::size_t r = 0; r < nrows; ++r) {
                double l = 1;
                for (auto j : g)
                    if (cols[j].wide && r < t.rows.size() && j < t.rows[r].size())
                        l = std::max(l, std::ceil(static_cast<double>(glyphs(t.rows[r][j])) *
                                                  kPtPerChar / kWrapWidthPt));
                if (lines + l > kLinesPerPage && r > r0) {
                    parts.push_back({g, {r0, r}});
                    r0 = r, lines = 0;
                }
                lines += l;
            }
            parts.push_back({g, {r0, nrows}});
        }
        for (std::size_t p = 0; p < parts.size(); ++p) {
            const auto& idx = parts[p].first;
            const auto [r_begin, r_end] = parts[p].second;
            bool x =
                std::any_of(idx.begin(), idx.end(), [&](std::size_t j) { return cols[j].wide; });
            o += "\\begin{table}[htbp]\n\\centering\n\\small\n";
            if (!t.caption.empty())
                o +=
                    "\\caption{" + latex_escape(t.caption) +
                    (parts.size() > 1 ? fmt::format(" (part {} of {})", p + 1, parts.size()) : "") +
                    "}\n";
            o += "\\label{tab:" + pre + t.id + (p ? fmt::format("-{}", p + 1) : "") + "}\n";
            std::string spec;
            for (auto j : idx) spec += cols[j].spec;
            o += x ? "\\begin{tabularx}{\\linewidth}{" + spec + "}\n"
                   : "\\begin{tabular}{" + spec + "}\n";
            o += "\\toprule\n";
            for (std::size_t k = 0; k < idx.size(); ++k)
                o += (k ? " & " : "") + cols[idx[k]].header;
            o += " \\\\\n\\midrule\n";
            for (std::size_t r = r_begin; r < r_end; ++r) {
                for (std::size_t k = 0; k < idx.size(); ++k)
                    o += (k ? " & " : "") + cols[idx[k]].cells[r];
                o += " \\\\\n";
            }
            o += x ? "\\bottomrule\n\\end{tabularx}\n" : "\\bottomrule\n\\end{tabular}\n";
            if (!t.note.empty() && p + 1 == parts.size())
                o += "\\par\\smallskip{\\footnotesize " + latex_escape(t.note) + "}\n";
            o += "\\end{table}\n\n";
        }
    }
    return o;
}

}  // namespace synbench::report
