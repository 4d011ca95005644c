// Trains the MLP of TensorFlow's tutorials (784-256-256-10, ReLU, Adam) on
// Fashion-MNIST: 10 epochs by default (about 30 s on 2 cores, ~89 % test
// accuracy). Flags: see examples/train_main.h.
#include "examples/train_main.h"

int main(int argc, char** argv) {
  return train_main::Main({"train_mlp", "784-256-256-10", 10, tessera::demo::BuildTrainMlp}, argc, argv);
}
