#include "nn/network_card.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "nn/network_fields.hpp"

namespace synbench::nn {

using config::field;
using config::Limits;

namespace {

// The optimizers' parameters (fields of training:): the chosen optimizer's own are read; another
// optimizer's parameter is refused unless it holds its default (a run's config.yaml written before
// the optimizers declared their own parameters lists every one at its default).
void read_optimizer(config::Section& t, OptimizerSpec& o) {
    const config::VariantSpec* chosen = nullptr;
    for (const auto& v : optimizer_variants())
        if (v.name == o.name) chosen = &v;
    auto own = [&](const std::string& name) {
        for (const auto& [path, list] : chosen->fields)
            for (const auto& f : list)
                if (f.name == name) return true;
        return false;
    };
    std::vector<std::string> seen;
    for (const auto& v : optimizer_variants())
        for (const auto& [path, list] : v.fields)
            for (const auto& f : list) {
                if (std::find(seen.begin(), seen.end(), f.name) != seen.end()) continue;
                seen.push_back(f.name);
                double value = config::default_number(f);
                if (own(f.name)) {
                    value = t.read_number(f);
                } else if (t.has(f.name)) {
                    std::string owners;
                    for (const auto& w : optimizer_variants())
                        for (const auto& [p2, l2] : w.fields)
                            for (const auto& g : l2)
                                if (g.name == f.name)
                                    owners += (owners.empty() ? "" : ", ") + w.name;
                    if (t.read_number(f) != value)
                        throw t.error(f.name,
                                      fmt::format("'{}' is a parameter of optimizer {}, not of "
                                                  "this card's optimizer '{}': remove it (or "
                                                  "choose one of those optimizers)",
                                                  f.name, owners, o.name));
                }
                if (f.name == "momentum")
                    o.momentum = value;
                else if (f.name == "rho")
                    o.rho = value;
                else if (f.name == "beta1")
                    o.beta1 = value;
                else if (f.name == "beta2")
                    o.beta2 = value;
                else if (f.name == "epsilon")
                    o.epsilon = value;
            }
}

}  // namespace

NetworkSpec parse_network(config::Section& s) {
    // Every field is read through its declaration (nn/network_fields.hpp); the checks across
    // fields stay here.
    const auto& top = fields::network();
    NetworkSpec n;
    n.name = s.read_text(field(top, "name"));
    s.read_text(field(top, "description"));
    auto layers = s.read_integers(field(top, "layers"));
    if (layers.size() < 2)
        throw s.error("layers",
                      "expected at least an input and an output layer, e.g. [400, 100, 10]");
    for (auto l : layers) n.layers.push_back(static_cast<int>(l));
    n.activation = s.read_text(field(top, "activation"));
    {
        const auto& F = fields::dataset();
        auto d = s.section("dataset");
        n.dataset = d.read_text(field(F, "name"));
        const auto& info = dataset_info(n.dataset);
        // The crop's upper bound is the data set's image side.
        const auto& crop = field(F, "crop");
        n.preprocess.crop = static_cast<int>(d.integer(
            crop.name, Limits::between(0, std::min(info.rows, info.cols)), std::stoll(*crop.def)));
        auto thr = d.maybe_read_number(field(F, "binarize"));
        auto bits = d.maybe_read_number(field(F, "input_bits"));
        if (thr && bits)
            throw d.error(
                "input_bits",
                "give either 'binarize' (a threshold) or 'input_bits' (grey levels), not both");
        if (!thr && !bits)
            throw d.error_here("expected 'binarize: <threshold>' or 'input_bits: <bits>'");
        n.preprocess.binarize = thr.has_value();
        n.preprocess.threshold = thr.value_or(0.5);
        n.preprocess.input_bits = bits ? static_cast<int>(*bits) : 1;
        d.finish();
        // The data set's image shape and class count (data/<name>.yaml) against the card.
        const int rows = n.preprocess.crop == 0 ? info.rows : n.preprocess.crop;
        const int cols = n.preprocess.crop == 0 ? info.cols : n.preprocess.crop;
        const int inputs = rows * cols * info.channels;
        if (n.layers.front() != inputs)
            throw s.error(
                "layers",
                fmt::format("the first layer has {} inputs but the dataset gives {}×{}{} = {}{}",
                            n.layers.front(), rows, cols,
                            info.channels == 1 ? std::string() : fmt::format("×{}", info.channels),
                            inputs,
                            n.dataset == "mnist" ? std::string()
                                                 : fmt::format(" ({} images)", info.title)));
        if (n.layers.back() != info.classes)
            throw s.error("layers", fmt::format("{} has {} classes, the last layer has {}",
                                                info.title, info.classes, n.layers.back()));
    }
    {
        const auto& F = fields::training();
        auto t = s.section("training");
        auto& tr = n.training;
        tr.epochs = static_cast<int>(t.read_integer(field(F, "epochs")));
        tr.images_per_epoch = static_cast<int>(t.read_integer(field(F, "images_per_epoch")));
        tr.sampling = t.read_text(field(F, "sampling"));
        tr.batch_size = static_cast<int>(t.read_integer(field(F, "batch_size")));
        tr.test_images = static_cast<int>(t.read_integer(field(F, "test_images")));
        tr.initial_weights = t.read_text(field(F, "initial_weights"));
        auto& o = tr.optimizer;
        o.name = t.read_text(field(F, "optimizer"));
        o.learning_rate = t.read_numbers(field(F, "learning_rate"));
        if (o.learning_rate.size() == 1)
            o.learning_rate.resize(n.layers.size() - 1, o.learning_rate[0]);
        if (o.learning_rate.size() != n.layers.size() - 1)
            throw t.error("learning_rate",
                          fmt::format("expected one learning rate per weight layer ({}), got {}",
                                      n.layers.size() - 1, o.learning_rate.size()));
        read_optimizer(t, o);
        t.finish();
    }
    return n;
}

}  // namespace synbench::nn

namespace synbench::nn {

void check_data_fits(const NetworkSpec& n, const Splits& data) {
    if (data.name != n.dataset)
        throw DataError(fmt::format(
            "network card '{}': field 'dataset.name' is '{}' but the data loaded is '{}'", n.name,
            n.dataset, data.name));
    const auto asked = static_cast<std::size_t>(n.training.test_images);
    if (asked > data.test.size())
        throw DataError(fmt::format(
            "network card '{}': field 'training.test_images': {} test images asked for, the {} "
            "test set has {}: "
            "expected at most {} (or 0 for the whole test set)",
            n.name, asked, dataset_info(n.dataset).title, data.test.size(), data.test.size()));
}

}  // namespace synbench::nn
