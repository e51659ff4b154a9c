// The common result of every circuit block: area, leakage, and the latency and dynamic energy of
// the block's read and write operations, with a named breakdown. Blocks are pure functions
// (technology, spec) → Block; a parent's area and leakage are the sums of its children's.
#pragma once

#include <string>
#include <vector>

#include "circuit/cost.hpp"
#include "tech/card.hpp"

namespace synbench::circuit {

struct Block {
    std::string name;
    double area = 0;     // m²
    double leakage = 0;  // W
    // One operation of the block (its meaning is documented by each block: one decode, one
    // conversion, one pulse...). Latency is the block's own delay; energy is dynamic energy.
    double read_latency = 0, read_energy = 0;
    double write_latency = 0, write_energy = 0;
    std::vector<Block> children;
};

// A parent whose area and leakage are the sums of its children's (latency/energy left at zero for
// the caller to compose, since they depend on how often each child acts).
Block group(std::string name, std::vector<Block> children);
// `n` identical copies of a block (area, leakage and energies scaled; latency unchanged).
Block times(const Block& b, double n, std::string name = {});
// The area/leakage tree of a block as a CostNode (latency and energy of the read operation).
CostNode to_cost_node(const Block& b);

// Area of standard-cell logic of total cell width `cells_width` (at the standard-cell height)
// placed in rows along an array side of length `side` (pitch matching): whole rows of that length
// at the card's placement utilisation. side = 0: free-standing block (no pitch matching).
double placed_area(const tech::Card& t, double cells_width, double side);

}  // namespace synbench::circuit
