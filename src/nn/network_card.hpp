// The network card (networks/*.yaml): layers, dataset preprocessing and training options.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "nn/dataset.hpp"

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
    std::vector<int> layers;  // neurons per layer, input first
    std::string activation = "sigmoid";
    std::string dataset = "mnist";
    Preprocess preprocess;
    TrainingSpec training;
};

// Reads every network field except `hardware` (which the caller reads as its own section).
NetworkSpec parse_network(config::Section& s);

}  // namespace synbench::nn

namespace synbench::nn {

// The loaded data against the card (issue 17, rules 6 and 7): the data set the card names, and
// `training.test_images` no larger than the test set (0 = the whole test set). DataError naming
// the card and the field otherwise. The shape and class count are checked when the card is read.
void check_data_fits(const NetworkSpec& n, const Splits& data);

}  // namespace synbench::nn
