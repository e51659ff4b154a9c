// A report as a neutral document — headings, paragraphs, warnings, tables, figures — written out
// once as Markdown, HTML (one self-contained page, figures inline) and LaTeX (tables only), so the
// three files always say the same thing.
#pragma once

#include <string>
#include <vector>

namespace synbench::report {

struct Table {
    std::string id;  // stable name (HTML id, LaTeX label)
    std::string caption;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::string note;     // printed under the table
    bool latex = true;    // also goes into the .tex file
    bool numeric = true;  // columns after the first are numbers (right-aligned); false: text
};

struct Figure {
    std::string id;  // file name figures/<id>.svg
    std::string caption;
    std::string svg;  // a complete <svg> element
};

struct Block {
    enum class Kind { heading, paragraph, warning, table, figure, code } kind;
    int level = 2;
    std::string text;
    Table table;
    Figure figure;
};

struct Doc {
    std::string title;
    std::vector<Block> blocks;

    void heading(int level, std::string text) {
        blocks.push_back({Block::Kind::heading, level, std::move(text), {}, {}});
    }
    void paragraph(std::string text) {
        blocks.push_back({Block::Kind::paragraph, 0, std::move(text), {}, {}});
    }
    void warning(std::string text) {
        blocks.push_back({Block::Kind::warning, 0, std::move(text), {}, {}});
    }
    void code(std::string text) {
        blocks.push_back({Block::Kind::code, 0, std::move(text), {}, {}});
    }
    void table(Table t) { blocks.push_back({Block::Kind::table, 0, {}, std::move(t), {}}); }
    void figure(Figure f) { blocks.push_back({Block::Kind::figure, 0, {}, {}, std::move(f)}); }
    std::vector<const Figure*> figures() const;
};

// Markdown; figures are linked as `figure_dir/<id>.svg`.
std::string to_markdown(const Doc& d, const std::string& figure_dir = "figures");
// One HTML page with CSS and the SVG figures inline; no external resource of any kind.
std::string to_html(const Doc& d);
// The document's tables (those with latex = true) as booktabs + siunitx tables (latex.cpp), plus
// its headings as comments. Labels are tab:<label_prefix>:<table id> (the run's or comparison's
// name, so that two runs' tables can sit in one paper).
std::string to_latex(const Doc& d, const std::string& source_note,
                     const std::string& label_prefix = "");

}  // namespace synbench::report
