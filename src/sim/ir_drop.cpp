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

namespace {

// The unknowns of a tile's nodal equations: the row nodes of connected rows (when rows have wire
// resistance), then the column nodes (when columns have). Known nodes are the drivers (1 V on a
// driven row, 0 V on a grounded idle one) and the sense nodes (0 V).
struct IrNodes {
    IrNodes(const IrGeometry& geo, std::size_t rows, std::size_t cols, const std::uint8_t* driven)
        : geo(geo),
          rows(rows),
          cols(cols),
          driven(driven),
          row_nodes(geo.r_row > 0),
          col_nodes(geo.r_col > 0),
          ridx(rows, -1) {
        if (row_nodes)
            for (std::size_t i = 0; i < rows; ++i)
                if (connected(i)) {
                    ridx[i] = n;
                    n += static_cast<long>(cols);
                }
        cbase = n;
        if (col_nodes) n += static_cast<long>(rows * cols);
    }
    bool connected(std::size_t i) const { return driven[i] || geo.grounded_idle_rows; }
    long rnode(std::size_t i, std::size_t j) const { return ridx[i] + static_cast<long>(j); }
    long cnode(std::size_t i, std::size_t j) const {
        return cbase + static_cast<long>(i * cols + j);
    }
    double drive(std::size_t i) const { return driven[i] ? 1.0 : 0.0; }

    const IrGeometry& geo;
    std::size_t rows, cols;
    const std::uint8_t* driven;
    bool row_nodes, col_nodes;
    std::vector<long> ridx;
    long cbase = 0, n = 0;
};

// The nodal matrix (as triplets) and right-hand side of a tile whose cells have the series
// conductances gs.
void assemble_nodal(const IrNodes& N, const std::vector<double>& gs,
                    std::vector<Eigen::Triplet<double>>& t, Eigen::VectorXd& rhs) {
    t.reserve(static_cast<std::size_t>(N.n) * 5);
    rhs = Eigen::VectorXd::Zero(N.n);
    // A conductance y between unknown a and unknown or known node b (b < 0: known voltage vb).
    auto link = [&](long a, long b, double y, double vb) {
        t.emplace_back(a, a, y);
        if (b >= 0)
            t.emplace_back(a, b, -y);
        else
            rhs(a) += y * vb;
    };
    const double yr = N.row_nodes ? 1 / N.geo.r_row : 0, yc = N.col_nodes ? 1 / N.geo.r_col : 0;
    for (std::size_t i = 0; i < N.rows; ++i) {
        if (!N.connected(i)) continue;
        const double vi = N.drive(i);
        for (std::size_t j = 0; j < N.cols; ++j) {
            const double y = gs[i * N.cols + j];
            if (N.row_nodes) {
                const long a = N.rnode(i, j);
                link(a, j == 0 ? -1 : N.rnode(i, j - 1), yr, vi);
                if (j + 1 < N.cols) link(a, N.rnode(i, j + 1), yr, 0);
                link(a, N.col_nodes ? N.cnode(i, j) : -1, y, 0.0);
            }
            if (N.col_nodes) link(N.cnode(i, j), N.row_nodes ? N.rnode(i, j) : -1, y, vi);
        }
    }
    if (N.col_nodes)
        for (std::size_t i = 0; i < N.rows; ++i)
            for (std::size_t j = 0; j < N.cols; ++j) {
                const long a = N.cnode(i, j);
                if (i > 0) link(a, N.cnode(i - 1, j), yc, 0);
                link(a, i + 1 < N.rows ? N.cnode(i + 1, j) : -1, yc,
                     0.0);  // the last segment ends at the sense node (0 V)
            }
}

// The node voltages of the tile.
Eigen::VectorXd solve_nodal(const IrNodes& N, const std::vector<double>& gs) {
    std::vector<Eigen::Triplet<double>> t;
    Eigen::VectorXd rhs;
    assemble_nodal(N, gs, t, rhs);
    Eigen::SparseMatrix<double> A(N.n, N.n);
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
                        N.rows, N.cols, N.geo.r_row, N.geo.r_col, N.geo.r_access));
    return solver.solve(rhs);
}

}  // namespace

std::vector<double> ir_exact(const IrGeometry& geo, const double* g, std::size_t rows,
                             std::size_t cols, const std::uint8_t* driven) {
    if (geo.r_row < 0 || geo.r_col < 0 || geo.r_access < 0)
        throw std::invalid_argument("ir_exact: negative resistance");
    const IrNodes N(geo, rows, cols, driven);
    std::vector<double> out(cols, 0.0);
    std::vector<double> gs(rows * cols);
    for (std::size_t c = 0; c < rows * cols; ++c) gs[c] = series(g[c], geo.r_access);
    Eigen::VectorXd v;
    if (N.n > 0) v = solve_nodal(N, gs);
    for (std::size_t j = 0; j < cols; ++j) {
        if (N.col_nodes) {
            out[j] = v(N.cnode(rows - 1, j)) * (1 / geo.r_col);
            continue;
        }
        double s = 0;
        for (std::size_t i = 0; i < rows; ++i) {
            if (!N.connected(i)) continue;
            const double vr = N.row_nodes ? v(N.rnode(i, j)) : N.drive(i);
            s += gs[i * cols + j] * vr;
        }
        out[j] = s;
    }
    return out;
}

}  // namespace synbench::sim
