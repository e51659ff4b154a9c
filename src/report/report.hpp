// Per-run reports: `synbench report DIR` and the end of `synbench train` call render_run().
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "report/doc.hpp"
#include "report/run_data.hpp"

namespace synbench::report {

struct Rendered {
    std::filesystem::path markdown, html, latex;
    std::vector<std::filesystem::path> figures;
    std::vector<std::string> warnings;  // also written into the report itself
};

// Reads the run directory (docs/run-directory.md) and writes report.md, report.html, tables.tex and
// figures/*.svg into it, each atomically. Throws report::Error naming a missing or malformed file.
Rendered render_run(const std::filesystem::path& dir);

// Writes each figure of `d` to dir/figures/<id>.svg, atomically (the run and sweep reports).
std::vector<std::filesystem::path> write_figures(const std::filesystem::path& dir, const Doc& d);

// PDF copies of SVG figures (figures/<id>.pdf beside figures/<id>.svg, for journals), drawn by
// `converter` (rsvg-convert, Debian's librsvg2-bin) found on PATH. When it is missing or fails,
// `note` says so and the SVGs stand alone; the report commands print the note.
struct PdfResult {
    std::vector<std::filesystem::path> pdfs;
    std::string note;  // empty when every figure has its PDF
};
PdfResult write_pdfs(const std::vector<std::filesystem::path>& svgs,
                     const std::string& converter = "rsvg-convert");

// The report of a run as a document (what render_run writes), for tests and other writers.
Doc run_document(const Run& run, std::vector<std::string>* warnings = nullptr);

// The device's noise-free LTP and LTD curves from the `device:` section of the run's config.yaml:
// conductance (S) after x = 0..levels pulses. config::Error (naming config.yaml) if the card is
// bad.
struct DeviceCurves {
    std::string name;
    std::vector<double> ltp_x, ltp_g, ltd_x, ltd_g;
    double g_min = 0, g_max = 0;
};
DeviceCurves device_curves(const std::filesystem::path& config_yaml);

}  // namespace synbench::report
