#include "sim/trainer.hpp"
#include "sim/trainer_layer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <istream>
#include <numeric>
#include <ostream>
#include <stdexcept>

#include "circuit/subarray.hpp"
#include "tech/wire.hpp"
#include "util/parallel.hpp"
#include "util/rng.hpp"

namespace synbench::sim {

namespace {

constexpr std::size_t kTestChunk = 250;  // test images per evaluation chunk

Activation activation_of(const std::string& s) {
    return s == "tanh" ? Activation::tanh : s == "relu" ? Activation::relu : Activation::sigmoid;
}

void write_vec(std::ostream& o, const std::vector<double>& v) {
    std::uint64_t n = v.size();
    o.write(reinterpret_cast<const char*>(&n), sizeof n);
    o.write(reinterpret_cast<const char*>(v.data()),
            static_cast<std::streamsize>(n * sizeof(double)));
}
void read_vec(std::istream& in, std::vector<double>& v, std::size_t expect) {
    std::uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), sizeof n);
    if (!in || n != expect)
        throw std::runtime_error("checkpoint does not match this configuration (vector size)");
    v.resize(n);
    in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(double)));
    if (!in) throw std::runtime_error("checkpoint is truncated");
}

}  // namespace

std::vector<LayerView> Snapshot::views() const {
    std::vector<LayerView> v;
    for (std::size_t l = 0; l < n_in.size(); ++l) {
        LayerView lv;
        lv.n_in = n_in[l];
        lv.n_out = n_out[l];
        if (cfg.hardware) {
            lv.pos = pos[l].get();
            lv.neg = neg[l] ? neg[l].get() : nullptr;
        } else {
            lv.w = &w[l];
        }
        v.push_back(lv);
    }
    return v;
}

Trainer::Trainer(const Experiment& ex, const nn::Dataset& train)
    : ex_(ex), train_(train), opt_(ex.network.training.optimizer, [&] {
          std::vector<std::size_t> sizes;
          for (const auto& [r, c] : weight_shapes(ex.network)) sizes.push_back(r * c);
          return sizes;
      }()) {
    const auto& hw = ex.hardware;
    cfg_.hardware = hw.enabled;
    cfg_.differential = hw.signed_weights == circuit::SignedWeights::differential;
    cfg_.digital = ex.device.model == "digital";
    cfg_.g_min = ex.device.g_min;
    cfg_.g_max = ex.device.g_max;
    cfg_.adc_bits = hw.adc_bits;
    cfg_.adc_range = hw.adc_range;
    cfg_.max_rows = hw.max_rows;
    cfg_.input_bits = train.bits;
    cfg_.hidden_threshold = hw.hidden_threshold;
    cfg_.activation = activation_of(ex.network.activation);
    cfg_.max_cols = hw.max_cols;
    if (cfg_.hardware) model_ = device::make_model(ex.device);
    if (cfg_.hardware && hw.ir_drop != circuit::IrDrop::none) {
        cfg_.ir_mode = hw.ir_drop == circuit::IrDrop::exact ? IrMode::exact : IrMode::first_order;
        cfg_.ir = ir_geometry(ex);
    }
    if (cfg_.ir_mode != IrMode::none && hw.adc_range < 1)
        throw std::invalid_argument(
            "hardware.adc_range: a converter spanning part of the full scale is not modelled with "
            "IR drop; expected adc_range: 1 with hardware.ir_drop");
    update_ = choose_update(ex, cfg_, opt_);
    if (uses_graph(ex.network)) {
        if (cfg_.hardware && cfg_.ir_mode != IrMode::none)
            throw std::invalid_argument(
                "hardware.ir_drop: IR drop is modelled for dense (MLP) networks only; expected "
                "ir_drop: none for a layer-graph network");
        plan_ = std::make_shared<const GraphPlan>(
            plan_of(ex.network.graph, ex.hardware.activation_bits));
    }

    const auto shapes = weight_shapes(ex.network);
    const double g_mid = 0.5 * (cfg_.g_min + cfg_.g_max), half = 0.5 * (cfg_.g_max - cfg_.g_min);
    const bool xavier_init = ex.network.training.initial_weights == "xavier";
    for (std::size_t l = 0; l < shapes.size(); ++l) {
        auto L = std::make_unique<Layer>();
        L->n_in = shapes[l].first;
        L->n_out = shapes[l].second;
        const std::size_t n = L->n_in * L->n_out;
        L->w.resize(n);
        L->grad_acc.assign(ex.network.training.batch_size > 1 ? n : 0, 0.0);
        // The initial weights' bound: Glorot's, or the reference's {−1, −2/3, …, 1}.
        const double bound =
            xavier_init ? std::sqrt(6.0 / static_cast<double>(L->n_in + L->n_out)) : 1.0;
        for (std::size_t c = 0; c < n; ++c) {
            util::Rng r(ex.seed, util::Stream::init_weights, l, c);
            L->w[c] = xavier_init ? (2 * r.uniform() - 1) * bound
                                  : (static_cast<double>(r.below(7)) - 3.0) / 3.0;
        }
        if (cfg_.hardware && hw.weight_range == circuit::WeightRange::initial) {
            cfg_.weight_scale.resize(shapes.size(), 1.0);
            cfg_.weight_scale[l] = bound / hw.initial_fill;
        }
        if (cfg_.hardware) {
            L->pos = model_->make_array(n, ex.seed, 2 * l);
            if (cfg_.differential) L->neg = model_->make_array(n, ex.seed, 2 * l + 1);
            const double s = weight_scale_of(cfg_, l);
            for (std::size_t c = 0; c < n; ++c) {
                // Initial programming is not charged: the run starts from a programmed array.
                const double u = L->w[c] / s;  // the weight in units of a full-scale cell
                if (cfg_.differential) {
                    L->pos->set(c, g_mid + u * half);
                    L->neg->set(c, g_mid - u * half);
                } else {
                    L->pos->set(c, g_mid + u * half);
                }
                L->w[c] = cell_weight(*L, l, c);
            }
        }
        cycles_.emplace_back(n, 0u);
        delta_.emplace_back(L->n_out, 0.0);
        grad_.emplace_back(n, 0.0);
        dw_.emplace_back(n, 0.0);
        if (plan_) rowx_.emplace_back(L->n_in, 0.0);
        layers_.push_back(std::move(L));
    }
}

Trainer::~Trainer() = default;

double Trainer::cell_weight(const Layer& L, std::size_t l, std::size_t c) const {
    const double half = 0.5 * (cfg_.g_max - cfg_.g_min);
    const double u = L.neg ? (L.pos->g(c) - L.neg->g(c)) / (2 * half)
                           : (L.pos->g(c) - 0.5 * (cfg_.g_min + cfg_.g_max)) / half;
    return weight_scale_of(cfg_, l) * u;
}

// The layers as the forward pass reads them (arrays and the software copy of the weights).
std::vector<LayerView> Trainer::layer_views() const {
    std::vector<LayerView> views;
    for (const auto& L : layers_) {
        LayerView v;
        v.n_in = L->n_in;
        v.n_out = L->n_out;
        v.pos = L->pos.get();
        v.neg = L->neg.get();
        v.w = &L->w;
        views.push_back(v);
    }
    return views;
}

Snapshot Trainer::snapshot() const {
    Snapshot s;
    s.cfg = cfg_;
    s.plan = plan_;
    for (const auto& L : layers_) {
        s.n_in.push_back(L->n_in);
        s.n_out.push_back(L->n_out);
        s.pos.push_back(L->pos ? L->pos->clone() : nullptr);
        s.neg.push_back(L->neg ? L->neg->clone() : nullptr);
        s.w.push_back(cfg_.hardware ? std::vector<double>{} : L->w);
    }
    return s;
}

void Trainer::train_epoch(int epoch, EpochCounts& counts, bool parallel) {
    const auto& tr = ex_.network.training;
    const std::size_t n = static_cast<std::size_t>(tr.images_per_epoch);
    const std::size_t pool = train_.size();
    std::vector<std::uint32_t> order;
    if (tr.sampling == "shuffle") {
        order.resize(pool);
        std::iota(order.begin(), order.end(), 0u);
        util::Rng r(ex_.seed, util::Stream::shuffle, static_cast<std::uint64_t>(epoch));
        for (std::size_t i = pool - 1; i > 0; --i) std::swap(order[i], order[r.below(i + 1)]);
    }
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t idx;
        if (order.empty()) {
            util::Rng r(ex_.seed, util::Stream::sample_images, static_cast<std::uint64_t>(epoch),
                        k);
            idx = r.below(pool);
        } else {
            idx = order[k % pool];
        }
        const std::uint64_t event = static_cast<std::uint64_t>(epoch) * n + k + 1;
        const bool flush = tr.batch_size == 1 ||
                           (k + 1) % static_cast<std::size_t>(tr.batch_size) == 0 || k + 1 == n;
        train_image(idx, event, counts, parallel, flush);
    }
    counts.train_images += static_cast<double>(n);
}

void Trainer::train_image(std::size_t index, std::uint64_t event, EpochCounts& counts,
                          bool parallel, bool flush) {
    if (plan_) {
        gact_.parallel_positions = parallel;
        train_image_graph(index, event, counts);
        ++batch_fill_;
        if (!flush) return;
        ++steps_;
        if (ex_.network.training.batch_size > 1)
            for (std::size_t l = 0; l < layers_.size(); ++l) {
                auto& L = *layers_[l];
                const double inv = 1.0 / batch_fill_;
                for (std::size_t c = 0; c < L.grad_acc.size(); ++c) {
                    grad_[l][c] = L.grad_acc[c] * inv;
                    L.grad_acc[c] = 0;
                }
            }
        apply_updates(event, counts, parallel);
        batch_fill_ = 0;
        return;
    }
    const auto views = layer_views();
    forward(cfg_, views, train_.row(index), train_.max_level(), act_,
            cfg_.hardware ? counts.train_read.data() : nullptr, event);

    // Back-propagation (floating point; the mean-squared error of the reference, target one-hot).
    const std::size_t nl = layers_.size();
    const int label = train_.labels[index];
    {
        const auto& y = act_.value[nl];
        auto& d = delta_[nl - 1];
        for (std::size_t j = 0; j < y.size(); ++j) {
            const double t = static_cast<int>(j) == label ? 1.0 : 0.0;
            d[j] = -2.0 * (t - y[j]) * activate_derivative(cfg_.activation, y[j], y[j]);
        }
    }
    for (std::size_t l = nl - 1; l > 0; --l) {
        const auto& Ln = *layers_[l];  // the layer above hidden layer l
        const auto& y = act_.value[l];
        auto& d = delta_[l - 1];
        const auto& dn = delta_[l];
        for (std::size_t i = 0; i < Ln.n_in; ++i) {
            const double* row = Ln.w.data() + i * Ln.n_out;
            double s = 0;
            for (std::size_t j = 0; j < Ln.n_out; ++j) s += row[j] * dn[j];
            d[i] = activate_derivative(cfg_.activation, y[i], y[i]) * s;
        }
        if (cfg_.hardware) count_backward(l, counts.backward[l]);
    }
    const int bs = ex_.network.training.batch_size;
    ++batch_fill_;
    if (bs > 1) {
        for (std::size_t l = 0; l < nl; ++l) {
            auto& L = *layers_[l];
            const auto& x = act_.value[l];
            const auto& d = delta_[l];
            for (std::size_t i = 0; i < L.n_in; ++i) {
                const double xi = x[i];
                if (xi == 0) continue;
                counts.write[l].accumulated_rows += 1;
                double* row = L.grad_acc.data() + i * L.n_out;
                for (std::size_t j = 0; j < L.n_out; ++j) row[j] += xi * d[j];
            }
        }
    }
    if (!flush) return;
    ++steps_;
    for (std::size_t l = 0; l < nl; ++l) {
        auto& L = *layers_[l];
        if (bs > 1) {
            const double inv = 1.0 / batch_fill_;
            for (std::size_t c = 0; c < L.grad_acc.size(); ++c) {
                grad_[l][c] = L.grad_acc[c] * inv;
                L.grad_acc[c] = 0;
            }
        }
    }
    apply_updates(event, counts, parallel);
    batch_fill_ = 0;
}

// The backward-pass activity of propagating delta_[l] through weight layer l: the error is
// quantised to hardware.error_bits magnitude bits, q_j = round(|δ_j| / max|δ| · (2^b − 1));
// bit-plane k drives the columns whose q_j has bit k set (array_transpose), and every cell of a
// driven column conducts. The digital way reads every row once and does one MAC per weight.
void Trainer::count_backward(std::size_t l, BackwardCounts& b) const {
    count_backward(l, delta_[l].data(), column_conductance(l), b);
}

std::vector<double> Trainer::column_conductance(std::size_t l) const {
    const auto& L = *layers_[l];
    std::vector<double> col_g(L.n_out, 0.0);
    const double* gp = L.pos->conductances().data();
    const double* gn = L.neg ? L.neg->conductances().data() : nullptr;
    for (std::size_t i = 0; i < L.n_in; ++i) {
        const double *p = gp + i * L.n_out, *n = gn ? gn + i * L.n_out : nullptr;
        if (n)
            for (std::size_t j = 0; j < L.n_out; ++j) col_g[j] += p[j] + n[j];
        else
            for (std::size_t j = 0; j < L.n_out; ++j) col_g[j] += p[j];
    }
    return col_g;
}

void Trainer::count_backward(std::size_t l, const double* dn, const std::vector<double>& col_g,
                             BackwardCounts& b) const {
    const auto& L = *layers_[l];
    const int bits = ex_.hardware.error_bits;
    double g_all = 0, big = 0;
    for (std::size_t j = 0; j < L.n_out; ++j) {
        g_all += col_g[j];
        big = std::max(big, std::fabs(dn[j]));
    }
    b.passes += 1;
    b.rows_read += static_cast<double>(L.n_in);
    b.g_sum_all += g_all;
    b.macs += static_cast<double>(L.n_in * L.n_out);
    if (big == 0) return;
    const double full = std::ldexp(1.0, bits) - 1;
    std::uint64_t planes = 0;
    for (std::size_t j = 0; j < L.n_out; ++j) {
        const auto q = static_cast<std::uint64_t>(std::lround(std::fabs(dn[j]) / big * full));
        planes |= q;
        const double set = static_cast<double>(std::popcount(q));
        b.driven_cols += set;
        b.g_sum_driven += set * col_g[j];
    }
    b.bitplanes += static_cast<double>(std::popcount(planes));
}

void Trainer::check_finite(int epoch) const {
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const auto& L = *layers_[l];
        for (std::size_t c = 0; c < L.w.size(); ++c) {
            bool bad = !std::isfinite(L.w[c]) || (L.pos && !std::isfinite(L.pos->g(c))) ||
                       (L.neg && !std::isfinite(L.neg->g(c)));
            if (bad)
                throw std::runtime_error(fmt::format(
                    "numerical failure after epoch {}: weight/conductance of layer {} cell (row "
                    "{}, column {}) "
                    "is not finite (weight {}, G {})",
                    epoch + 1, l + 1, c / L.n_out, c % L.n_out, L.w[c], L.pos ? L.pos->g(c) : 0.0));
        }
    }
}

TestResult evaluate(const Snapshot& s, const nn::Dataset& test, std::size_t n, bool parallel,
                    std::uint64_t base_event) {
    if (n == 0 || n > test.size()) n = test.size();
    const auto views = s.views();
    const std::size_t chunks = (n + kTestChunk - 1) / kTestChunk;
    std::vector<TestResult> part(chunks);
    auto run = [&](std::size_t ch) {
        Activations act;
        auto& r = part[ch];
        r.reads.assign(views.size(), ReadCounts{});
        GraphActs gact;
        for (std::size_t i = ch * kTestChunk; i < std::min(n, (ch + 1) * kTestChunk); ++i) {
            int guess;
            if (s.plan) {
                graph_forward(s.cfg, *s.plan, views, test.row(i), test.max_level(), gact,
                              s.cfg.hardware ? r.reads.data() : nullptr, base_event + i);
                guess = graph_predicted(gact);
            } else {
                forward(s.cfg, views, test.row(i), test.max_level(), act,
                        s.cfg.hardware ? r.reads.data() : nullptr, base_event + i);
                guess = predicted_class(act);
            }
            if (guess == test.labels[i]) ++r.correct;
            ++r.images;
        }
    };
    if (parallel && chunks > 1)
        util::parallel_each(chunks, run);
    else
        for (std::size_t ch = 0; ch < chunks; ++ch) run(ch);
    TestResult total;
    total.reads.assign(views.size(), ReadCounts{});
    for (const auto& p : part) {
        total.correct += p.correct;
        total.images += p.images;
        for (std::size_t l = 0; l < views.size(); ++l) {
            total.reads[l].bitplanes += p.reads[l].bitplanes;
            total.reads[l].active_rows += p.reads[l].active_rows;
            total.reads[l].g_sum += p.reads[l].g_sum;
        }
    }
    return total;
}

void Trainer::save(std::ostream& o) const {
    const char magic[8] = {'S', 'Y', 'N', 'C', 'K', 'P', 'T', '1'};
    o.write(magic, 8);
    std::int64_t hdr[3] = {static_cast<std::int64_t>(layers_.size()), steps_, batch_fill_};
    o.write(reinterpret_cast<const char*>(hdr), sizeof hdr);
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const auto& L = *layers_[l];
        write_vec(o, L.w);
        write_vec(o, L.grad_acc);
        write_vec(o, L.pos ? L.pos->conductances() : std::vector<double>{});
        write_vec(o, L.neg ? L.neg->conductances() : std::vector<double>{});
        std::vector<double> cyc(cycles_[l].begin(), cycles_[l].end());
        write_vec(o, cyc);
    }
    for (auto* v : const_cast<nn::Optimizer&>(opt_).state()) write_vec(o, *v);
}

void Trainer::load(std::istream& in) {
    char magic[8];
    in.read(magic, 8);
    if (!in || std::string(magic, 8) != "SYNCKPT1")
        throw std::runtime_error("not a synbench checkpoint");
    std::int64_t hdr[3];
    in.read(reinterpret_cast<char*>(hdr), sizeof hdr);
    if (!in || hdr[0] != static_cast<std::int64_t>(layers_.size()))
        throw std::runtime_error("checkpoint does not match this network");
    steps_ = hdr[1];
    batch_fill_ = static_cast<int>(hdr[2]);
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        auto& L = *layers_[l];
        const std::size_t n = L.n_in * L.n_out;
        read_vec(in, L.w, n);
        read_vec(in, L.grad_acc, L.grad_acc.size());
        std::vector<double> g;
        read_vec(in, g, L.pos ? n : 0);
        for (std::size_t c = 0; c < g.size(); ++c) L.pos->set(c, g[c]);
        read_vec(in, g, L.neg ? n : 0);
        for (std::size_t c = 0; c < g.size(); ++c) L.neg->set(c, g[c]);
        read_vec(in, g, n);
        for (std::size_t c = 0; c < n; ++c) cycles_[l][c] = static_cast<std::uint32_t>(g[c]);
    }
    for (auto* v : opt_.state()) read_vec(in, *v, v->size());
}

}  // namespace synbench::sim
