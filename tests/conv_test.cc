// Float convolution (oneDNN) against the double reference loops
// (src/kernels/conv_math.h), every pass, over strides, dilations and
// SAME/VALID padding with uneven padding.
#include <gtest/gtest.h>
#include <tessera/tessera.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "src/framework/conv_shape.h"
#include "src/kernels/backend_kernels.h"
#include "src/kernels/conv_math.h"

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

// NCHW runs the NHWC math on transposed images: the same numbers, bit for
// bit, for every pass of Conv2D, the pools and BiasAdd.
TEST(Conv2D, NchwIsNhwcTransposed) {
  const V strides = {1, 2, 1, 1}, dilations = {1, 1, 2, 1};
  const std::vector<int> to_nchw = {0, 3, 1, 2};
  const V strides_nchw = {1, 1, 2, 1}, dilations_nchw = {1, 1, 1, 2}, window = {1, 1, 3, 2}, window_nhwc = {1, 3, 2, 1};
  const auto nchw = ops::DataFormat::kNCHW;
  for (const DataType dt : {DataType::kFloat, DataType::kDouble}) {
    auto g = Graph::Create();
    Output x = ops::Const(*g, Random(dt, {2, 14, 13, 8}, 1));
    Output f = ops::Const(*g, Random(dt, {5, 3, 8, 16}, 2));
    Output b = ops::Const(*g, Random(dt, {16}, 4));
    Output y = ops::BiasAdd(*g, ops::Conv2D(*g, x, f, strides, "SAME", dilations), b);
    Output dy = ops::Const(*g, Random(dt, y.shape().dims(), 3));
    Output pool = ops::MaxPool(*g, y, window_nhwc, window_nhwc, "SAME");
    const std::vector<Output> nhwc = {
        y, ops::Conv2DBackpropInput(*g, ops::Shape(*g, x), f, dy, strides, "SAME", dilations), pool,
        ops::MaxPoolGrad(*g, y, pool, pool, window_nhwc, window_nhwc, "SAME"),
        ops::AvgPool(*g, y, window_nhwc, window_nhwc, "VALID")};
    Output xn = ops::Transpose(*g, x, to_nchw), dyn = ops::Transpose(*g, dy, to_nchw);
    Output yn = ops::BiasAdd(*g, ops::Conv2D(*g, xn, f, strides_nchw, "SAME", dilations_nchw, nchw), b, nchw);
    Output pooln = ops::MaxPool(*g, yn, window, window, "SAME", nchw);
    const std::vector<Output> channels_first = {
        yn, ops::Conv2DBackpropInput(*g, ops::Shape(*g, xn), f, dyn, strides_nchw, "SAME", dilations_nchw, nchw), pooln,
        ops::MaxPoolGrad(*g, yn, pooln, pooln, window, window, "SAME", nchw),
        ops::AvgPool(*g, yn, window, window, "VALID", nchw)};
    std::vector<Output> fetches;
    for (size_t i = 0; i < nhwc.size(); ++i) {
      fetches.push_back(ops::Transpose(*g, nhwc[i], to_nchw));
      fetches.push_back(channels_first[i]);
    }
    fetches.push_back(ops::Conv2DBackpropFilter(*g, x, ops::Shape(*g, f), dy, strides, "SAME", dilations));
    fetches.push_back(
        ops::Conv2DBackpropFilter(*g, xn, ops::Shape(*g, f), dyn, strides_nchw, "SAME", dilations_nchw, nchw));
    fetches.push_back(ops::BiasAddGrad(*g, dy));
    fetches.push_back(ops::BiasAddGrad(*g, dyn, nchw));
    ASSERT_TRUE(g->status().ok()) << g->status();
    auto r = Session::Create(g).value()->Run({}, fetches);
    ASSERT_TRUE(r.ok()) << r.status();
    for (size_t i = 0; i < r->size(); i += 2) {
      SCOPED_TRACE("pair " + std::to_string(i / 2) + " " + std::string(DataTypeString(dt)));
      const Tensor &want = (*r)[i], &got = (*r)[i + 1];
      ASSERT_EQ(want.shape(), got.shape());
      EXPECT_EQ(std::memcmp(want.raw_data(), got.raw_data(), want.bytes()), 0);
    }
  }
}

// The CPU pools' window-at-a-time loops (and MaxPoolGrad's disjoint-window
// path) against the reference element functions the GPU kernels run, on
// inputs with ties and NaNs (TF's rules, above convmath::LowestOf).
TEST(Pool, FastLoopsMatchTheReferenceElements) {
  struct PoolCase {
    V input, ksize, strides;
    std::string padding;
  };
  const std::vector<PoolCase> cases = {
      {{2, 6, 6, 5}, {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME"},   // disjoint
      {{1, 7, 5, 3}, {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME"},   // disjoint, a padded edge
      {{1, 7, 7, 2}, {1, 2, 3, 1}, {1, 3, 3, 1}, "VALID"},  // disjoint, elements in no window
      {{2, 5, 5, 3}, {1, 3, 3, 1}, {1, 1, 1, 1}, "SAME"},   // overlapping
  };
  for (const PoolCase& c : cases) {
    SCOPED_TRACE(TensorShape(c.input).DebugString() + " " + c.padding);
    Tensor x = Random(DataType::kFloat, c.input, 4);
    for (int64_t i = 0; i < x.num_elements(); ++i) {
      float& v = x.flat<float>()[i];
      v = std::round(v * 2) / 2;  // five values: many ties
      if (i % 23 == 5) v = std::nanf("");
    }
    const WindowShape s = PoolShapeOf(c.input, c.ksize, c.strides, c.padding, "NHWC").value();
    const convmath::Dims d = ConvDimsOf(s);
    auto g = Graph::Create();
    Output in = ops::Const(*g, x);
    Output mx = ops::MaxPool(*g, in, c.ksize, c.strides, c.padding);
    Output avg = ops::AvgPool(*g, in, c.ksize, c.strides, c.padding);
    Tensor dy = Random(DataType::kFloat, mx.shape().dims(), 5);
    Output grad = ops::MaxPoolGrad(*g, in, mx, ops::Const(*g, dy), c.ksize, c.strides, c.padding);
    auto r = Session::Create(g).value()->Run({}, {mx, avg, grad});
    ASSERT_TRUE(r.ok()) << r.status();
    const float* px = x.flat<float>().data();
    auto same = [](float a, float b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
    for (int64_t i = 0; i < (*r)[0].num_elements(); ++i) {
      const int64_t ch = i % d.in_depth, ox = i / d.in_depth % d.out_cols,
                    oy = i / d.in_depth / d.out_cols % d.out_rows;
      const int64_t n = i / (d.in_depth * d.out_cols * d.out_rows);
      EXPECT_TRUE(same((*r)[0].flat<float>()[i], convmath::PoolAt(d, px, true, n, oy, ox, ch))) << "max " << i;
      EXPECT_TRUE(same((*r)[1].flat<float>()[i], convmath::PoolAt(d, px, false, n, oy, ox, ch))) << "avg " << i;
    }
    for (int64_t i = 0; i < (*r)[2].num_elements(); ++i) {
      const int64_t ch = i % d.in_depth, ix = i / d.in_depth % d.in_cols, iy = i / d.in_depth / d.in_cols % d.in_rows;
      const int64_t n = i / (d.in_depth * d.in_cols * d.in_rows);
      const float want = convmath::PoolGradAt(d, px, dy.flat<float>().data(), true, n, iy, ix, ch);
      EXPECT_EQ((*r)[2].flat<float>()[i], want) << "max grad " << i;
    }
  }
}

// NaN and infinities in max pooling, as TF 2.21 computes them (with and
// without oneDNN, tools-free: the values were read off tf.nn.max_pool2d and
// its gradient): the value never takes NaN or -inf (the dtype's lowest
// finite value when nothing else is there); the gradient goes to the first
// element unless a later one is strictly greater.
TEST(Pool, NanAndInfinityAsTensorFlow) {
  const float n = std::nanf(""), inf = std::numeric_limits<float>::infinity();
  const std::vector<std::array<float, 4>> windows = {{n, n, n, n}, {n, 1, n, 0}, {-inf, n, -inf, -inf},
                                                     {2, n, 3, n}, {1, 2, n, n}, {3, 3, n, 1}};
  const std::vector<float> want_max = {-3.4028235e+38f, 1, -3.4028235e+38f, 3, 2, 3};
  const std::vector<int> want_arg = {0, 0, 0, 2, 1, 0};  // in window order: (0,0) (0,1) (1,0) (1,1)
  const int64_t w = static_cast<int64_t>(windows.size());
  for (const DataType dt : {DataType::kFloat, DataType::kDouble}) {
    SCOPED_TRACE(std::string(DataTypeString(dt)));
    Tensor x(DataType::kFloat, TensorShape{1, 2, 2 * w, 1});
    Tensor dy(DataType::kFloat, TensorShape{1, 1, w, 1});
    for (int64_t k = 0; k < w; ++k) {
      for (int e = 0; e < 4; ++e) x.flat<float>()[(e / 2) * 2 * w + 2 * k + e % 2] = windows[k][e];
      dy.flat<float>()[k] = static_cast<float>(k + 1);
    }
    auto g = Graph::Create();
    Output xi = ops::Cast(*g, ops::Const(*g, x), dt), dyi = ops::Cast(*g, ops::Const(*g, dy), dt);
    Output y = ops::MaxPool(*g, xi, {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");
    Output y3 = ops::MaxPool(*g, xi, {1, 2, 2, 1}, {1, 1, 2, 1}, "SAME");  // overlapping rows: the general loop
    Output grad = ops::MaxPoolGrad(*g, xi, y, dyi, {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");
    auto r = Session::Create(g).value()->Run(
        {}, {ops::Cast(*g, y, DataType::kDouble), ops::Cast(*g, grad, DataType::kDouble),
             ops::Cast(*g, y3, DataType::kDouble)});
    ASSERT_TRUE(r.ok()) << r.status();
    for (int64_t k = 0; k < w; ++k) {
      const double lowest = dt == DataType::kFloat ? -3.4028234663852886e+38 : std::numeric_limits<double>::lowest();
      EXPECT_EQ((*r)[0].flat<double>()[k], want_max[k] < -1e38f ? lowest : want_max[k]) << "window " << k;
      EXPECT_EQ((*r)[2].flat<double>()[k], (*r)[0].flat<double>()[k]) << "window " << k << " (SAME, stride 1)";
      for (int e = 0; e < 4; ++e) {
        const double got = (*r)[1].flat<double>()[(e / 2) * 2 * w + 2 * k + e % 2];
        EXPECT_EQ(got, e == want_arg[k] ? static_cast<double>(k + 1) : 0.0) << "window " << k << " element " << e;
      }
    }
  }
}

// The filter moves around cuDNN (HWIO -> KRSC and back), as the GPU's
// gather kernel walks them: each element lands where KRSC puts it, and the
// round trip is the identity.
TEST(Conv2D, FilterLayoutMovesForCudnn) {
  const int64_t kh = 3, kw = 2, in = 4, out = 5, n = kh * kw * in * out;
  auto walk = [n](const convmath::FilterMove& m, const std::vector<int>& src) {
    std::vector<int> dst(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      int64_t rest = i, from = 0;
      for (int d = 3; d >= 0; --d) {
        from += rest % m.dims[d] * m.strides[d];
        rest /= m.dims[d];
      }
      dst[static_cast<size_t>(i)] = src[static_cast<size_t>(from)];
    }
    return dst;
  };
  std::vector<int> hwio(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) hwio[static_cast<size_t>(i)] = static_cast<int>(i);
  const std::vector<int> krsc = walk(convmath::FilterLayoutMove(kh, kw, in, out, true), hwio);
  for (int64_t o = 0; o < out; ++o) {
    for (int64_t y = 0; y < kh; ++y) {
      for (int64_t x = 0; x < kw; ++x) {
        for (int64_t c = 0; c < in; ++c) {
          EXPECT_EQ(krsc[static_cast<size_t>(((o * kh + y) * kw + x) * in + c)],
                    hwio[static_cast<size_t>(((y * kw + x) * in + c) * out + o)]);
        }
      }
    }
  }
  EXPECT_EQ(walk(convmath::FilterLayoutMove(kh, kw, in, out, false), krsc), hwio);
}

}  // namespace
}  // namespace tessera
