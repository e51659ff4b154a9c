#include "sweep/filter.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace synbench::sweep {

FilterError::FilterError(std::size_t column, const std::string& message)
    : std::runtime_error(fmt::format("column {}: {}", column, message)), column_(column) {}

int find_axis(const std::vector<Axis>& axes, const std::string& key) {
    for (std::size_t i = 0; i < axes.size(); ++i)
        if (axes[i].key == key) return static_cast<int>(i);
    for (std::size_t i = 0; i < axes.size(); ++i)
        if (axes[i].short_key == key) return static_cast<int>(i);
    return -1;
}

namespace {

bool as_number(const std::string& s, double& v) {
    if (s.empty()) return false;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    if (*b == '+') ++b;
    auto r = std::from_chars(b, e, v);
    return r.ec == std::errc() && r.ptr == e;
}

}  // namespace

bool value_equals(const AxisValue& v, const std::string& text) {
    if (v.label == text || v.shown == text || v.text == text) return true;
    double a = 0, b = 0;
    return as_number(v.shown, a) && as_number(text, b) && a == b;
}

struct Filter::Node {
    enum Kind { or_, and_, not_, cmp, in } kind = cmp;
    std::vector<std::unique_ptr<Node>> kids;
    int axis = -1;
    std::string op;
    std::vector<std::string> values;
    std::size_t column = 0;
};

namespace {

using Node = Filter::Node;

struct Token {
    enum Kind { word, str, op, lparen, rparen, lbracket, rbracket, comma, end } kind = end;
    std::string text;
    std::size_t column = 0;  // 1-based
};

std::vector<Token> tokenize(const std::string& s) {
    std::vector<Token> out;
    std::size_t i = 0;
    auto word_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' ||
               c == '/' || c == '+' || c == '-';
    };
    while (i < s.size()) {
        char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        Token t;
        t.column = i + 1;
        if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
            t.kind = c == '('   ? Token::lparen
                     : c == ')' ? Token::rparen
                     : c == '[' ? Token::lbracket
                     : c == ']' ? Token::rbracket
                                : Token::comma;
            t.text = std::string(1, c);
            ++i;
        } else if (c == '\'' || c == '"') {
            auto close = s.find(c, i + 1);
            if (close == std::string::npos) throw FilterError(i + 1, "unterminated quoted string");
            t.kind = Token::str;
            t.text = s.substr(i + 1, close - i - 1);
            i = close + 1;
        } else if (c == '=' || c == '!' || c == '<' || c == '>') {
            t.kind = Token::op;
            if (i + 1 < s.size() && s[i + 1] == '=') {
                t.text = s.substr(i, 2);
                i += 2;
            } else {
                t.text = std::string(1, c);
                ++i;
            }
            if (t.text == "=" || t.text == "!")
                throw FilterError(
                    t.column,
                    fmt::format("unknown operator '{}' (did you mean '{}='?)", t.text, t.text));
        } else if (word_char(c)) {
            t.kind = Token::word;
            while (i < s.size() && word_char(s[i])) t.text += s[i++];
        } else {
            throw FilterError(i + 1, fmt::format("unexpected character '{}'", c));
        }
        out.push_back(std::move(t));
    }
    Token end;
    end.column = s.size() + 1;
    out.push_back(end);
    return out;
}

class Parser {
   public:
    Parser(std::vector<Token> toks, const std::vector<Axis>& axes)
        : t_(std::move(toks)), axes_(axes) {}

    std::unique_ptr<Node> parse() {
        auto n = expr();
        if (peek().kind != Token::end)
            throw FilterError(peek().column, fmt::format("unexpected '{}'", peek().text));
        return n;
    }

   private:
    const Token& peek() const { return t_[pos_]; }
    const Token& take() { return t_[pos_++]; }
    bool is_keyword(const char* k) const { return peek().kind == Token::word && peek().text == k; }

    std::unique_ptr<Node> expr() {
        auto left = term();
        if (!is_keyword("or")) return left;
        auto n = std::make_unique<Node>();
        n->kind = Node::or_;
        n->kids.push_back(std::move(left));
        while (is_keyword("or")) {
            take();
            n->kids.push_back(term());
        }
        return n;
    }
    std::unique_ptr<Node> term() {
        auto left = factor();
        if (!is_keyword("and")) return left;
        auto n = std::make_unique<Node>();
        n->kind = Node::and_;
        n->kids.push_back(std::move(left));
        while (is_keyword("and")) {
            take();
            n->kids.push_back(factor());
        }
        return n;
    }
    std::string value() {
        const auto& v = take();
        if (v.kind != Token::word && v.kind != Token::str)
            throw FilterError(v.column, "expected a value");
        return v.text;
    }
    // Entered once per `not` and per '(' — the only ways to nest.
    struct Nest {
        Parser& p;
        explicit Nest(Parser& parser) : p(parser) {
            if (++p.depth_ > kMaxFilterDepth)
                throw FilterError(p.peek().column,
                                  fmt::format("nested more than {} levels deep (`not` and "
                                              "parentheses); simplify the expression",
                                              kMaxFilterDepth));
        }
        ~Nest() { --p.depth_; }
        Nest(const Nest&) = delete;
        Nest& operator=(const Nest&) = delete;
    };

    std::unique_ptr<Node> factor() {
        if (is_keyword("not")) {
            Nest nest(*this);
            take();
            auto n = std::make_unique<Node>();
            n->kind = Node::not_;
            n->kids.push_back(factor());
            return n;
        }
        if (peek().kind == Token::lparen) {
            Nest nest(*this);
            take();
            auto n = expr();
            if (peek().kind != Token::rparen) throw FilterError(peek().column, "expected ')'");
            take();
            return n;
        }
        const auto& key = take();
        if (key.kind != Token::word) throw FilterError(key.column, "expected an axis name");
        auto n = std::make_unique<Node>();
        n->column = key.column;
        n->axis = find_axis(axes_, key.text);
        if (n->axis < 0) {
            std::string known;
            for (const auto& a : axes_) known += (known.empty() ? "" : ", ") + a.key;
            throw FilterError(
                key.column,
                fmt::format("'{}' is not an axis of this sweep (axes: {})", key.text, known));
        }
        if (is_keyword("in")) {
            take();
            n->kind = Node::in;
            if (peek().kind != Token::lbracket)
                throw FilterError(peek().column, "expected '[' after 'in'");
            take();
            n->values.push_back(value());
            while (peek().kind == Token::comma) {
                take();
                n->values.push_back(value());
            }
            if (peek().kind != Token::rbracket)
                throw FilterError(peek().column, "expected ',' or ']'");
            take();
            return n;
        }
        const auto& op = take();
        if (op.kind != Token::op)
            throw FilterError(op.column, "expected an operator (==, !=, <, <=, >, >=) or 'in'");
        n->kind = Node::cmp;
        n->op = op.text;
        n->values.push_back(value());
        return n;
    }

    std::vector<Token> t_;
    std::size_t pos_ = 0;
    int depth_ = 0;
    const std::vector<Axis>& axes_;
};

bool eval(const Node& n, const std::vector<Axis>& axes, const std::vector<std::size_t>& value) {
    switch (n.kind) {
        case Node::or_:
            for (const auto& k : n.kids)
                if (eval(*k, axes, value)) return true;
            return false;
        case Node::and_:
            for (const auto& k : n.kids)
                if (!eval(*k, axes, value)) return false;
            return true;
        case Node::not_:
            return !eval(*n.kids[0], axes, value);
        case Node::in: {
            const auto& v = axes[static_cast<std::size_t>(n.axis)]
                                .values[value[static_cast<std::size_t>(n.axis)]];
            for (const auto& x : n.values)
                if (value_equals(v, x)) return true;
            return false;
        }
        case Node::cmp:
            break;
    }
    const auto& v =
        axes[static_cast<std::size_t>(n.axis)].values[value[static_cast<std::size_t>(n.axis)]];
    const auto& rhs = n.values[0];
    if (n.op == "==") return value_equals(v, rhs);
    if (n.op == "!=") return !value_equals(v, rhs);
    double a = 0, b = 0;
    if (!as_number(v.label, a) || !as_number(rhs, b))
        throw FilterError(n.column,
                          fmt::format("'{}' needs numbers on both sides, got '{}' {} '{}'", n.op,
                                      v.label, n.op, rhs));
    if (n.op == "<") return a < b;
    if (n.op == "<=") return a <= b;
    if (n.op == ">") return a > b;
    return a >= b;
}

}  // namespace

Filter::Filter(const std::string& text, const std::vector<Axis>& axes) : axes_(&axes) {
    root_ = Parser(tokenize(text), axes).parse();
}
Filter::~Filter() = default;
Filter::Filter(Filter&&) noexcept = default;
Filter& Filter::operator=(Filter&&) noexcept = default;

bool Filter::operator()(const std::vector<std::size_t>& value) const {
    return eval(*root_, *axes_, value);
}

}  // namespace synbench::sweep
