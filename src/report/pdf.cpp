// PDF copies of the SVG figures, drawn by rsvg-convert (Debian's librsvg2-bin) when it is present.
#include <fmt/format.h>

#include <system_error>

#include "report/report.hpp"
#include "util/process.hpp"

namespace synbench::report {

namespace fs = std::filesystem;

PdfResult write_pdfs(const std::vector<fs::path>& svgs, const std::string& converter) {
    PdfResult out;
    for (const auto& svg : svgs) {
        fs::path pdf = fs::path(svg).replace_extension(".pdf");
        fs::path tmp = pdf;
        tmp += ".tmp";
        auto r = util::run_process(
            {converter, "--format=pdf", "--output=" + tmp.string(), svg.string()});
        std::error_code ec;
        if (r.exit_code != 0) {
            fs::remove(tmp, ec);
            if (r.exit_code == -1 && r.output.find("cannot start") != std::string::npos)
                out.note = fmt::format(
                    "{} was not found: figures are SVG only (install Debian's librsvg2-bin for "
                    "PDF copies beside them)",
                    converter);
            else
                out.note = fmt::format("{} failed on {} (exit {}): {}", converter, svg.string(),
                                       r.exit_code, r.output.substr(0, 300));
            return out;
        }
        fs::rename(tmp, pdf, ec);
        if (ec) {
            out.note = fmt::format("cannot write {}: {}", pdf.string(), ec.message());
            return out;
        }
        out.pdfs.push_back(pdf);
    }
    return out;
}

}  // namespace synbench::report
