#include <catch2/catch.hpp>

#include "nn/dataset.hpp"

using namespace synbench::nn;
using Catch::Contains;

namespace {
std::string be(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string images(std::uint32_t n, std::uint32_t r, std::uint32_t c, int fill) {
    std::string s = be(0x803) + be(n) + be(r) + be(c);
    for (std::uint32_t i = 0; i < n * r * c; ++i) s.push_back(static_cast<char>((i * 37 + static_cast<unsigned>(fill)) & 0xff));
    return s;
}
}  // namespace

TEST_CASE("idx: well-formed files parse", "[idx]") {
    auto img = parse_idx_images(images(3, 28, 28, 0), "x");
    CHECK(img.count == 3);
    CHECK(img.rows == 28);
    CHECK(img.pixels.size() == 3u * 28 * 28);
    auto lab = parse_idx_labels(be(0x801) + be(3) + std::string("\x01\x02\x09", 3), "y");
    CHECK(lab == std::vector<std::uint8_t>{1, 2, 9});
}

TEST_CASE("idx: corrupt files are rejected with the reason", "[idx]") {
    auto good = images(2, 28, 28, 0);
    CHECK_THROWS_WITH(parse_idx_images(good.substr(0, good.size() - 1), "f"), Contains("truncated"));
    CHECK_THROWS_WITH(parse_idx_images(good + "x", "f"), Contains("trailing bytes"));
    CHECK_THROWS_WITH(parse_idx_images(std::string("\x00\x00\x08\x01", 4) + good.substr(4), "f"), Contains("bad magic number 0x00000801"));
    CHECK_THROWS_WITH(parse_idx_images("abc", "f"), Contains("16-byte header"));
    CHECK_THROWS_WITH(parse_idx_images(be(0x803) + be(1) + be(0) + be(28), "f"), Contains("implausible image size"));
    CHECK_THROWS_WITH(parse_idx_labels(be(0x801) + be(2) + std::string("\x01\x0a", 2), "l"), Contains("label 10 of item 1"));
    CHECK_THROWS_WITH(parse_idx_labels(be(0x801) + be(5) + "ab", "l"), Contains("truncated"));
    CHECK_THROWS_AS(read_idx_images("/nonexistent/train-images"), DataError);
}

TEST_CASE("preprocess: crop to the centre and binarise", "[idx]") {
    IdxImages img;
    img.count = 1;
    img.rows = img.cols = 28;
    img.pixels.assign(28 * 28, 0);
    // A bright pixel at (4, 4) is the top-left of the 20×20 crop; (3, 3) is cut away.
    img.pixels[4 * 28 + 4] = 200;
    img.pixels[3 * 28 + 3] = 255;
    img.pixels[23 * 28 + 23] = 127;  // bottom-right of the crop, just below 0.5
    Preprocess p;
    auto d = preprocess(img, {7}, p, "t");
    REQUIRE(d.inputs == 400u);
    CHECK(d.row(0)[0] == 1);
    CHECK(d.row(0)[399] == 0);
    int ones = 0;
    for (std::size_t i = 0; i < 400; ++i) ones += d.row(0)[i];
    CHECK(ones == 1);
    p.binarize = false;
    p.input_bits = 2;
    auto g = preprocess(img, {7}, p, "t");
    CHECK(g.row(0)[0] == 2);    // 200/255·3 = 2.35 → 2
    CHECK(g.row(0)[399] == 1);  // 127/255·3 = 1.49 → 1
    CHECK(g.max_level() == 3);
    CHECK_THROWS_AS(preprocess(img, {1, 2}, p, "t"), DataError);
}
