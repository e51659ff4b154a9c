// A network as a graph of layers (issue 15): the mathematics' view, with no hardware knowledge.
// Each layer names its inputs (earlier layers, or "input" for the data); shapes are inferred in
// card order. A network card's old `layers: [400, 100, 10]` form is the graph of dense layers
// `graph_of_widths` builds. Mapping onto arrays lives in the circuit/sim layers, not here.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace synbench::nn {

// Height × width × channels of one layer's output (a dense layer's output is 1 × 1 × units).
struct Shape {
    int height = 0, width = 0, channels = 0;
    std::size_t size() const {
        return static_cast<std::size_t>(height) * static_cast<std::size_t>(width) *
               static_cast<std::size_t>(channels);
    }
    bool operator==(const Shape&) const = default;
};

enum class LayerKind { dense, conv2d, max_pool, avg_pool, flatten, activation, add, batch_norm };

// Card spelling of each kind ("dense", "conv2d", "max_pool", "avg_pool", "flatten", "activation",
// "add", "batch_norm").
const char* kind_name(LayerKind k);

struct LayerSpec {
    std::string name;  // unique in the graph; the card's `name`, or "<kind><n>" (n counts from 1)
    LayerKind kind = LayerKind::dense;
    int line = 0;  // the card line the layer was read from (for messages); 0 when built in code
    // Names of the layers it reads ("input" = the data). Empty in a card = the previous layer (the
    // data for the first). `add` reads exactly two of the same shape.
    std::vector<std::string> inputs;

    int units = 0;     // dense: outputs
    int channels = 0;  // conv2d: output channels
    int kernel = 0;    // conv2d: k (square k × k); pools: the window side
    int stride = 0;    // conv2d: default 1; pools: default = kernel
    int padding = 0;   // conv2d: zero padding on each side
    // dense/conv2d: the activation applied to the output (fused); activation layer: its function.
    // none | sigmoid | tanh | relu | softmax (softmax: last layer only, with cross-entropy loss).
    std::string activation = "none";

    // Filled by infer_shapes:
    std::vector<int> input_ids;  // index into LayerGraph::layers; -1 = the data input
    Shape in;                    // the (first) input's shape
    Shape out;

    bool has_weights() const { return kind == LayerKind::dense || kind == LayerKind::conv2d; }
    // The weight matrix as it is mapped onto arrays: rows (inputs of one dot product) × columns.
    // dense: in.size() × units; conv2d: kernel·kernel·in.channels × channels (unrolled).
    std::size_t weight_rows() const;
    std::size_t weight_cols() const;
    // Dot products per image with the same weights: conv2d out.height·out.width; dense 1.
    std::size_t positions() const;
};

struct LayerGraph {
    Shape input;      // the data's shape after preprocessing (crop)
    int classes = 0;  // outputs of the last layer
    std::vector<LayerSpec> layers;
    bool from_widths = false;  // built from the old `layers: [widths]` form
};

// A graph whose shapes do not chain. `layer` is the index of the offending layer.
class ShapeError : public std::runtime_error {
   public:
    ShapeError(int layer, const std::string& what) : std::runtime_error(what), layer(layer) {}
    int layer;
};

// Resolves inputs and fills every layer's in/out shapes; ShapeError when they do not chain (a
// kernel larger than its padded input, zero channels or units, `add` of different shapes, an input
// that is not an earlier layer, a last layer whose size is not `classes`, ...).
void infer_shapes(LayerGraph& g);

// The graph of the old form: widths {n0, n1, …, nL} → dense layers n1 … nL, each with
// `activation`, input shape 1 × 1 × n0 (the flattened, cropped image).
LayerGraph graph_of_widths(const std::vector<int>& widths, const std::string& activation);

}  // namespace synbench::nn
