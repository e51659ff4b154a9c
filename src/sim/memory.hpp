// The memory a training run needs, estimated from the experiment before anything is allocated
// (docs/bad-input.md, "Memory"): commands refuse a run whose estimate exceeds --max-memory.
#pragma once

#include <cstdint>
#include <string>

#include "sim/experiment.hpp"

namespace synbench::sim {

// Bytes by what holds them. Per weight layer of n = n_in × n_out cells (trainer.cpp, update.cpp,
// device/cell_array.hpp, nn/optimizer.cpp):
//   weights      n × (w, grad, dw: 3 doubles + a uint32 write-cycle count) (+ a double grad_acc
//   when batch > 1) conductances per array (1, or 2 when differential; 0 without hardware) n
//   doubles, twice: the
//                trainer's arrays and the snapshot the test pass reads
//   device_state per array: n × the largest per-cell parameter record when cells vary (D2D), a
//                stuck-at byte when faults are on, 2 ints of half-select bookkeeping when disturb
//                is on; the snapshot copies parameters and faults too
//   optimizer    n × 0 (sgd), 1 (momentum, adagrad, rmsprop) or 2 (adam, adadelta) doubles
//   checkpoint   the serialised state: n × (conductances, w and cycle counts, optimizer state)
//   activations  4 vectors of every layer's neurons (activations, deltas, ...) per worker thread,
//                plus the trainer's own (small)
//   dataset      the MNIST files as read (train 60 000 + test 10 000 images of 28 × 28 bytes, plus
//                labels) and the preprocessed inputs (images × network inputs bytes)
//   base         the program, its libraries and thread pools (measured: see docs/bad-input.md)
// A layer-graph network (issue 15): n = weight_rows × weight_cols per weight layer (a
// convolution's kernel unrolled, k·k·C_in × C_out); the neurons are the input, every layer's
// output and each convolution's unrolled input patches (positions × k·k·C_in); the dataset's
// pixels per image come from data/<name>.yaml.
struct MemoryEstimate {
    std::uint64_t weights = 0, conductances = 0, device_state = 0, optimizer = 0, checkpoint = 0,
                  activations = 0, dataset = 0, base = 0;
    std::uint64_t total() const {
        return weights + conductances + device_state + optimizer + checkpoint + activations +
               dataset + base;
    }
    std::string breakdown() const;  // "weights 1.2 MB, conductances ..., total ..."
};

// `workers`: the threads of the run (each holds its own activation vectors).
MemoryEstimate estimate_memory(const Experiment& ex, unsigned workers = 1);

// "1.50 GiB" style: bytes with a binary prefix, three significant digits.
std::string format_bytes(std::uint64_t bytes);

// Parses a memory size: a number with an optional unit B, kB/MB/GB/TB (powers of 1000) or
// KiB/MiB/GiB/TiB (powers of 1024; K/M/G/T alone mean the same). Throws std::invalid_argument
// with the expected form.
std::uint64_t parse_bytes(const std::string& text);

// Half of the physical memory (sysconf), the default --max-memory; 4 GiB when it cannot be read.
std::uint64_t default_max_memory();

}  // namespace synbench::sim
