#include "report/doc.hpp"

#include <fmt/format.h>

#include "report/format.hpp"

namespace synbench::report {

std::vector<const Figure*> Doc::figures() const {
    std::vector<const Figure*> out;
    for (const auto& b : blocks)
        if (b.kind == Block::Kind::figure) out.push_back(&b.figure);
    return out;
}

std::string to_markdown(const Doc& d, const std::string& figure_dir) {
    std::string o = "# " + d.title + "\n\n";
    for (const auto& b : d.blocks) {
        switch (b.kind) {
            case Block::Kind::heading:
                o += std::string(static_cast<std::size_t>(b.level), '#') + " " + b.text + "\n\n";
                break;
            case Block::Kind::paragraph:
                o += b.text + "\n\n";
                break;
            case Block::Kind::warning:
                o += "> **⚠ WARNING:** " + b.text + "\n\n";
                break;
            case Block::Kind::code:
                o += "```\n" + b.text + "\n```\n\n";
                break;
            case Block::Kind::figure:
                o += fmt::format("![{}]({}/{}.svg)\n\n*{}*\n\n", b.figure.caption, figure_dir,
                                 b.figure.id, b.figure.caption);
                break;
            case Block::Kind::table: {
                const auto& t = b.table;
                if (!t.caption.empty()) o += "**" + t.caption + "**\n\n";
                o += "|";
                for (const auto& h : t.header) o.append(" ").append(md_escape_cell(h)).append(" |");
                o += "\n|";
                for (std::size_t i = 0; i < t.header.size(); ++i)
                    o += i == 0 || !t.numeric ? "---|" : "---:|";
                o += "\n";
                for (const auto& r : t.rows) {
                    o += "|";
                    for (const auto& c : r) o.append(" ").append(md_escape_cell(c)).append(" |");
                    o += "\n";
                }
                if (!t.note.empty()) o += "\n" + t.note + "\n";
                o += "\n";
                break;
            }
        }
    }
    return o;
}

namespace {
constexpr const char* kCss =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
  max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;border-bottom:2px solid #444;padding-bottom:.2em}
h2{margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}
caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0}
th,td{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:right}
th{border-bottom:2px solid #444;background:#f4f4f4}
td:first-child,th:first-child,table.text td,table.text th{text-align:left}
tbody tr:hover{background:#f9f9f0}
.warning{border:2px solid #c0392b;background:#fdecea;padding:.6em 1em;margin:1em 0;
  font-weight:600;color:#7b241c}
figure{margin:1em 0 2em}
figcaption{font-size:.9em;color:#555;margin-top:.3em}
svg.chart{max-width:100%;height:auto;border:1px solid #eee}
.note{font-size:.85em;color:#555}
pre{background:#f4f4f4;padding:.6em;overflow-x:auto})";
}  // namespace

std::string to_html(const Doc& d) {
    std::string o = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    o += "<title>" + html_escape(d.title) + "</title>\n<style>\n" + kCss +
         "\n</style>\n</head>\n<body>\n";
    o += "<h1>" + html_escape(d.title) + "</h1>\n";
    for (const auto& b : d.blocks) {
        switch (b.kind) {
            case Block::Kind::heading:
                o += fmt::format("<h{0}>{1}</h{0}>\n", b.level, html_escape(b.text));
                break;
            case Block::Kind::paragraph:
                o += "<p>" + html_escape(b.text) + "</p>\n";
                break;
            case Block::Kind::warning:
                o += "<div class=\"warning\" role=\"alert\">⚠ WARNING: " + html_escape(b.text) +
                     "</div>\n";
                break;
            case Block::Kind::code:
                o += "<pre>" + html_escape(b.text) + "</pre>\n";
                break;
            case Block::Kind::figure:
                o += fmt::format(
                    "<figure id=\"fig-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                    b.figure.id, b.figure.svg, html_escape(b.figure.caption));
                break;
            case Block::Kind::table: {
                const auto& t = b.table;
                o += fmt::format("<table id=\"tab-{}\"{}>\n", t.id,
                                 t.numeric ? "" : " class=\"text\"");
                if (!t.caption.empty()) o += "<caption>" + html_escape(t.caption) + "</caption>\n";
                o += "<thead><tr>";
                for (const auto& h : t.header) o += "<th>" + html_escape(h) + "</th>";
                o += "</tr></thead>\n<tbody>\n";
                for (const auto& r : t.rows) {
                    o += "<tr>";
                    for (const auto& c : r) o += "<td>" + html_escape(c) + "</td>";
                    o += "</tr>\n";
                }
                o += "</tbody>\n</table>\n";
                if (!t.note.empty()) o += "<p class=\"note\">" + html_escape(t.note) + "</p>\n";
                break;
            }
        }
    }
    o += "</body>\n</html>\n";
    return o;
}

}  // namespace synbench::report
