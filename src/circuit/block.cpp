#include "circuit/block.hpp"

#include <cmath>

#include "tech/transistor.hpp"

namespace synbench::circuit {

Block group(std::string name, std::vector<Block> children) {
    Block b;
    b.name = std::move(name);
    for (const auto& c : children) {
        b.area += c.area;
        b.leakage += c.leakage;
    }
    b.children = std::move(children);
    return b;
}

Block times(const Block& b, double n, std::string name) {
    Block r = b;
    if (!name.empty()) r.name = std::move(name);
    r.area *= n;
    r.leakage *= n;
    r.read_energy *= n;
    r.write_energy *= n;
    for (auto& c : r.children) c = times(c, n);
    return r;
}

CostNode to_cost_node(const Block& b) {
    CostNode n;
    n.name = b.name;
    n.cost = Cost{b.area, b.read_latency, b.read_energy, b.leakage};
    for (const auto& c : b.children) n.children.push_back(to_cost_node(c));
    return n;
}

double placed_area(const tech::Card& t, double cells_width, double side) {
    const double h = tech::standard_height(t);
    const double w = cells_width / t.design.cell_utilisation;
    if (side <= 0) return w * h;
    return std::ceil(w / side - 1e-9) * side * h;
}

}  // namespace synbench::circuit
