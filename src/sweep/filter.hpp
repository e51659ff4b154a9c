// The filter language of sweep files: a boolean expression over the axes of a point.
//
//   expr  := term ('or' term)*
//   term  := factor ('and' factor)*
//   factor:= 'not' factor | '(' expr ')' | KEY OP VALUE | KEY 'in' '[' VALUE (',' VALUE)* ']'
//   OP    := == | != | < | <= | > | >=
//
// KEY names an axis (its key as written, or its short key, e.g. `optimizer` for
// `training.optimizer`). VALUE is a bare word ([A-Za-z0-9_.:/+-]) or a quoted string. A card axis'
// value is its file stem (`32nm`) or its path as written; `==`/`!=`/`in` compare texts, or numbers
// when both sides are numbers; `<`, `<=`, `>`, `>=` need numbers on both sides.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sweep/sweep_file.hpp"

namespace synbench::sweep {

// Deepest nesting of `not` and parentheses a filter may use (far beyond any hand-written filter;
// keeps the recursion of parsing, evaluation and destruction a few kilobytes of stack).
inline constexpr int kMaxFilterDepth = 100;

// A syntax or evaluation error; `column` is 1-based within the expression.
class FilterError : public std::runtime_error {
   public:
    FilterError(std::size_t column, const std::string& message);
    std::size_t column() const { return column_; }

   private:
    std::size_t column_;
};

class Filter {
   public:
    // Parses `text`, resolving keys against `axes`; throws FilterError.
    Filter(const std::string& text, const std::vector<Axis>& axes);
    ~Filter();
    Filter(Filter&&) noexcept;
    Filter& operator=(Filter&&) noexcept;
    // Whether the point with these value indices passes; throws FilterError (e.g. `<` on text).
    bool operator()(const std::vector<std::size_t>& value) const;

    struct Node;

   private:
    std::unique_ptr<Node> root_;
    const std::vector<Axis>* axes_;
};

// The axis a key names (its key or short key), or -1.
int find_axis(const std::vector<Axis>& axes, const std::string& key);

// Whether the axis value equals `text` under the filter's rules (label, as written, or number).
bool value_equals(const AxisValue& v, const std::string& text);

}  // namespace synbench::sweep
