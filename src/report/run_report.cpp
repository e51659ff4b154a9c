// Assembles the per-run report and writes it: report.md, report.html, tables.tex, figures/*.svg.
#include <fmt/format.h>

#include "report/format.hpp"
#include "report/report.hpp"
#include "report/run_parts.hpp"
#include "util/files.hpp"
#include "sim/summary_fields.hpp"

namespace synbench::report {

namespace fs = std::filesystem;

Doc run_document(const Run& r, std::vector<std::string>* warnings_out) {
    using namespace detail;
    std::vector<std::string> warnings;
    Doc d;
    d.title = fmt::format("synbench run: {} on {} ({}, seed {})", r.device(), r.tech(),
                          r.summary.value("network", std::string("?")), r.seed());
    if (!r.complete())
        warnings.push_back(
            fmt::format("this run is not complete (status '{}', {} epoch(s) written): the numbers "
                        "cover only the epochs done",
                        r.status(), r.epochs.size()));
    if (auto z = zero_costs(r); !z.empty()) {
        std::string list;
        for (const auto& x : z) list += (list.empty() ? "" : ", ") + x;
        warnings.push_back(
            fmt::format("this hardware run reports zero {}: a cost the circuit model did not "
                        "provide, not a free one",
                        list));
    }
    // Figures first, so their warnings reach the top of the report.
    Figure acc = accuracy_figure(r);
    Figure en, en_dyn, ar, dev;
    bool dev_ok = false;
    if (r.hardware()) {
        en = energy_figure(r, warnings, &en_dyn);
        if (r.number(sim::summary::area.path) > 0) ar = area_figure(r);
    }
    dev = device_figure(r, warnings, dev_ok);

    d.paragraph(fmt::format(
        "Run directory: {}. Final test accuracy {} after {} epochs{}.", r.dir.filename().string(),
        percent(r.number(sim::summary::final_accuracy.path)), r.epochs.size(),
        r.hardware()
            ? fmt::format(
                  "; training energy on each basis: {} {}, {} {}, {} {} (read {}, write "
                  "{}, training periphery {}, leakage {}); macro area {} + training "
                  "periphery {}, leakage power {} + {}",
                  sim::basis::array_dynamic.label, energy(energy_on(r, sim::basis::array_dynamic)),
                  sim::basis::with_periphery.label,
                  energy(energy_on(r, sim::basis::with_periphery)), sim::basis::whole_bill.label,
                  energy(energy_on(r, sim::basis::whole_bill)),
                  energy(r.number(sim::summary::energy_read.path)),
                  energy(r.number(sim::summary::energy_write.path)),
                  energy(r.number_or(sim::summary::energy_training_periphery.path, 0.0)),
                  energy(r.number(sim::summary::energy_leakage.path)),
                  area(r.number(sim::summary::area.path)),
                  area(r.number_or(sim::summary::area_training_periphery.path, 0.0)),
                  power(r.number(sim::summary::leakage.path)),
                  power(r.number_or(sim::summary::leakage_training_periphery.path, 0.0)))
            : " in software mode (no hardware costs)"));
    for (const auto& w : warnings) d.warning(w);

    d.heading(2, "Setup");
    d.table(setup_table(r));
    d.table(provenance_table(r));

    d.heading(2, "Results");
    d.table(results_table(r));
    d.figure(acc);
    if (r.hardware()) {
        d.figure(en);
        d.figure(en_dyn);
        d.paragraph(
            "Energy is of the training pass; the test pass after every epoch is accounted apart "
            "(test read energy). "
            "Leakage energy is the leakage power of the macro and the training periphery times "
            "the epoch's busy time (read + write + training periphery latency), with no power "
            "gating. Energy bases: 'array dynamic' = read + write of the arrays (what NeuroSim "
            "and the founding paper report); '+ training periphery' adds the backward pass, "
            "gradient, optimizer state, batch buffer and update control; the 'whole bill' adds "
            "leakage.");
    } else {
        d.paragraph(
            "Software mode: the hardware columns of epochs.csv are zero, so no energy or area "
            "figures are drawn.");
    }

    d.heading(2, "Per epoch");
    d.table(epochs_table(r, 1000000));

    if (r.hardware()) {
        d.heading(2, "Breakdown by block");
        if (!ar.svg.empty()) d.figure(ar);
        d.table(area_table(r));
        d.table(energy_breakdown_table(r));
    }

    d.heading(2, "Device");
    if (dev_ok)
        d.figure(dev);
    else
        d.paragraph("The device card in config.yaml could not be read; see the warning above.");

    if (warnings_out) *warnings_out = warnings;
    return d;
}

std::vector<fs::path> write_figures(const fs::path& dir, const Doc& d) {
    std::error_code ec;
    fs::create_directories(dir / "figures", ec);
    if (ec)
        throw Error(fmt::format("{}: cannot create the figures directory: {}",
                                (dir / "figures").string(), ec.message()));
    std::vector<fs::path> out;
    for (const Figure* f : d.figures()) {
        auto p = dir / "figures" / (f->id + ".svg");
        util::write_atomic(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + f->svg + "\n");
        out.push_back(p);
    }
    return out;
}

Rendered render_run(const fs::path& dir) {
    Run r = load_run(dir);
    Rendered out;
    Doc d = run_document(r, &out.warnings);
    out.figures = write_figures(dir, d);
    out.markdown = dir / "report.md";
    out.html = dir / "report.html";
    out.latex = dir / "tables.tex";
    util::write_atomic(out.markdown, to_markdown(d));
    util::write_atomic(out.html, to_html(d));
    // LaTeX: the per-epoch table thinned to at most 25 rows.
    Doc tex = d;
    for (auto& b : tex.blocks)
        if (b.kind == Block::Kind::table && b.table.id == "epochs")
            b.table = detail::epochs_table(r, 25);
    util::write_atomic(out.latex, to_latex(tex, "from run directory " + dir.filename().string(),
                                           dir.filename().string()));
    return out;
}

}  // namespace synbench::report
