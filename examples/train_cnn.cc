// Trains the CNN of TensorFlow's tutorial (conv 5x5x32, max-pool, conv
// 5x5x64, max-pool, dense 1024, dropout 0.5, dense 10; Adam) on
// Fashion-MNIST. Flags: see examples/train_main.h.
#include "examples/train_main.h"

int main(int argc, char** argv) {
  return train_main::Main(
      {"train_cnn", "conv5x5x32-pool-conv5x5x64-pool-1024-dropout-10", 3, tessera::demo::BuildTrainCnn}, argc, argv);
}
