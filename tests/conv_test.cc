// Float convolution (oneDNN) against the double reference loops
// (src/kernels/conv_math.h), every pass, over strides, dilations and
// SAME/VALID padding with uneven padding.
#include <gtest/gtest.h>
#include <tessera/tessera.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace tessera {
namespace {

using V = std::vector<int64_t>;

struct Geometry {
  V input, filter, strides, dilations;
  std::string padding;
};

Tensor Random(DataType dt, const V& dims, uint64_t seed) {
  Tensor t(dt, TensorShape(dims));
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const double u = static_cast<double>(x >> 11) / static_cast<double>(uint64_t{1} << 53) * 2 - 1;
    if (dt == DataType::kFloat) {
      t.flat<float>()[i] = static_cast<float>(u);
    } else {
      t.flat<double>()[i] = static_cast<double>(static_cast<float>(u));
    }
  }
  return t;
}

// The three passes of one geometry in `dt`: output, d input, d filter.
std::vector<Tensor> Passes(const Geometry& c, DataType dt) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Random(dt, c.input, 1));
  Output f = ops::Const(*g, Random(dt, c.filter, 2));
  Output y = ops::Conv2D(*g, x, f, c.strides, c.padding, c.dilations);
  EXPECT_TRUE(g->status().ok()) << g->status();
  const V out = y.shape().dims();
  Output dy = ops::Const(*g, Random(dt, out, 3));
  Output dx = ops::Conv2DBackpropInput(*g, ops::Shape(*g, x), f, dy, c.strides, c.padding, c.dilations);
  Output df = ops::Conv2DBackpropFilter(*g, x, ops::Shape(*g, f), dy, c.strides, c.padding, c.dilations);
  auto r = Session::Create(g).value()->Run({}, {y, dx, df});
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : std::vector<Tensor>{};
}

TEST(Conv2D, OneDnnFloatMatchesTheReferenceLoops) {
  const std::vector<Geometry> cases = {
      {{2, 28, 28, 1}, {5, 5, 1, 8}, {1, 1, 1, 1}, {1, 1, 1, 1}, "SAME"},
      {{2, 14, 14, 8}, {5, 5, 8, 16}, {1, 1, 1, 1}, {1, 1, 1, 1}, "SAME"},
      {{3, 9, 7, 3}, {3, 3, 3, 5}, {1, 2, 2, 1}, {1, 1, 1, 1}, "SAME"},
      {{1, 10, 9, 2}, {3, 2, 2, 3}, {1, 1, 2, 1}, {1, 2, 1, 1}, "VALID"},
      {{2, 6, 5, 4}, {4, 3, 4, 2}, {1, 3, 2, 1}, {1, 1, 1, 1}, "SAME"},
      {{1, 7, 7, 3}, {1, 1, 3, 4}, {1, 1, 1, 1}, {1, 1, 1, 1}, "VALID"},
      {{4, 28, 28, 1}, {5, 5, 1, 32}, {1, 1, 1, 1}, {1, 1, 1, 1}, "SAME"},  // the tutorial CNN's layers
      {{4, 14, 14, 32}, {5, 5, 32, 64}, {1, 1, 1, 1}, {1, 1, 1, 1}, "SAME"},
  };
  for (const Geometry& c : cases) {
    SCOPED_TRACE(TensorShape(c.input).DebugString() + " * " + TensorShape(c.filter).DebugString() + " " + c.padding);
    const std::vector<Tensor> f = Passes(c, DataType::kFloat), d = Passes(c, DataType::kDouble);
    ASSERT_EQ(f.size(), 3u);
    ASSERT_EQ(d.size(), 3u);
    for (int p = 0; p < 3; ++p) {
      ASSERT_EQ(f[p].shape(), d[p].shape()) << "pass " << p;
      double scale = 1;
      for (double v : d[p].flat<double>()) scale = std::max(scale, std::abs(v));
      for (int64_t i = 0; i < f[p].num_elements(); ++i) {
        ASSERT_NEAR(f[p].flat<float>()[i], d[p].flat<double>()[i], 2e-5 * scale) << "pass " << p << " element " << i;
      }
    }
  }
}

}  // namespace
}  // namespace tessera
