// Runs a small graph N times, for instruction counts under callgrind:
//   valgrind --tool=callgrind build/bench/run_count 3 110   (then 10; the difference / 100)
// Graphs: 3 = Placeholder -> Mul -> Add -> Relu on 1x4 f32; 100 = a chain of 100 Adds.
#include <cstdlib>
#include <iostream>

#include "tessera/tessera.h"

using namespace tessera;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: run_count <3|100> <runs>\n";
    return 2;
  }
  const int nodes = std::atoi(argv[1]);
  const int runs = std::atoi(argv[2]);
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{1, 4}, "x");
  Output y;
  if (nodes == 3) {
    y = ops::Relu(*g, ops::Add(*g, ops::Mul(*g, x, ops::Const(*g, 2.0f)), ops::Const(*g, 1.0f)));
  } else {
    Output one = ops::Const(*g, 1.0f);
    y = x;
    for (int i = 0; i < nodes; ++i) y = ops::Add(*g, y, one);
  }
  SessionOptions o;
  o.inter_op_parallelism_threads = 1;
  o.intra_op_parallelism_threads = 1;
  auto sess = Session::Create(g, o).value();
  Session::FeedList feeds = {{x, Tensor::FromVector<float>({1, -2, 3, -4}, {1, 4}).value()}};
  float sum = 0;
  for (int i = 0; i < runs; ++i) {
    auto r = sess->Run(feeds, {y});
    if (!r.ok()) {
      std::cerr << r.status() << "\n";
      return 1;
    }
    sum += (*r)[0].flat<float>()[0];
  }
  std::cout << sum << "\n";
  return 0;
}
