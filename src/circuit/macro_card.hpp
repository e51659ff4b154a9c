// Macro cards (macros/*.yaml): one compute-in-memory macro described the way its paper does, and
// its estimate (area, energy per MAC, TOPS/W, TOPS/mm², latency per MVM, breakdown) composed from
// today's circuit components (docs/macro-cards.md documents every key and what is modelled).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "circuit/converter_survey.hpp"
#include "circuit/cost.hpp"
#include "circuit/options.hpp"
#include "circuit/readout_physics.hpp"
#include "circuit/subarray.hpp"
#include "config/config.hpp"
#include "device/card.hpp"
#include "tech/card.hpp"

namespace synbench::circuit {

// WeightScheme and InputEncoding: circuit/options.hpp (shared with networks' hardware block).

struct MacroCard {
    std::string name;
    std::string paper, doi, where;               // source
    std::map<std::string, std::string> sources;  // optional: field → where the paper states it
    std::string tech_path, device_path;  // as written in the card (device_path empty: inline)
    tech::Card tech;
    device::Card device;
    int rows = 0, columns = 0;  // physical cell array
    int rows_active = 0;        // rows driven in one cycle
    int weight_bits = 0, weight_cells = 0, bits_per_cell = 0;
    int weight_levels = 0;  // weight.levels (default 2^bits); 3 = ternary
    WeightScheme scheme = WeightScheme::differential_columns;
    int input_bits = 0;
    InputEncoding encoding = InputEncoding::bit_serial;
    double input_window =
        0;  // s: input.window, a full-scale pulse train (0: 2^b − 1 clock periods)
    std::string converter;  // sar | flash | ramp | integrate_fire | cco | charge | voltage_sense
    int converter_bits = 0, columns_per_converter = 1;
    bool converter_differential =
        false;  // converter.input: differential (a weight's column lines into one converter)
    // converter.model: `physical` (default, one global default: the physical read-out where the
    // kind has one — charge, voltage_sense, cco) or `survey` (the survey fit of the kind's family).
    bool converter_survey_model = false;
    double converter_lsb_time =
        0;  // s: converter.lsb_time, a cco's stated time per count (0: its ring)
    int output_bits = 0;
    double clock = 0;                                   // Hz
    double supply_read = 0;                             // V (0: the device card's read voltage)
    double supply_word_line = 0, supply_periphery = 0;  // V (0: the tech card's Vdd)
    std::optional<ConverterSurvey> survey;  // data/converter-survey.yaml, for the survey converters
    std::optional<ReadoutConstants> readout;  // data/macro-readout.yaml: charge, voltage_sense, cco
    // cell: the footprint the paper states (0: the device card's), in F² of the array's F or as
    // a pitch (square cell).
    double cell_area_f2 = 0, cell_pitch = 0;
    double input_density = 0.5, weight_sparsity = 0;
    // Set for the macro a network's hardware block describes (block_macro, circuit/macro.hpp):
    // its array wire width, write mux and IR-drop mode, and its converter's component model
    // (never the survey fit, which is for macro cards).
    std::optional<HardwareOptions> network;
    YAML::Node resolved;
};

// Reads a macro card; tech and device paths are relative to the card's folder, else to the
// working directory. Every error is a config::Error naming file, line and field. Values today's
// components cannot model are refused here ("not modelled yet"), never substituted.
MacroCard load_macro_card(const std::filesystem::path& path);
// Cards and data files already loaded, reused by parse_macro_card when the card names the same
// tech / device paths (a macro sweep parses one card many times with other field values).
struct MacroCardCache {
    std::string tech_path, device_path;  // as written in the card
    tech::Card tech;
    device::Card device;
    std::optional<ConverterSurvey> survey;
    std::optional<ReadoutConstants> readout;
};
MacroCardCache macro_card_cache(const MacroCard& m);  // m's cards + the data files found
MacroCard parse_macro_card(config::Section& s, const std::filesystem::path& dir,
                           const MacroCardCache* cache = nullptr);

struct MacroEstimate {
    double area_m2 = 0;
    double energy_per_mvm_J = 0, energy_per_mac_J = 0;
    double latency_per_mvm_s = 0;
    // One access: one row group (rows_active rows) through all its input bits, each converter
    // converting once (the columns read in parallel), as the TSMC/NTHU macros report latency.
    double latency_per_access_s = 0;
    double macs_per_mvm = 0;
    double tops_per_w = 0, tops_per_mm2 = 0;
    double leakage_W = 0;
    CostNode area;    // area/leakage tree of the macro's blocks
    CostNode energy;  // energy of one MVM by part (cost.energy_J), with its latency at the root
    std::vector<std::string> warnings, notes;
    // What a network's tiling and its trainer's accountant read (docs/macro-cards.md "Networks on
    // macros"): the used part of the macro, its area/leakage tree as a Block, the subarray facts,
    // and the per-event costs of one read (LayerCost meaning, one macro, rows/cols/tiles unset):
    // one bit-plane read (all row groups, conversions of the used columns, periphery), one driven
    // input (its row line(s); with offset_column also the offset column's cell) and one siemens
    // of driven data cells (V² · the time the cells conduct), plus the subarray's write costs.
    // Bit-serial inputs: one event per input bit; other encodings: valid for 1-bit inputs only.
    int used_inputs = 0, used_weights = 0;
    Block block;
    SubarrayFacts facts;
    LayerCost events;
};

// What one macro holds: `inputs` signed inputs (rows / rows per input) × `weights` signed weights
// along a row, each weight `cells` physical columns wide (1 for in-column pairs), and the data
// cells one driven input charges (both cells of a pair).
struct MacroShape {
    int inputs = 0, weights = 0, rows_per_input = 1;
    int data_cells_per_weight = 1;
};
MacroShape macro_shape(const MacroCard& m);

// Throws std::invalid_argument for a configuration the components refuse (e.g. a saturated
// integrate-and-fire read-out).
MacroEstimate estimate_macro(const MacroCard& m);
// The same macro with only `used_inputs` × `used_weights` of it used (the rest idle: no row driven,
// no column converted; the area is the whole macro's). estimate_macro(m) is this function at
// macro_shape(m).inputs × macro_shape(m).weights — the one function behind `estimate --macro` and a
// network's layers tiled onto the macro (circuit/macro_tiling.hpp).
MacroEstimate estimate_macro_tile(const MacroCard& m, int used_inputs, int used_weights);

}  // namespace synbench::circuit
