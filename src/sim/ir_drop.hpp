// IR drop in the read of one subarray tile (docs/non-idealities.md).
//
// Geometry: `rows` input lines (row i driven at x_i · V from its driver at the column-0 end) cross
// `cols` output lines (column j sensed at virtual ground at the row-(rows−1) end). A wire segment
// of r_row (Ω) joins neighbouring cells along a row and the driver to cell 0; r_col along a column
// and the last cell to the sense node. Each cell is its conductance G in series with r_access
// (1T1R access transistor): g_s = G / (1 + G·r_access). Undriven rows of a crossbar are held at
// 0 V (their cells carry sneak currents); in a 1T1R array their access transistors are off.
//
// Both functions return the column currents per volt of read voltage (S): without wire resistance
// Σ_i x_i · g_s(i, j) (the ideal sum). `g` is row-major rows × cols, `driven[i]` ∈ {0, 1}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace synbench::sim {

struct IrGeometry {
    double r_row = 0;                 // Ω per cell pitch along a row
    double r_col = 0;                 // Ω per cell pitch along a column
    double r_access = 0;              // Ω in series with each cell
    bool grounded_idle_rows = false;  // crossbar: undriven rows at 0 V; else their cells are off
};

struct IrScratch {
    std::vector<double> a, b;
};

// First-order model: the ideal cell currents I⁰ = x_i·g_s flow through the wires; the voltage they
// drop along the row (from the driver to the cell) and raise along the column (from the cell to the
// sense node) is subtracted from each cell's voltage: I¹ = g_s · (x_i − ΔV_row(i,j) − V_col(i,j)).
// One pass over the tile, O(rows · cols).
void ir_first_order(const IrGeometry& geo, const double* g, std::size_t rows, std::size_t cols,
                    const std::uint8_t* driven, double* out, IrScratch& scratch);

// Exact nodal solve (Eigen sparse Cholesky on the row and column node voltages). For checking the
// first-order model and small arrays; a zero wire resistance makes that wire's nodes known.
std::vector<double> ir_exact(const IrGeometry& geo, const double* g, std::size_t rows,
                             std::size_t cols, const std::uint8_t* driven);

}  // namespace synbench::sim
