#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "report/report.hpp"

namespace synbench::cli {

void add_report_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "report",
        "Re-render a run's report (report.md, report.html, tables.tex, figures/) from its files");
    auto dir = std::make_shared<std::string>();
    cmd->add_option("dir", *dir, "Run directory (results/<run>)")->required();
    cmd->callback([dir] {
        report::Rendered r;
        try {
            r = report::render_run(*dir);
        } catch (const report::Error& e) {
            throw ExitRequest{kExitBadInput, std::string("error: ") + e.what()};
        }
        for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
        auto pdf = report::write_pdfs(r.figures);
        if (!pdf.note.empty()) std::cerr << "note: " << pdf.note << "\n";
        std::cout << fmt::format("wrote {}\n      {}\n      {}\n      {} figure(s) in {} (SVG{})\n",
                                 r.html.string(), r.markdown.string(), r.latex.string(),
                                 r.figures.size(),
                                 (std::filesystem::path(*dir) / "figures").string(),
                                 pdf.pdfs.size() == r.figures.size() ? " and PDF" : "");
    });
}

}  // namespace synbench::cli
