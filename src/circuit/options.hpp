// Hardware options of an experiment (the `hardware:` block of a network card).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace synbench::circuit {

struct MacroCard;  // circuit/macro_card.hpp

enum class SignedWeights { reference_column, differential };
// How a signed weight sits in the array, and how inputs are applied: the macro card's schemes and
// encodings (docs/macro-cards.md), which a network's hardware block names too (weight.scheme,
// input.encoding). One list each, with their card names in enum order.
enum class WeightScheme { differential_columns, differential_in_column, offset_column, bit_sliced };
enum class InputEncoding { bit_serial, pulse_count, pwm, dac };
const std::vector<std::string>& weight_scheme_names();
const std::vector<std::string>& input_encoding_names();
WeightScheme weight_scheme(const std::string& name);    // a name of weight_scheme_names()
InputEncoding input_encoding(const std::string& name);  // a name of input_encoding_names()
// The subarray component's signing of a network weight (offset_column: one cell against a
// reference column; differential_columns: a pair); std::nullopt for schemes networks do not model.
std::optional<SignedWeights> network_signing(WeightScheme s);
// IR drop in array reads (docs/non-idealities.md): off, the first-order model, or the exact nodal
// solve (for checking; slow on large arrays).
enum class IrDrop { none, first_order, exact };
// How a weight update is programmed: open-loop pulses, or write-verify (read back, correct).
enum class Program { open_loop, write_verify };
// How the error is propagated back through a weight layer in training (docs/training.md,
// "Training periphery"): reading the array along its columns, or reading the weights out and
// multiplying digitally.
enum class Backprop { array_transpose, digital };
// The logical weight a full-scale cell stands for, per weight layer (docs/training.md, "Weight
// range"): ±1 everywhere, or the layer's initial-weight bound / initial_fill.
enum class WeightRange { unit, initial };

struct HardwareOptions {
    bool enabled = true;
    int input_bits = 1;                           // bit-serial input cycles per layer read
    int adc_bits = 8;                             // partial-sum (read-circuit) resolution
    std::string read_circuit = "integrate_fire";  // a converter of the registry (read_circuit.hpp)
    int read_mux = 16;                            // columns sharing one read circuit
    int write_mux = 16;                           // columns sharing one write driver
    double clock = 2e9;                           // Hz
    SignedWeights signed_weights = SignedWeights::reference_column;
    int max_rows = 512, max_cols = 512;  // largest subarray; larger layers are tiled
    double hidden_threshold = 0.5;  // digitisation of hidden activations for the next layer's read
    // Bit-planes of a hidden activation read by the next weight layer of a layer-graph network:
    // 1 = the 1-bit digitisation at hidden_threshold (as the MLP); b > 1 = min(y, 1) quantised to
    // 2^b − 1 levels (ReLU CNNs). The old `layers: [widths]` MLP always reads 1 bit.
    int activation_bits = 1;
    WeightRange weight_range = WeightRange::unit;
    double initial_fill = 0.5;  // weight_range initial: the initial weights fill ± this of a cell
    double adc_range = 1;       // fraction of a column's full-scale signal the converter spans
    std::string update = "deterministic";  // deterministic | stochastic (rounding of Δw to pulses)
    double array_wire_width = 100e-9;      // m; also the array's feature size F (reference: 100 nm)
    IrDrop ir_drop = IrDrop::none;
    double ir_drop_wire_scale = 1;  // multiplies the array wire resistance (sensitivity studies)
    Program program = Program::open_loop;
    double verify_tolerance = 0.01;  // write-verify: |G − target| ≤ this × (Gmax − Gmin)
    int verify_max_pulses = 20;      // write-verify: corrective pulses per cell and update, at most
    // Training periphery (docs/training.md, "Training periphery").
    Backprop backprop = Backprop::array_transpose;
    int error_bits = 8;        // resolution of the back-propagated error (bit-serial inputs)
    int state_word_bits = 16;  // one optimizer-state / batch-buffer word (half precision)
    // hardware.macro (docs/macro-cards.md "Networks on macros"): the macro card the weight layers
    // are tiled onto; null: the subarray model of the fields above. When set, the read fields
    // above (input_bits, adc_bits, read_circuit, read_mux, clock, signed_weights, max_rows/cols)
    // are derived from the card (macro_hardware_options, circuit/macro_tiling.hpp). parse_hardware
    // reads the reference; the experiment loads the card.
    std::shared_ptr<const MacroCard> macro;
    std::string macro_ref;  // as written in the network card
    // Inference estimate of a layer graph (sim/layer_mapping.hpp, docs/cnn-estimates.md): the
    // activity assumed where no trained weights exist, and the weight duplication.
    double input_density = 0.5;  // assumed fraction of a layer's inputs driven in each bit-plane
    int duplication = 1;         // copies of every weight layer's tiles (they share its positions)
    struct LayerOverride {       // hardware.per_layer: [{layer: NAME, input_density, duplication}]
        std::string layer;
        std::optional<double> input_density;
        std::optional<int> duplication;
        std::string file;  // where the override was read (for the error naming an unknown layer)
        int line = 0;
    };
    std::vector<LayerOverride> per_layer;
    YAML::Node resolved;
};

HardwareOptions parse_hardware(config::Section& s);
// The same, with the dataset's bit-planes (1 when binarised, else dataset.input_bits) as the one
// source of truth: `input_bits` defaults to it, and a different explicit value is an Error (the
// trainer reads the dataset's bit-planes; the circuit must be costed for the same ones).
HardwareOptions parse_hardware(config::Section& s, int dataset_bits,
                               const std::string& dataset_what);

}  // namespace synbench::circuit
