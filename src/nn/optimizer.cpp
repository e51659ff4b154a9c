#include "nn/optimizer.hpp"

#include <cmath>
#include <stdexcept>

namespace synbench::nn {

Optimizer::Optimizer(const OptimizerSpec& spec, const std::vector<std::size_t>& sizes)
    : spec_(spec) {
    const auto& n = spec.name;
    kind_ = n == "sgd"        ? Kind::sgd
            : n == "momentum" ? Kind::momentum
            : n == "adagrad"  ? Kind::adagrad
            : n == "rmsprop"  ? Kind::rmsprop
            : n == "adam"     ? Kind::adam
            : n == "adadelta" ? Kind::adadelta
                              : throw std::invalid_argument("unknown optimizer '" + n + "'");
    if (spec.learning_rate.size() != sizes.size())
        throw std::invalid_argument("one learning rate per layer is needed");
    for (auto s : sizes) {
        const int words = state_words(spec.name);  // the vectors a_, b_ hold them
        a_.emplace_back(words >= 1 ? s : 0, 0.0);
        b_.emplace_back(words >= 2 ? s : 0, 0.0);
    }
}

void Optimizer::step(std::size_t layer, std::size_t offset, const double* g, double* dw,
                     std::size_t n, long t) {
    const double lr = spec_.learning_rate[layer];
    const double eps = spec_.epsilon;
    double* a = a_[layer].data() + (a_[layer].empty() ? 0 : offset);
    double* b = b_[layer].data() + (b_[layer].empty() ? 0 : offset);
    switch (kind_) {
        case Kind::sgd:
            for (std::size_t i = 0; i < n; ++i) dw[i] = -lr * g[i];
            break;
        case Kind::momentum: {
            const double gm = spec_.momentum;
            for (std::size_t i = 0; i < n; ++i) {
                a[i] = gm * a[i] + (1 - gm) * g[i];
                dw[i] = -lr * a[i];
            }
            break;
        }
        case Kind::adagrad:
            for (std::size_t i = 0; i < n; ++i) {
                a[i] += g[i] * g[i];
                dw[i] = -lr * g[i] / (std::sqrt(a[i]) + eps);
            }
            break;
        case Kind::rmsprop: {
            const double r = spec_.rho;
            for (std::size_t i = 0; i < n; ++i) {
                a[i] = r * a[i] + (1 - r) * g[i] * g[i];
                dw[i] = -lr * g[i] / (std::sqrt(a[i]) + eps);
            }
            break;
        }
        case Kind::adam: {
            const double b1 = spec_.beta1, b2 = spec_.beta2;
            const double c1 = 1 - std::pow(b1, static_cast<double>(t)),
                         c2 = 1 - std::pow(b2, static_cast<double>(t));
            for (std::size_t i = 0; i < n; ++i) {
                a[i] = b1 * a[i] + (1 - b1) * g[i];
                b[i] = b2 * b[i] + (1 - b2) * g[i] * g[i];
                dw[i] = -lr * (a[i] / c1) / (std::sqrt(b[i] / c2) + eps);
            }
            break;
        }
        case Kind::adadelta: {
            const double r = spec_.rho;
            for (std::size_t i = 0; i < n; ++i) {
                a[i] = r * a[i] + (1 - r) * g[i] * g[i];
                double dx = -std::sqrt(b[i] + eps) / std::sqrt(a[i] + eps) * g[i];
                b[i] = r * b[i] + (1 - r) * dx * dx;
                dw[i] = lr * dx;
            }
            break;
        }
    }
}

std::vector<std::vector<double>*> Optimizer::state() {
    std::vector<std::vector<double>*> out;
    for (auto& v : a_) out.push_back(&v);
    for (auto& v : b_) out.push_back(&v);
    return out;
}

}  // namespace synbench::nn
