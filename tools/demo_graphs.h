// The graphs of the demo, shared by the example program, tessera-explain and
// the tests that assert what the demo prints.
#pragma once

#include <tessera/tessera.h>

#include <memory>

namespace tessera::demo {

// The demo's MLP (784-256-10): a placeholder x [?, 784]; layers under the
// name scope "mlp", pinned to /gpu:0; a softmax and an argmax after them.
struct MlpGraph {
  std::shared_ptr<Graph> graph;
  Output x;           // float [?, 784]
  Output probs;       // float [?, 10]
  Output prediction;  // int64 [?]
  Operation init;     // initialises the four variables
};
MlpGraph BuildMlp();

}  // namespace tessera::demo
