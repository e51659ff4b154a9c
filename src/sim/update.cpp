// The weight update of one training step: gradient, optimizer, Δw → programming pulses through the
// device model, optional write-verify, half-select disturb — and the activity counts of all of it.
//
// Work is cut into fixed chunks of kRowChunk rows per layer. Each chunk writes only its own rows
// and its own counts, and the counts are added chunk by chunk in a fixed order, so the result does
// not depend on which thread ran which chunk. The layers of one step are independent of each other
// (the deltas were computed before any write), so all chunks of all layers form one parallel loop:
// one fork and one join per step, and an image whose active pixels sit in one half of the picture
// still keeps both threads busy.
#include <algorithm>
#include <cmath>

#include "device/model.hpp"
#include "sim/program.hpp"
#include "sim/trainer.hpp"
#include "sim/trainer_layer.hpp"
#include "util/parallel.hpp"
#include "util/rng.hpp"

namespace synbench::sim {

namespace {
constexpr std::size_t kRowChunk =
    16;  // rows per update chunk (fixed: results never depend on threads)
}

UpdatePolicy Trainer::choose_update(const Experiment& ex, const ForwardConfig& cfg,
                                    const nn::Optimizer& opt) {
    const auto& hw = ex.hardware;
    UpdatePolicy p;
    const bool batch1 = ex.network.training.batch_size == 1;
    // A layer graph forms its gradients in back-propagation (a conv layer's is a sum over
    // positions).
    p.gradient = batch1 && !uses_graph(ex.network) ? UpdatePolicy::Gradient::outer_product
                                                   : UpdatePolicy::Gradient::accumulated;
    p.weights = cfg.hardware ? UpdatePolicy::Weights::pulses : UpdatePolicy::Weights::software;
    p.rounding = hw.update == "stochastic" ? UpdatePolicy::Rounding::stochastic
                                           : UpdatePolicy::Rounding::nearest;
    // With SGD and batch 1 a row whose input is 0 has a zero gradient and no update: skip it.
    p.skip_zero_rows = opt.sparse_safe() && batch1;
    p.verify = cfg.hardware && hw.program == circuit::Program::write_verify;
    p.half_select = cfg.hardware && ex.device.half_select_disturb > 0;
    return p;
}

// One layer's update of one step. Built on the training thread, run chunk by chunk (any thread),
// then finished on the training thread.
class Trainer::LayerUpdate {
   public:
    LayerUpdate(Trainer& t, std::size_t l, std::uint64_t event)
        : t_(t),
          L_(*t.layers_[l]),
          l_(l),
          event_(event),
          n_out_(L_.n_out),
          card_(t.ex_.device),
          cyc_(t.cycles_[l]),
          policy_(t.update_) {
        const auto& cfg = t.cfg_;
        const auto& hw = t.ex_.hardware;
        if (cfg.hardware) {
            half_ltp_ = 0.5 * t.model_->levels_ltp();
            half_ltd_ = 0.5 * t.model_->levels_ltd();
            step_ltp_ = (cfg.g_max - cfg.g_min) / t.model_->levels_ltp();
            step_ltd_ = (cfg.g_max - cfg.g_min) / t.model_->levels_ltd();
        }
        scale_ = weight_scale_of(cfg, l);
        drivers_ = (n_out_ + static_cast<std::size_t>(hw.write_mux) - 1) /
                   static_cast<std::size_t>(hw.write_mux);
        tol_ = hw.verify_tolerance * (cfg.g_max - cfg.g_min);
        if (policy_.half_select && L_.up.empty()) {
            for (int a = 0; a < (L_.neg ? 2 : 1); ++a) {
                L_.up.emplace_back(L_.n_in * n_out_, 0);
                L_.down.emplace_back(L_.n_in * n_out_, 0);
            }
            L_.row_up.assign(L_.n_in, 0);
            L_.row_down.assign(L_.n_in, 0);
        }
        part_.resize(chunks());
    }

    std::size_t chunks() const { return (L_.n_in + kRowChunk - 1) / kRowChunk; }

    void run_chunk(std::size_t ch);

    // Adds the chunks' counts in chunk order, then applies the step's half-select disturb.
    void finish(WriteCounts& wc) {
        for (const auto& pc : part_) wc += pc;
        if (policy_.half_select) t_.apply_half_select(L_, l_, wc);
    }

   private:
    // Per-row working memory of a chunk: pulses per column (G, then G⁻) and, with write-verify,
    // per-cell targets, corrective pulses and remaining budgets.
    struct RowScratch {
        std::vector<int> pulses, pulses_neg;
        std::vector<double> tgt, tgt_n;
        std::vector<int> corr, corr_n, bud, bud_n;
        // Stochastic rounding: the row's cells with Δw ≠ 0, their Rng keys and draws.
        std::vector<std::size_t> cols;
        std::vector<std::uint64_t> keys;
        std::vector<double> exact, draws;
    };
    RowScratch scratch() const {
        const std::size_t nv = policy_.verify ? n_out_ : 0,
                          nvn = policy_.verify && L_.neg ? n_out_ : 0;
        return RowScratch{std::vector<int>(n_out_),
                          std::vector<int>(L_.neg ? n_out_ : 0),
                          std::vector<double>(nv),
                          std::vector<double>(nvn),
                          std::vector<int>(nv),
                          std::vector<int>(nvn),
                          std::vector<int>(nv),
                          std::vector<int>(nvn),
                          {},
                          {},
                          {},
                          {}};
    }
    // The conductance an open-loop train of np nominal pulses aims at (linear steps of ΔG/Pmax).
    double verify_target(const device::Array& arr, std::size_t c, int np) const {
        return std::clamp(arr.g(c) + np * (np > 0 ? step_ltp_ : step_ltd_), arr.cell_g_min(c),
                          arr.cell_g_max(c));
    }
    const double* optimizer_step(std::size_t i);
    // Δw in pulses before rounding: Δw/s · Pmax/2 (Pmax of the pulse's direction).
    double exact_pulses(double dw) const { return dw / scale_ * (dw > 0 ? half_ltp_ : half_ltd_); }
    bool pulses_of(std::size_t i, const double* dw, RowScratch& s) const;
    void program_row(std::size_t i, RowScratch& s, WriteCounts& pc);
    void verify_row(std::size_t i, RowScratch& s, WriteCounts& pc);
    void write_pass(std::size_t i, const int* pp, const int* pn, std::uint64_t ev, WriteCounts& pc);

    Trainer& t_;
    Trainer::Layer& L_;
    std::size_t l_;
    std::uint64_t event_;
    std::size_t n_out_;
    const device::Card& card_;
    std::vector<std::uint32_t>& cyc_;
    const UpdatePolicy& policy_;
    double half_ltp_ = 0, half_ltd_ = 0, step_ltp_ = 0, step_ltd_ = 0, scale_ = 1, tol_ = 0;
    std::size_t drivers_ = 1;
    std::vector<WriteCounts> part_;
};

// Programs row i with pp pulses on G (G⁺) and pn on G⁻ (pairs), column batch by column batch.
void Trainer::LayerUpdate::write_pass(std::size_t i, const int* pp, const int* pn, std::uint64_t ev,
                                      WriteCounts& pc) {
    auto& L = L_;
    const bool disturb = policy_.half_select;
    for (std::size_t b0 = 0; b0 < n_out_; b0 += drivers_) {
        int max_ltp = 0, max_ltd = 0;
        for (std::size_t j = b0; j < std::min(n_out_, b0 + drivers_); ++j) {
            if (pp[j] == 0 && (!L.neg || pn[j] == 0)) continue;
            const std::size_t c = i * n_out_ + j;
            auto program = [&](device::Array& arr, int np, int a) {
                if (np == 0) return;
                const double g0 = arr.g(c);
                const double g1 = arr.program(c, np, ev);
                const auto& dir = np > 0 ? card_.ltp : card_.ltd;
                pc.device_energy_J +=
                    device::pulse_train(dir, std::abs(np)).sum_v2_t * 0.5 * (g0 + g1);
                if (np > 0) {
                    pc.pulses_ltp += np;
                    max_ltp = std::max(max_ltp, np);
                } else {
                    pc.pulses_ltd += -np;
                    max_ltd = std::max(max_ltd, -np);
                }
                if (disturb)
                    (np > 0 ? L.up : L.down)[static_cast<std::size_t>(a)][c] += std::abs(np);
            };
            program(*L.pos, pp[j], 0);
            if (L.neg) {
                program(*L.neg, pn[j], 1);
                cyc_[c] += static_cast<std::uint32_t>(std::max(std::abs(pp[j]), std::abs(pn[j])));
            } else {
                cyc_[c] += static_cast<std::uint32_t>(std::abs(pp[j]));
            }
            L.w[c] = t_.cell_weight(L, l_, c);
        }
        pc.pulse_slots += max_ltp + max_ltd;
        if (max_ltp) pc.train_latency_s += device::pulse_train(card_.ltp, max_ltp).sum_t;
        if (max_ltd) pc.train_latency_s += device::pulse_train(card_.ltd, max_ltd).sum_t;
        if (disturb) {
            L.row_up[i] += max_ltp;
            L.row_down[i] += max_ltd;
        }
    }
}

// Row i's gradient (formed here with batch 1) and the optimizer's Δw for it.
const double* Trainer::LayerUpdate::optimizer_step(std::size_t i) {
    const std::size_t n_out = n_out_;
    double* grow = t_.grad_[l_].data() + i * n_out;
    double* dw = t_.dw_[l_].data() + i * n_out;
    if (policy_.gradient == UpdatePolicy::Gradient::outer_product) {
        const double xi = t_.act_.value[l_][i];
        const auto& d = t_.delta_[l_];
        for (std::size_t j = 0; j < n_out; ++j) grow[j] = xi * d[j];
    }
    t_.opt_.step(l_, i * n_out, grow, dw, n_out, t_.steps_);
    return dw;
}

// Row i's pulses per column (s.pulses); false when the row gets none. round(Δw/2 · Pmax) to
// nearest, or stochastically: ⌊x⌋ + 1 with probability x − ⌊x⌋, the draw of cell c keyed by
// (seed, layer << 40 ^ c, image); a cell with Δw = 0 gets no pulse (and no draw) either way.
bool Trainer::LayerUpdate::pulses_of(std::size_t i, const double* dw, RowScratch& s) const {
    auto& pulses = s.pulses;
    bool any = false;
    if (policy_.rounding == UpdatePolicy::Rounding::nearest) {
        for (std::size_t j = 0; j < n_out_; ++j) {
            const double x = exact_pulses(dw[j]);
            pulses[j] = std::fabs(x) < 0.5 ? 0 : static_cast<int>(std::lround(x));
            any |= pulses[j] != 0;
        }
        return any;
    }
    s.cols.resize(n_out_);
    s.keys.resize(n_out_);
    s.exact.resize(n_out_);
    s.draws.resize(n_out_);
    const std::uint64_t row_key = (static_cast<std::uint64_t>(l_) << 40) ^ (i * n_out_);
    std::size_t m = 0;
    for (std::size_t j = 0; j < n_out_; ++j) {
        pulses[j] = 0;
        // Written for every column, kept (m advances) only for Δw ≠ 0: no unpredictable branch.
        s.cols[m] = j;
        s.keys[m] = row_key + j;
        s.exact[m] = exact_pulses(dw[j]);
        m += dw[j] != 0 ? 1 : 0;
    }
    util::Rng::first_uniforms(t_.ex_.seed, util::Stream::stochastic_rounding, s.keys.data(), m,
                              event_, s.draws.data());
    for (std::size_t k = 0; k < m; ++k) {
        const double f = std::floor(s.exact[k]);
        const int n = static_cast<int>(f) + (s.draws[k] < s.exact[k] - f ? 1 : 0);
        pulses[s.cols[k]] = n;
        any |= n != 0;
    }
    return any;
}

// Programs row i with s.pulses (G⁻ the opposite), then write-verifies it if the policy says so.
void Trainer::LayerUpdate::program_row(std::size_t i, RowScratch& s, WriteCounts& pc) {
    const auto& L = L_;
    const std::size_t n_out = n_out_;
    if (L.neg)
        for (std::size_t j = 0; j < n_out; ++j) s.pulses_neg[j] = -s.pulses[j];
    if (policy_.verify) {
        const int budget = t_.ex_.hardware.verify_max_pulses;
        for (std::size_t j = 0; j < n_out; ++j) {
            if (s.pulses[j] == 0) continue;
            s.tgt[j] = verify_target(*L.pos, i * n_out + j, s.pulses[j]);
            s.bud[j] = budget;
            if (L.neg) {
                s.tgt_n[j] = verify_target(*L.neg, i * n_out + j, -s.pulses[j]);
                s.bud_n[j] = budget;
            }
        }
    }
    write_pass(i, s.pulses.data(), s.pulses_neg.data(), event_, pc);
    if (policy_.verify) verify_row(i, s, pc);
}

// Reads row i back (read noise applies), corrects the cells outside the tolerance, and repeats
// until every cell is within it or out of budget. Round r keys its noise by event | r << 52
// (training and test events stay below bit 52 / at bit 62).
void Trainer::LayerUpdate::verify_row(std::size_t i, RowScratch& s, WriteCounts& pc) {
    const auto& L = L_;
    const std::size_t n_out = n_out_;
    for (std::uint64_t round = 1;; ++round) {
        const std::uint64_t ev = event_ | (round << 52);
        pc.verify_reads += 1;
        bool again = false;
        for (std::size_t j = 0; j < n_out; ++j) {
            const std::size_t c = i * n_out + j;
            pc.verify_g_sum += L.pos->g(c) + (L.neg ? L.neg->g(c) : 0.0);
            s.corr[j] = 0;
            if (L.neg) s.corr_n[j] = 0;
            if (s.pulses[j] == 0) continue;
            s.corr[j] = verify_correction(L.pos->read(c, ev), s.tgt[j], tol_, step_ltp_, step_ltd_,
                                          s.bud[j]);
            s.bud[j] -= std::abs(s.corr[j]);
            pc.verify_pulses += std::abs(s.corr[j]);
            if (L.neg) {
                s.corr_n[j] = verify_correction(L.neg->read(c, ev), s.tgt_n[j], tol_, step_ltp_,
                                                step_ltd_, s.bud_n[j]);
                s.bud_n[j] -= std::abs(s.corr_n[j]);
                pc.verify_pulses += std::abs(s.corr_n[j]);
            }
            again |= s.corr[j] != 0 || (L.neg && s.corr_n[j] != 0);
        }
        if (!again) break;
        write_pass(i, s.corr.data(), s.corr_n.data(), ev, pc);
    }
}

// Gradient, optimizer step and programming of rows [16·ch, 16·ch + 16) of the layer.
void Trainer::LayerUpdate::run_chunk(std::size_t ch) {
    WriteCounts& pc = part_[ch];
    RowScratch s = scratch();
    const auto& x = t_.row_inputs(l_);
    const std::size_t r0 = ch * kRowChunk, r1 = std::min(L_.n_in, r0 + kRowChunk);
    for (std::size_t i = r0; i < r1; ++i) {
        if (policy_.skip_zero_rows && x[i] == 0) continue;
        pc.stepped_rows += 1;
        const double* dw = optimizer_step(i);
        if (policy_.weights == UpdatePolicy::Weights::software) {
            double* w = L_.w.data() + i * n_out_;
            for (std::size_t j = 0; j < n_out_; ++j) w[j] = std::clamp(w[j] + dw[j], -1.0, 1.0);
            continue;
        }
        if (!pulses_of(i, dw, s)) continue;
        pc.rows += 1;
        program_row(i, s, pc);
    }
}

// The update of every layer for one step (their deltas are all known: backprop is done).
void Trainer::apply_updates(std::uint64_t event, EpochCounts& counts, bool parallel) {
    std::vector<LayerUpdate> jobs;
    jobs.reserve(layers_.size());
    std::vector<std::pair<std::size_t, std::size_t>> work;  // (layer, chunk), layer-major
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        jobs.emplace_back(*this, l, event);
        for (std::size_t ch = 0; ch < jobs.back().chunks(); ++ch) work.emplace_back(l, ch);
    }
    if (parallel && work.size() > 1) {
        // Chunks one by one: the active rows of an image are unevenly spread over the picture, so
        // fixed halves would leave one thread waiting; work stealing balances them.
        util::parallel_each(work.size(),
                            [&](std::size_t k) { jobs[work[k].first].run_chunk(work[k].second); });
    } else {
        for (const auto& [l, ch] : work) jobs[l].run_chunk(ch);
    }
    for (std::size_t l = 0; l < layers_.size(); ++l) jobs[l].finish(counts.write[l]);
}

// Half-select disturb of the V/2 scheme, aggregated over one update: every LTP (LTD) pulse slot of
// row i's write half-selects the row's other cells, every pulse on cell (i, j) half-selects the
// other cells of column j in the same row tile; each half-selected pulse moves a cell by
// ± half_select_disturb · (Gmax − Gmin) in the direction of the full pulse's polarity.
void Trainer::apply_half_select(Layer& L, std::size_t l, WriteCounts& wc) {
    const std::size_t n_out = L.n_out, tile = static_cast<std::size_t>(cfg_.max_rows);
    const double step = ex_.device.half_select_disturb * (cfg_.g_max - cfg_.g_min);
    std::vector<long> col_up(n_out), col_down(n_out);
    for (std::size_t a = 0; a < L.up.size(); ++a) {
        device::Array& arr = a == 0 ? *L.pos : *L.neg;
        auto& up = L.up[a];
        auto& down = L.down[a];
        for (std::size_t r0 = 0; r0 < L.n_in; r0 += tile) {
            const std::size_t r1 = std::min(L.n_in, r0 + tile);
            std::fill(col_up.begin(), col_up.end(), 0);
            std::fill(col_down.begin(), col_down.end(), 0);
            for (std::size_t i = r0; i < r1; ++i)
                for (std::size_t j = 0; j < n_out; ++j) {
                    col_up[j] += up[i * n_out + j];
                    col_down[j] += down[i * n_out + j];
                }
            for (std::size_t i = r0; i < r1; ++i)
                for (std::size_t j = 0; j < n_out; ++j) {
                    const std::size_t c = i * n_out + j;
                    const long hu = (L.row_up[i] - up[c]) + (col_up[j] - up[c]);
                    const long hd = (L.row_down[i] - down[c]) + (col_down[j] - down[c]);
                    up[c] = down[c] = 0;
                    if (hu == 0 && hd == 0) continue;
                    wc.halfselect_pulses += static_cast<double>(hu + hd);
                    arr.disturb(c, step * static_cast<double>(hu - hd));
                }
        }
    }
    std::fill(L.row_up.begin(), L.row_up.end(), 0);
    std::fill(L.row_down.begin(), L.row_down.end(), 0);
    for (std::size_t c = 0; c < L.w.size(); ++c) L.w[c] = cell_weight(L, l, c);
}

}  // namespace synbench::sim
