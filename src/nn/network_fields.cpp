#include "nn/network_fields.hpp"

#include "circuit/hardware_fields.hpp"
#include "nn/dataset.hpp"

#include <algorithm>
#include <stdexcept>

namespace synbench::nn {

using config::FieldList;
using config::FieldSpec;
using config::FieldType;
using config::Limits;

namespace {

// A parameter several optimizers share is declared once and listed by each.
FieldSpec decay(const char* name, const char* doc) {
    return {.name = name,
            .type = FieldType::number,
            .limits = Limits{0.0, 1.0, false, true},
            .def = "0.9",
            .doc = doc};
}
const FieldSpec kMomentum{.name = "momentum",
                          .type = FieldType::number,
                          .limits = Limits::between(0, 1),
                          .def = "0.3",
                          .doc = "Momentum γ: v ← γ v + (1 − γ) g (exponential-average form)"};
const FieldSpec kRho = decay("rho", "Decay ρ of the squared-gradient average");
const FieldSpec kBeta1 = decay("beta1", "Adam's decay β1 of the gradient average");
const FieldSpec kBeta2 = decay("beta2", "Adam's decay β2 of the squared-gradient average");
const FieldSpec kEpsilon{.name = "epsilon",
                         .type = FieldType::number,
                         .limits = Limits::positive(),
                         .def = "1e-5",
                         .doc = "ε added to the denominator"};

}  // namespace

const std::vector<config::VariantSpec>& optimizer_variants() {
    // The list of optimizers (their update rules: nn/optimizer.hpp).
    static const std::vector<config::VariantSpec> v{
        {"sgd", "Δw = −η g", {}, {}},
        {"momentum", "Δw = −η v, v ← γ v + (1 − γ) g", {{"training", {kMomentum}}}, {}},
        {"adagrad", "Δw = −η g / (√s + ε), s ← s + g²", {{"training", {kEpsilon}}}, {}},
        {"rmsprop",
         "Δw = −η g / (√s + ε), s ← ρ s + (1 − ρ) g²",
         {{"training", {kRho, kEpsilon}}},
         {}},
        {"adam",
         "Δw = −η m̂ / (√v̂ + ε) with bias-corrected averages of g and g²",
         {{"training", {kBeta1, kBeta2, kEpsilon}}},
         {}},
        {"adadelta",
         "Δw = η Δx, Δx = −√(d + ε)/√(s + ε) · g",
         {{"training", {kRho, kEpsilon}}},
         {}},
    };
    return v;
}

std::vector<std::string> optimizer_names() {
    std::vector<std::string> out;
    for (const auto& v : optimizer_variants()) out.push_back(v.name);
    return out;
}

}  // namespace synbench::nn

namespace synbench::nn::fields {

const FieldList& dataset() {
    static const FieldList f = [] {
        std::vector<std::string> names;
        for (const auto& i : dataset_infos()) names.push_back(i.name);
        return FieldList{
            {.name = "name",
             .type = FieldType::choice,
             .def = "mnist",
             .choices = names,
             .doc = "Data set (data/<name>.yaml)"},
            {.name = "crop",
             .type = FieldType::integer,
             .limits = Limits::non_negative(),
             .def = "20",
             .doc = "Central crop to crop × crop pixels (0 = none; at most the image side)"},
            {.name = "binarize",
             .type = FieldType::number,
             .limits = Limits::fraction(),
             .doc = "Threshold for 1-bit inputs (give binarize or input_bits)",
             .optional = true},
            {.name = "input_bits",
             .type = FieldType::integer,
             .limits = Limits::between(1, 8),
             .doc = "Grey levels as bits (give binarize or input_bits)",
             .optional = true},
        };
    }();
    return f;
}

const FieldList& training() {
    static const FieldList f{
        {.name = "epochs",
         .type = FieldType::integer,
         .limits = Limits::between(1, 100000),
         .doc = "Training epochs"},
        {.name = "images_per_epoch",
         .type = FieldType::integer,
         .limits = Limits::between(1, 60000),
         .doc = "Training images per epoch"},
        {.name = "sampling",
         .type = FieldType::choice,
         .def = "with_replacement",
         .choices = {"with_replacement", "shuffle"},
         .doc = "How an epoch's images are drawn"},
        {.name = "batch_size",
         .type = FieldType::integer,
         .limits = Limits::between(1, 60000),
         .def = "1",
         .doc = "Images per weight update"},
        {.name = "test_images",
         .type = FieldType::integer,
         .limits = Limits::between(0, 10000),
         .def = "0",
         .doc = "Test images per evaluation (0 = the whole test set)"},
        {.name = "initial_weights",
         .type = FieldType::choice,
         .def = "reference",
         .choices = {"reference", "xavier"},
         .doc = "reference: uniform from {−1, −2/3, …, 1}; xavier: Glorot uniform"},
        {.name = "optimizer",
         .type = FieldType::choice,
         .def = "sgd",
         .choices = optimizer_names(),
         .doc = "Update rule (the registry's optimizers, below)"},
        {.name = "learning_rate",
         .type = FieldType::list,
         .limits = Limits::positive(),
         .doc = "Learning rate η: one per weight layer, or one for all",
         .item = FieldType::number},
    };
    return f;
}

const std::vector<LayerTypeDecl>& layer_types() {
    // The layer types (their shape rules: nn/layer_graph.cpp), in nn::LayerKind order.
    static const std::vector<LayerTypeDecl> t{
        {"dense",
         "Fully connected: units outputs of the flattened input",
         {"units", "activation"},
         {"units"}},
        {"conv2d",
         "2-D convolution, channels filters of kernel × kernel over all input channels",
         {"channels", "kernel", "stride", "padding", "activation"},
         {"channels", "kernel"}},
        {"max_pool",
         "Maximum over kernel × kernel windows, per channel",
         {"kernel", "stride"},
         {"kernel"}},
        {"avg_pool",
         "Average over kernel × kernel windows, per channel",
         {"kernel", "stride"},
         {"kernel"}},
        {"flatten", "h × w × c → 1 × 1 × hwc (optional before a dense layer)", {}, {}},
        {"activation",
         "A function applied element-wise (its `activation` field)",
         {"activation"},
         {"activation"}},
        {"add",
         "Sum of two earlier outputs of the same shape (`inputs`: two names)",
         {},
         {"inputs"}},
        {"batch_norm", "Batch normalisation (folded into the weights for inference)", {}, {}},
    };
    return t;
}

const FieldList& layer() {
    static const FieldList f = [] {
        std::vector<std::string> types;
        for (const auto& t : layer_types()) types.push_back(t.type);
        // "type: conv2d, max_pool" — the types that have field `name`.
        const auto owners = [](const std::string& name) {
            std::string o;
            for (const auto& t : layer_types())
                for (const auto& x : t.fields)
                    if (x == name) o += (o.empty() ? "type: " : ", ") + t.type;
            return o;
        };
        FieldList l{
            {.name = "type",
             .type = FieldType::choice,
             .choices = types,
             .doc = "Layer type (docs/networks.md)"},
            {.name = "name",
             .type = FieldType::text,
             .doc = "Unique name others refer to (default: the type followed by n, counting "
                    "layers of that type from 1: conv2d1, dense2)",
             .optional = true},
            {.name = "inputs",
             .type = FieldType::list,
             .doc = "Names of the layers it reads (\"input\" = the data; default the previous "
                    "layer); add reads two",
             .optional = true,
             .item = FieldType::text},
            {.name = "units",
             .type = FieldType::integer,
             .limits = Limits::between(1, 1 << 20),
             .doc = "Outputs",
             .optional = true},
            {.name = "channels",
             .type = FieldType::integer,
             .limits = Limits::between(1, 1 << 16),
             .doc = "Output channels (filters)",
             .optional = true},
            {.name = "kernel",
             .type = FieldType::integer,
             .limits = Limits::between(1, 1024),
             .doc = "Window side k (k × k)",
             .optional = true},
            {.name = "stride",
             .type = FieldType::integer,
             .limits = Limits::between(1, 1024),
             .doc = "Step of the window (default: conv2d 1, pools the kernel)",
             .optional = true},
            {.name = "padding",
             .type = FieldType::integer,
             .limits = Limits::between(0, 1024),
             .def = "0",
             .doc = "Zeros added on each side of the input"},
            {.name = "activation",
             .type = FieldType::choice,
             .def = "none",
             .choices = {"none", "sigmoid", "tanh", "relu", "softmax"},
             .doc = "dense/conv2d: applied to the output; activation layer: its function "
                    "(required there). softmax: last layer only (cross-entropy loss)"},
        };
        for (auto& x : l)
            if (x.name != "type" && x.name != "name" && x.name != "inputs")
                x.variants = owners(x.name);
        return l;
    }();
    return f;
}

void add_layer_type_rules(nlohmann::ordered_json& schema) {
    using json = nlohmann::ordered_json;
    auto& forms = schema["properties"]["layers"]["oneOf"];
    if (!forms.is_array() || forms.size() != 2)
        throw std::logic_error("the network schema's layers is not oneOf [integers, layers]");
    auto& items = forms[1]["items"];
    json rules = json::array();
    for (const auto& t : layer_types()) {
        json then = json::object();
        for (const auto& f : layer()) {
            if (f.name == "type" || f.name == "name" || f.name == "inputs") continue;
            if (std::find(t.fields.begin(), t.fields.end(), f.name) == t.fields.end())
                then["properties"][f.name] = false;
        }
        if (!t.needs.empty()) then["required"] = t.needs;
        if (then.empty()) continue;
        rules.push_back(
            {{"if", {{"properties", {{"type", {{"const", t.type}}}}}}}, {"then", then}});
    }
    items["allOf"] = rules;
}

const FieldList& network() {
    static const FieldList f{
        {.name = "name", .type = FieldType::text, .doc = "Network name as reports show it"},
        {.name = "description", .type = FieldType::text, .def = "", .doc = "One line about it"},
        {.name = "layers",
         .type = FieldType::list,
         .limits = Limits::between(1, 1 << 20),
         .doc = "Either neurons per layer, input first (at least 2; the input matches the data "
                "set), or a list of layer mappings (the graph form, `layers[]` below; "
                "docs/networks.md)",
         .item = FieldType::integer,
         .fields = layer()},
        {.name = "activation",
         .type = FieldType::choice,
         .def = "sigmoid",
         .choices = {"sigmoid", "tanh", "relu"},
         .doc = "Activation of every layer (the integer form of `layers` only; the graph form "
                "gives each layer its `activation`)"},
        {.name = "dataset",
         .type = FieldType::section,
         .doc = "Data set and its preprocessing",
         .fields = dataset()},
        {.name = "training",
         .type = FieldType::section,
         .doc = "Training options",
         .fields = training()},
        {.name = "hardware",
         .type = FieldType::section,
         .doc = "Hardware options (circuit/hardware_fields.cpp, read by circuit/options.cpp)",
         .optional = true,
         .fields = circuit::fields::hardware()},
    };
    return f;
}

config::CardDecl declaration() {
    return {"network",
            "network card",
            "A network, its data set and its training (networks/*.yaml; an experiment file's "
            "network fields).",
            network(),
            {{"training.optimizer", optimizer_variants()}},
            {}};
}

}  // namespace synbench::nn::fields
