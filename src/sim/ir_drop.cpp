#include "sim/ir_drop.hpp"

#include <fmt/format.h>

#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>

#include <algorithm>
#include <stdexcept>

namespace synbench::sim {

namespace {

inline double series(double g, double r_access) {
    return r_access > 0 ? g / (1 + g * r_access) : g;
}

}  // namespace

void ir_first_order(const IrGeometry& geo, const double* g, std::size_t rows, std::size_t cols,
                    const std::uint8_t* driven, double* out, IrScratch& s) {
    const std::size_t n = rows * cols;
    s.a.resize(n);
    s.b.resize(n);
    double* i0 = s.a.data();  // ideal cell currents per volt
    double* u = s.b.data();   // column node voltages per volt
    for (std::size_t i = 0; i < rows; ++i) {
        double* r = i0 + i * cols;
        if (!driven[i]) {
            std::fill(r, r + cols, 0.0);
            continue;
        }
        const double* gr = g + i * cols;
        for (std::size_t j = 0; j < cols; ++j) r[j] = series(gr[j], geo.r_access);
    }
    // Column j: the segment below cell i carries Σ_{m ≤ i} I⁰(m, j); the node of cell i sits at the
    // sum of the drops of the segments between it and the sense node.
    std::fill(out, out + cols, 0.0);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
            out[j] += i0[i * cols + j];
            u[i * cols + j] = out[j];
        }
    std::fill(out, out + cols, 0.0);
    for (std::size_t i = rows; i-- > 0;)
        for (std::size_t j = 0; j < cols; ++j) {
            out[j] += u[i * cols + j];
            u[i * cols + j] = geo.r_col * out[j];
        }
    std::fill(out, out + cols, 0.0);
    for (std::size_t i = 0; i < rows; ++i) {
        const double* gr = g + i * cols;
        const double* ur = u + i * cols;
        if (driven[i]) {
            // Row i: the segment before cell k carries Σ_{m ≥ k} I⁰(i, m).
            const double* r = i0 + i * cols;
            double carried = 0;
            for (std::size_t j = 0; j < cols; ++j) carried += r[j];
            double drop = 0;
            for (std::size_t j = 0; j < cols; ++j) {
                drop += carried;
                carried -= r[j];
                out[j] += r[j] * (1 - geo.r_row * drop - ur[j]);
            }
        } else if (geo.grounded_idle_rows) {
            for (std::size_t j = 0; j < cols; ++j) out[j] -= series(gr[j], geo.r_access) * ur[j];
        }
    }
}

std::vector<double> ir_exact(const IrGeometry& geo, const double* g, std::size_t rows,
                             std::size_t cols, const std::uint8_t* driven) {
    if (geo.r_row < 0 || geo.r_col < 0 || geo.r_access < 0)
        throw std::invalid_argument("ir_exact: negative resistance");
    const bool row_nodes = geo.r_row > 0, col_nodes = geo.r_col > 0;
    auto connected = [&](std::size_t i) { return driven[i] || geo.grounded_idle_rows; };
    // Unknown indices: row nodes of connected rows (when rows have resistance), then column nodes.
    std::vector<long> ridx(rows, -1);
    long n = 0;
    if (row_nodes)
        for (std::size_t i = 0; i < rows; ++i)
            if (connected(i)) {
                ridx[i] = n;
                n += static_cast<long>(cols);
            }
    const long cbase = n;
    if (col_nodes) n += static_cast<long>(rows * cols);
    auto rnode = [&](std::size_t i, std::size_t j) { return ridx[i] + static_cast<long>(j); };
    auto cnode = [&](std::size_t i, std::size_t j) {
        return cbase + static_cast<long>(i * cols + j);
    };
    std::vector<double> out(cols, 0.0);
    std::vector<double> gs(rows * cols);
    for (std::size_t c = 0; c < rows * cols; ++c) gs[c] = series(g[c], geo.r_access);
    Eigen::VectorXd v;
    if (n > 0) {
        std::vector<Eigen::Triplet<double>> t;
        t.reserve(static_cast<std::size_t>(n) * 5);
        Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
        // A conductance y between unknown a and unknown or known node b (b < 0: known voltage vb).
        auto link = [&](long a, long b, double y, double vb) {
            t.emplace_back(a, a, y);
            if (b >= 0)
                t.emplace_back(a, b, -y);
            else
                rhs(a) += y * vb;
        };
        const double yr = row_nodes ? 1 / geo.r_row : 0, yc = col_nodes ? 1 / geo.r_col : 0;
        for (std::size_t i = 0; i < rows; ++i) {
            if (!connected(i)) continue;
            const double vi = driven[i] ? 1.0 : 0.0;
            for (std::size_t j = 0; j < cols; ++j) {
                const double y = gs[i * cols + j];
                if (row_nodes) {
                    const long a = rnode(i, j);
                    link(a, j == 0 ? -1 : rnode(i, j - 1), yr, vi);
                    if (j + 1 < cols) link(a, rnode(i, j + 1), yr, 0);
                    link(a, col_nodes ? cnode(i, j) : -1, y, 0.0);
                }
                if (col_nodes) link(cnode(i, j), row_nodes ? rnode(i, j) : -1, y, vi);
            }
        }
        if (col_nodes)
            for (std::size_t i = 0; i < rows; ++i)
                for (std::size_t j = 0; j < cols; ++j) {
                    const long a = cnode(i, j);
                    if (i > 0) link(a, cnode(i - 1, j), yc, 0);
                    link(a, i + 1 < rows ? cnode(i + 1, j) : -1, yc,
                         0.0);  // the last segment ends at the sense node (0 V)
                }
        Eigen::SparseMatrix<double> A(n, n);
        A.setFromTriplets(t.begin(), t.end());
        Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> solver(A);
        if (solver.info() != Eigen::Success)
            throw std::runtime_error(
                fmt::format("hardware.ir_drop: exact: the nodal equations of a {}×{} tile cannot "
                            "be factorised with "
                            "wire resistances of {:g} Ohm (row) and {:g} Ohm (column) per cell "
                            "pitch and an access "
                            "resistance of {:g} Ohm (from hardware.ir_drop_wire_scale, "
                            "hardware.array_wire_width "
                            "and the cards); expected wire resistances of a physical array, or use "
                            "ir_drop: first_order",
                            rows, cols, geo.r_row, geo.r_col, geo.r_access));
        v = solver.solve(rhs);
    }
    for (std::size_t j = 0; j < cols; ++j) {
        if (col_nodes) {
            out[j] = v(cnode(rows - 1, j)) * (1 / geo.r_col);
            continue;
        }
        double s = 0;
        for (std::size_t i = 0; i < rows; ++i) {
            if (!connected(i)) continue;
            const double vr = row_nodes ? v(rnode(i, j)) : (driven[i] ? 1.0 : 0.0);
            s += gs[i * cols + j] * vr;
        }
        out[j] = s;
    }
    return out;
}

}  // namespace synbench::sim
