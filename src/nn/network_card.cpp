#include "nn/network_card.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace synbench::nn {

using config::Limits;

NetworkSpec parse_network(config::Section& s) {
    NetworkSpec n;
    n.name = s.text("name");
    s.text("description", std::string());
    auto layers = s.integers("layers", Limits::between(1, 1 << 20));
    if (layers.size() < 2)
        throw s.error("layers",
                      "expected at least an input and an output layer, e.g. [400, 100, 10]");
    for (auto l : layers) n.layers.push_back(static_cast<int>(l));
    n.activation = s.choice("activation", {"sigmoid", "tanh", "relu"}, std::string("sigmoid"));
    {
        auto d = s.section("dataset");
        std::vector<std::string> names;
        for (const auto& i : dataset_infos()) names.push_back(i.name);
        n.dataset = d.choice("name", names, std::string("mnist"));
        const auto& info = dataset_info(n.dataset);
        n.preprocess.crop = static_cast<int>(
            d.integer("crop", Limits::between(0, std::min(info.rows, info.cols)), 20));
        auto thr = d.maybe_number("binarize", Limits::fraction());
        auto bits = d.maybe_integer("input_bits", Limits::between(1, 8));
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
        auto t = s.section("training");
        auto& tr = n.training;
        tr.epochs = static_cast<int>(t.integer("epochs", Limits::between(1, 100000)));
        tr.images_per_epoch =
            static_cast<int>(t.integer("images_per_epoch", Limits::between(1, 60000)));
        tr.sampling =
            t.choice("sampling", {"with_replacement", "shuffle"}, std::string("with_replacement"));
        tr.batch_size = static_cast<int>(t.integer("batch_size", Limits::between(1, 60000), 1));
        tr.test_images = static_cast<int>(t.integer("test_images", Limits::between(0, 10000), 0));
        tr.initial_weights =
            t.choice("initial_weights", {"reference", "xavier"}, std::string("reference"));
        auto& o = tr.optimizer;
        o.name =
            t.choice("optimizer", {"sgd", "momentum", "adagrad", "rmsprop", "adam", "adadelta"},
                     std::string("sgd"));
        o.learning_rate = t.numbers("learning_rate", Limits::positive());
        if (o.learning_rate.size() == 1)
            o.learning_rate.resize(n.layers.size() - 1, o.learning_rate[0]);
        if (o.learning_rate.size() != n.layers.size() - 1)
            throw t.error("learning_rate",
                          fmt::format("expected one learning rate per weight layer ({}), got {}",
                                      n.layers.size() - 1, o.learning_rate.size()));
        o.momentum = t.number("momentum", Limits::between(0, 1), 0.3);
        o.rho = t.number("rho", Limits{0.0, 1.0, false, true}, 0.9);
        o.beta1 = t.number("beta1", Limits{0.0, 1.0, false, true}, 0.9);
        o.beta2 = t.number("beta2", Limits{0.0, 1.0, false, true}, 0.9);
        o.epsilon = t.number("epsilon", Limits::positive(), 1e-5);
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
