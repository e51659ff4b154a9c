// The network card (networks/*.yaml): layers, dataset preprocessing and training options.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "nn/dataset.hpp"
#include "nn/layer_graph.hpp"

namespace synbench::nn {

// Defaults as declared in nn/network_fields.cpp (what the parser fills in).
struct OptimizerSpec {
    std::string name = "sgd";           // sgd | momentum | adagrad | rmsprop | adam | adadelta
    std::vector<double> learning_rate;  // one per weight layer
    double momentum = 0.3;              // momentum γ
    double rho = 0.9;                   // RMSprop / Adadelta decay
    double beta1 = 0.9, beta2 = 0.9;    // Adam
    double epsilon = 1e-5;
};

struct TrainingSpec {
    int epochs = 125;
    int images_per_epoch = 8000;
    std::string sampling = "with_replacement";  // with_replacement | shuffle
    int batch_size = 1;
    OptimizerSpec optimizer;
    std::string initial_weights = "reference";  // reference: uniform from {−1, −2/3, …, 1}; xavier
    int test_images = 0;                        // 0 = the whole test set (the card's default)
};

struct NetworkSpec {
    std::string name;
    std::string file;  // the card it was read from (for messages)
    // Neurons per layer, input first: the old integer form of `layers:` (empty for a graph card).
    std::vector<int> layers;
    std::string activation = "sigmoid";  // the old form's activation of every layer
    // The network as a graph of layers, for both forms (the old form: graph_of_widths, with the
    // input set to the cropped image h × w × c); shapes inferred, classes from the data set.
    LayerGraph graph;
    std::string dataset = "mnist";
    Preprocess preprocess;
    TrainingSpec training;
};

// Reads every network field except `hardware` (which the caller reads as its own section).
NetworkSpec parse_network(config::Section& s);

// A graph card whose layers are dense only, each with the same sigmoid/tanh/relu activation, read
// straight from the input: the widths of the equivalent old form (input first); nothing otherwise.
// (What the MLP trainer can run until it reads graphs.)
std::optional<std::vector<int>> dense_chain_widths(const LayerGraph& g);

}  // namespace synbench::nn

namespace synbench::nn {

// The loaded data against the card (issue 17, rules 6 and 7): the data set the card names, and
// `training.test_images` no larger than the test set (0 = the whole test set). DataError naming
// the card and the field otherwise. The shape and class count are checked when the card is read.
void check_data_fits(const NetworkSpec& n, const Splits& data);

}  // namespace synbench::nn
