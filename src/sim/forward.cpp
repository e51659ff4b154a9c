#include "sim/forward.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <stdexcept>

#include "util/parallel.hpp"

namespace synbench::sim {

double activate(Activation a, double x) {
    switch (a) {
        case Activation::sigmoid:
            return 1.0 / (1.0 + std::exp(-x));
        case Activation::tanh:
            return std::tanh(x);
        case Activation::relu:
            return x > 0 ? x : 0.0;
    }
    return 0;
}

double activate_derivative(Activation a, double y, double x) {
    switch (a) {
        case Activation::sigmoid:
            return y * (1 - y);
        case Activation::tanh:
            return 1 - y * y;
        case Activation::relu:
            return x > 0 ? 1.0 : 0.0;
    }
    return 0;
}

namespace {

// out[j] += Σ_k g[rows[k]·stride + j] for j < W, the rows added one by one in list order (the order
// of a row-by-row accumulation into out, so the sums are bit-identical to it), the partial sums
// held in registers.
template <std::size_t W>
void add_rows_fixed(const double* g, std::size_t stride, const std::uint32_t* rows, std::size_t n,
                    double* out) {
    double acc[W];
    for (std::size_t j = 0; j < W; ++j) acc[j] = out[j];
    for (std::size_t k = 0; k < n; ++k) {
        const double* r = g + rows[k] * stride;
        for (std::size_t j = 0; j < W; ++j) acc[j] += r[j];
    }
    for (std::size_t j = 0; j < W; ++j) out[j] = acc[j];
}

template <std::size_t... W>
constexpr auto add_rows_table(std::index_sequence<W...>) {
    return std::array{&add_rows_fixed<W + 1>...};
}

// out[j] += Σ_k g[rows[k]·n_out + j] for every column j < n_out (the rows in list order).
void add_rows(const double* g, std::size_t n_out, const std::uint32_t* rows, std::size_t n,
              double* out) {
    if (n == 0) return;
    static constexpr auto exact = add_rows_table(std::make_index_sequence<16>());
    if (n_out <= 16) return exact[n_out - 1](g, n_out, rows, n, out);  // one pass over the rows
    std::size_t j = 0;
    for (; j + 16 <= n_out; j += 16) add_rows_fixed<16>(g + j, n_out, rows, n, out + j);
    if (j < n_out) exact[n_out - j - 1](g + j, n_out, rows, n, out + j);
}

// The rows of [r0, r1) whose level has bit b set, in ascending order, into rows[]; their number.
// Without branches (whether a row is driven is data, unpredictable).
std::size_t driven_rows(const std::uint8_t* in, std::size_t r0, std::size_t r1, int b,
                        std::uint32_t* rows) {
    std::size_t n = 0;
    for (std::size_t i = r0; i < r1; ++i) {
        rows[n] = static_cast<std::uint32_t>(i);
        n += (in[i] >> b) & 1;
    }
    return n;
}

}  // namespace

void read_tile(const ForwardConfig& cfg, bool differential, std::size_t n_out, std::size_t rows,
               std::size_t active, double gsum, double plane_weight, double gain, double* colsum,
               double* pre, ReadCounts* counts) {
    const double dG = cfg.g_max - cfg.g_min;
    const double g_mid = 0.5 * (cfg.g_min + cfg.g_max);
    const double levels_adc = std::ldexp(1.0, cfg.adc_bits) - 1;
    if (counts) {
        counts->active_rows += static_cast<double>(active);
        counts->g_sum += gsum;
    }
    if (gain != 1.0)
        for (std::size_t j = 0; j < n_out; ++j) colsum[j] *= gain;
    const double n_rows = static_cast<double>(rows);
    // adc_range < 1: the converter's codes span that fraction of the signed full scale, centred on
    // zero (the reference column subtracted before the converter); beyond it the code clips.
    const double code_lo = -std::ldexp(1.0, cfg.adc_bits - 1),
                 code_hi = std::ldexp(1.0, cfg.adc_bits - 1) - 1;
    if (differential) {
        // Differential: column value Σ(G⁺ − G⁻) ∈ [−N·ΔG, N·ΔG]; w = (G⁺ − G⁻)/ΔG.
        const double q = cfg.adc_range * 2 * n_rows * dG / levels_adc;
        for (std::size_t j = 0; j < n_out; ++j) {
            double v = cfg.digital
                           ? colsum[j] / dG
                           : std::clamp(std::floor(colsum[j] / q), code_lo, code_hi) * q / dG;
            pre[j] += plane_weight * v;
        }
    } else if (cfg.adc_range < 1 && !cfg.digital) {
        const double ref = static_cast<double>(active) * g_mid * cfg.ref_scale * gain;
        const double q = cfg.adc_range * n_rows * dG / levels_adc;
        for (std::size_t j = 0; j < n_out; ++j) {
            const double v = std::clamp(std::floor((colsum[j] - ref) / q), code_lo, code_hi) * q;
            pre[j] += plane_weight * v / (0.5 * dG);
        }
    } else {
        const double ref = static_cast<double>(active) * g_mid * cfg.ref_scale *
                           gain;  // gain: compensation of the whole read
        const double q = n_rows * dG / levels_adc, ref_q = std::floor(ref / q);
        for (std::size_t j = 0; j < n_out; ++j) {
            double v = cfg.digital ? (colsum[j] - ref) / (0.5 * dG)
                                   : (std::floor(colsum[j] / q) - ref_q) * q / (0.5 * dG);
            pre[j] += plane_weight * v;
        }
    }
}

// Hardware read of one layer: pre[j] = Σ_bitplanes 2^b/(L−1) · quantised(Σ_i bit_i · w_ij).
void hardware_layer(const ForwardConfig& cfg, const LayerView& L, const std::uint8_t* in, int bits,
                    double max_level, std::vector<double>& pre, std::vector<double>& colsum,
                    ReadCounts* counts, std::uint64_t event, double gain) {
    const std::size_t n_in = L.n_in, n_out = L.n_out;
    const std::size_t tile = static_cast<std::size_t>(cfg.max_rows);
    const auto& gp = L.pos->conductances();
    const std::vector<double>* gn = L.neg ? &L.neg->conductances() : nullptr;
    const bool noisy = L.noisy_reads();
    std::fill(pre.begin(), pre.begin() + static_cast<std::ptrdiff_t>(n_out), 0.0);
    colsum.resize(n_out);
    constexpr std::size_t kBatch = 256;  // driven rows gathered per add_rows call
    std::uint32_t idx[kBatch];
    for (int b = 0; b < bits; ++b) {
        const double plane_weight = std::ldexp(1.0, b) / max_level;
        for (std::size_t r0 = 0; r0 < n_in; r0 += tile) {
            const std::size_t r1 = std::min(n_in, r0 + tile);
            std::fill(colsum.begin(), colsum.end(), 0.0);
            std::size_t active = 0;
            double gsum = 0;
            if (!noisy && !gn) {
                // The driven rows gathered without branches, added in ascending order.
                for (std::size_t i0 = r0; i0 < r1; i0 += kBatch) {
                    const std::size_t n = driven_rows(in, i0, std::min(r1, i0 + kBatch), b, idx);
                    active += n;
                    add_rows(gp.data(), n_out, idx, n, colsum.data());
                }
            } else {
                for (std::size_t i = r0; i < r1; ++i) {
                    if (!((in[i] >> b) & 1)) continue;
                    ++active;
                    const double* row = gp.data() + i * n_out;
                    for (std::size_t j = 0; j < n_out; ++j) {
                        double g = noisy ? L.pos->read(i * n_out + j, event) : row[j];
                        if (gn)
                            g -= noisy ? L.neg->read(i * n_out + j, event) : (*gn)[i * n_out + j];
                        colsum[j] += g;
                    }
                }
            }
            if (active == 0) continue;
            // Energy-relevant Σ G of the driven cells (both arrays of a pair).
            if (counts) {
                if (!gn && !noisy) {
                    for (std::size_t j = 0; j < n_out; ++j) gsum += colsum[j];
                } else {
                    for (std::size_t i = r0; i < r1; ++i) {
                        if (!((in[i] >> b) & 1)) continue;
                        const double* row = gp.data() + i * n_out;
                        for (std::size_t j = 0; j < n_out; ++j) gsum += row[j];
                        if (gn)
                            for (std::size_t j = 0; j < n_out; ++j) gsum += (*gn)[i * n_out + j];
                    }
                }
            }
            read_tile(cfg, gn != nullptr, n_out, r1 - r0, active, gsum, plane_weight, gain,
                      colsum.data(), pre.data(), counts);
        }
        if (counts) counts->bitplanes += 1;
    }
}

void hardware_layer_positions(const ForwardConfig& cfg, const LayerView& L,
                              const std::uint8_t* patches, std::size_t positions, int bits,
                              double max_level, double* pre, PositionsScratch& s,
                              ReadCounts* counts, double gain, bool parallel) {
    if (L.noisy_reads())
        throw std::logic_error(
            "hardware_layer_positions: arrays with read noise (use hardware_layer)");
    const std::size_t n_in = L.n_in, n_out = L.n_out;
    const std::size_t tile = static_cast<std::size_t>(cfg.max_rows);
    const std::size_t tiles = (n_in + tile - 1) / tile,
                      per_pos = static_cast<std::size_t>(bits) * tiles;
    const auto& gp = L.pos->conductances();
    const bool diff = L.neg != nullptr;
    const double* g = gp.data();
    if (diff) {
        // G⁺ − G⁻ per cell, the value hardware_layer adds (the same subtraction, so the same sums).
        const auto& gn = L.neg->conductances();
        s.diff.resize(n_in * n_out);
        for (std::size_t c = 0; c < n_in * n_out; ++c) s.diff[c] = gp[c] - gn[c];
        g = s.diff.data();
    }
    // Each position's counts of each (bit-plane, row tile), added below in hardware_layer's order.
    if (counts) s.rec.assign(positions * per_pos, ReadCounts{});
    const std::size_t chunks = (positions + kPositionChunk - 1) / kPositionChunk;
    if (s.chunk.size() < chunks) s.chunk.resize(chunks);
    auto run = [&](std::size_t ch) {
        auto& c = s.chunk[ch];
        c.colsum.resize(n_out);
        c.pre.resize(n_out);
        c.rows.resize(std::min(tile, n_in));
        const std::size_t p1 = std::min(positions, (ch + 1) * kPositionChunk);
        for (std::size_t p = ch * kPositionChunk; p < p1; ++p) {
            const std::uint8_t* in = patches + p * n_in;
            std::fill(c.pre.begin(), c.pre.end(), 0.0);
            for (int b = 0; b < bits; ++b) {
                const double plane_weight = std::ldexp(1.0, b) / max_level;
                for (std::size_t t = 0; t < tiles; ++t) {
                    const std::size_t r0 = t * tile, r1 = std::min(n_in, r0 + tile);
                    const std::size_t n = driven_rows(in, r0, r1, b, c.rows.data());
                    if (n == 0) continue;
                    std::fill(c.colsum.begin(), c.colsum.end(), 0.0);
                    add_rows(g, n_out, c.rows.data(), n, c.colsum.data());
                    ReadCounts* rc = counts ? &s.rec[p * per_pos + b * tiles + t] : nullptr;
                    double gsum = 0;
                    if (rc && !diff) {
                        for (std::size_t j = 0; j < n_out; ++j) gsum += c.colsum[j];
                    } else if (rc) {
                        const auto& gn = L.neg->conductances();
                        for (std::size_t k = 0; k < n; ++k) {
                            const std::size_t i = c.rows[k];
                            for (std::size_t j = 0; j < n_out; ++j) gsum += gp[i * n_out + j];
                            for (std::size_t j = 0; j < n_out; ++j) gsum += gn[i * n_out + j];
                        }
                    }
                    read_tile(cfg, diff, n_out, r1 - r0, n, gsum, plane_weight, gain,
                              c.colsum.data(), c.pre.data(), rc);
                }
            }
            for (std::size_t j = 0; j < n_out; ++j) pre[j * positions + p] = c.pre[j];
        }
    };
    if (parallel && chunks > 1)
        util::parallel_each(chunks, run);
    else
        for (std::size_t ch = 0; ch < chunks; ++ch) run(ch);
    if (!counts) return;
    for (std::size_t p = 0; p < positions; ++p)
        for (int b = 0; b < bits; ++b) {
            for (std::size_t t = 0; t < tiles; ++t) {
                const ReadCounts& r = s.rec[p * per_pos + b * tiles + t];
                counts->active_rows += r.active_rows;
                counts->g_sum += r.g_sum;
            }
            counts->bitplanes += 1;
        }
}

namespace {

// One (row tile, column tile) of a read with IR drop: rows [r0, r1) × columns [c0, c1) of a
// layer, the last physical column of a reference-column design being the reference at Gmid.
struct IrTile {
    std::size_t r0, r1, c0, c1;
    std::size_t rows() const { return r1 - r0; }
    std::size_t width() const { return c1 - c0; }
};

// Copies the tile's conductances (read noise applied when the arrays have it) into act.tile
// (G or G⁺, plus the reference column) and act.tile_neg (G⁻); idle rows are zero unless grounded.
void load_ir_tile(const ForwardConfig& cfg, const LayerView& L, const IrGeometry& geo,
                  const IrTile& T, Activations& act, std::uint64_t event) {
    const bool diff = L.neg != nullptr;
    const bool noisy = L.noisy_reads();
    const std::size_t n_out = L.n_out, w = T.width(), pc = w + (diff ? 0 : 1);
    const double g_mid = 0.5 * (cfg.g_min + cfg.g_max);
    auto cell = [&](const device::Array& a, std::size_t c) {
        return noisy ? a.read(c, event) : a.conductances()[c];
    };
    act.tile.resize(T.rows() * pc);
    if (diff) act.tile_neg.resize(T.rows() * w);
    for (std::size_t i = T.r0; i < T.r1; ++i) {
        double* t = act.tile.data() + (i - T.r0) * pc;
        if (!act.driven[i - T.r0] && !geo.grounded_idle_rows) {
            std::fill(t, t + pc, 0.0);
            if (diff)
                std::fill(act.tile_neg.begin() + static_cast<std::ptrdiff_t>((i - T.r0) * w),
                          act.tile_neg.begin() + static_cast<std::ptrdiff_t>((i - T.r0 + 1) * w),
                          0.0);
            continue;
        }
        for (std::size_t j = T.c0; j < T.c1; ++j) t[j - T.c0] = cell(*L.pos, i * n_out + j);
        if (diff)
            for (std::size_t j = T.c0; j < T.c1; ++j)
                act.tile_neg[(i - T.r0) * w + j - T.c0] = cell(*L.neg, i * n_out + j);
        else
            t[w] = g_mid * cfg.ref_scale;
    }
}

// The column currents of a loaded tile into act.colsum (G⁺ − G⁻ for pairs, the reference last
// otherwise); adds the energy-relevant currents of both arrays to gsum, column by column.
void solve_ir_tile(const ForwardConfig& cfg, const IrGeometry& geo, const IrTile& T, bool diff,
                   Activations& act, double& gsum) {
    const std::size_t rows = T.rows(), w = T.width(), pc = w + (diff ? 0 : 1);
    auto solve = [&](const std::vector<double>& tile, std::size_t width, std::vector<double>& res) {
        res.resize(width);
        if (cfg.ir_mode == IrMode::exact)
            res = ir_exact(geo, tile.data(), rows, width, act.driven.data());
        else
            ir_first_order(geo, tile.data(), rows, width, act.driven.data(), res.data(), act.ir);
    };
    solve(act.tile, pc, act.ir_out);
    act.colsum.assign(act.ir_out.begin(), act.ir_out.end());
    if (diff) {
        solve(act.tile_neg, w, act.ir_out);
        for (std::size_t j = 0; j < w; ++j) {
            gsum += act.colsum[j] + act.ir_out[j];
            act.colsum[j] -= act.ir_out[j];
        }
    } else {
        for (std::size_t j = 0; j < w; ++j) gsum += act.colsum[j];
    }
}

// The converter's reading of a solved tile's columns (quantum q), added to pre[c0 …] with the
// bit-plane's weight.
void quantise_ir_tile(const ForwardConfig& cfg, const IrTile& T, bool diff, double q, double gain,
                      double plane_weight, const std::vector<double>& colsum, double* pre) {
    const double dG = cfg.g_max - cfg.g_min;
    const std::size_t w = T.width();
    for (std::size_t j = 0; j < w; ++j) {
        const double col = colsum[j] * gain;
        double v;
        if (diff)
            v = cfg.digital ? col / dG : std::floor(col / q) * q / dG;
        else {
            const double ref =
                colsum[w] * gain;  // the compensation scales the whole read, reference included
            v = cfg.digital ? (col - ref) / (0.5 * dG)
                            : (std::floor(col / q) - std::floor(ref / q)) * q / (0.5 * dG);
        }
        pre[T.c0 + j] += plane_weight * v;
    }
}

// The same read with IR drop (ir_drop.hpp): every (row tile, column tile) is solved as one array
// whose reference column (reference-column design) is the tile's last physical column at Gmid.
void hardware_layer_ir(const ForwardConfig& cfg, const LayerView& L, const IrGeometry& geo,
                       const std::uint8_t* in, int bits, double max_level, Activations& act,
                       ReadCounts* counts, std::uint64_t event, double gain) {
    const std::size_t n_in = L.n_in, n_out = L.n_out;
    const double dG = cfg.g_max - cfg.g_min;
    const std::size_t rtile = static_cast<std::size_t>(cfg.max_rows),
                      ctile = static_cast<std::size_t>(cfg.max_cols);
    const double levels_adc = std::ldexp(1.0, cfg.adc_bits) - 1;
    const bool diff = L.neg != nullptr;
    auto& pre = act.pre;
    std::fill(pre.begin(), pre.begin() + static_cast<std::ptrdiff_t>(n_out), 0.0);
    for (int b = 0; b < bits; ++b) {
        const double plane_weight = std::ldexp(1.0, b) / max_level;
        for (std::size_t r0 = 0; r0 < n_in; r0 += rtile) {
            const std::size_t r1 = std::min(n_in, r0 + rtile), rows = r1 - r0;
            act.driven.resize(rows);
            std::size_t active = 0;
            for (std::size_t i = r0; i < r1; ++i) active += act.driven[i - r0] = (in[i] >> b) & 1;
            if (active == 0) continue;
            double gsum = 0;
            const double q = (diff ? 2 : 1) * static_cast<double>(rows) * dG / levels_adc;
            for (std::size_t c0 = 0; c0 < n_out; c0 += ctile) {
                const IrTile T{r0, r1, c0, std::min(n_out, c0 + ctile)};
                load_ir_tile(cfg, L, geo, T, act, event);
                solve_ir_tile(cfg, geo, T, diff, act, gsum);
                quantise_ir_tile(cfg, T, diff, q, gain, plane_weight, act.colsum, pre.data());
            }
            if (counts) {
                counts->active_rows += static_cast<double>(active);
                counts->g_sum += gsum;
            }
        }
        if (counts) counts->bitplanes += 1;
    }
}

void software_layer(const LayerView& L, const std::vector<double>& x, std::vector<double>& pre) {
    const auto& w = *L.w;
    std::fill(pre.begin(), pre.begin() + static_cast<std::ptrdiff_t>(L.n_out), 0.0);
    for (std::size_t i = 0; i < L.n_in; ++i) {
        const double xi = x[i];
        if (xi == 0) continue;
        const double* row = w.data() + i * L.n_out;
        for (std::size_t j = 0; j < L.n_out; ++j) pre[j] += xi * row[j];
    }
}

}  // namespace

void forward(const ForwardConfig& cfg, const std::vector<LayerView>& layers,
             const std::uint8_t* input_levels, double input_max_level, Activations& act,
             ReadCounts* counts, std::uint64_t event) {
    const std::size_t nl = layers.size();
    act.value.resize(nl + 1);
    act.levels.resize(nl);
    const std::size_t n0 = layers[0].n_in;
    act.value[0].resize(n0);
    act.levels[0].assign(input_levels, input_levels + n0);
    for (std::size_t i = 0; i < n0; ++i) act.value[0][i] = input_levels[i] / input_max_level;
    for (std::size_t l = 0; l < nl; ++l) {
        const auto& L = layers[l];
        act.pre.resize(std::max(act.pre.size(), L.n_out));
        if (cfg.hardware) {
            const int bits = l == 0 ? cfg.input_bits : 1;
            const double maxlev = l == 0 ? input_max_level : 1.0;
            const double gain = cfg.read_gain.empty() ? 1.0 : cfg.read_gain[l];
            if (cfg.ir_mode != IrMode::none)
                hardware_layer_ir(cfg, L, cfg.ir[l], act.levels[l].data(), bits, maxlev, act,
                                  counts ? &counts[l] : nullptr, event, gain);
            else
                hardware_layer(cfg, L, act.levels[l].data(), bits, maxlev, act.pre, act.colsum,
                               counts ? &counts[l] : nullptr, event, gain);
            apply_weight_scale(cfg, l, act.pre.data(), L.n_out);
        } else {
            software_layer(L, act.value[l], act.pre);
        }
        auto& out = act.value[l + 1];
        out.resize(L.n_out);
        for (std::size_t j = 0; j < L.n_out; ++j) out[j] = activate(cfg.activation, act.pre[j]);
        if (l + 1 < nl) {
            auto& lv = act.levels[l + 1];
            lv.resize(L.n_out);
            for (std::size_t j = 0; j < L.n_out; ++j)
                lv[j] = out[j] >= cfg.hidden_threshold ? 1 : 0;
        }
    }
}

int predicted_class(const Activations& act) {
    const auto& out = act.value.back();
    return static_cast<int>(std::max_element(out.begin(), out.end()) - out.begin());
}

}  // namespace synbench::sim
