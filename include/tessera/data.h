// Datasets for training: IDX files (MNIST's format, gzip or plain) and
// Fashion-MNIST from Debian's dataset-fashion-mnist package, with shuffled
// mini-batches to feed through placeholders.
//
//   auto train = data::LoadFashionMnist(data::Split::kTrain).value();
//   data::Batches batches(train, 64, /*seed=*/1);
//   Tensor x, y;
//   while (training) { batches.Next(&x, &y); sess->Run({{images, x}, {labels, y}}, ...); }
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tessera/status.h"
#include "tessera/tensor.h"

namespace tessera::data {

// An IDX file's unsigned bytes and dimensions (only type 0x08, unsigned byte,
// which MNIST and Fashion-MNIST use). NotFound when the file is missing;
// DataLoss naming the file for a bad magic number, a truncated file or a
// corrupt gzip stream.
struct IdxData {
  std::vector<int64_t> dims;
  std::vector<uint8_t> bytes;
};
StatusOr<IdxData> ReadIdx(const std::string& path);

// Images as float [n, rows * cols] in [0, 1] (pixel / 255) and labels int32 [n].
struct Examples {
  Tensor images;
  Tensor labels;
  int64_t size() const { return labels.valid() ? labels.dim(0) : 0; }
};

// Reads an image file and a label file; InvalidArgument when their counts
// differ or a label is outside [0, num_classes).
StatusOr<Examples> LoadIdxExamples(const std::string& images_path, const std::string& labels_path,
                                   int num_classes = 10);

enum class Split { kTrain, kTest };
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
// 60,000 training or 10,000 test examples of 784 pixels. NotFound with the
// package to install when the files are missing.
StatusOr<Examples> LoadFashionMnist(Split split, const std::string& dir = kFashionMnistDir);

// Shuffled mini-batches: each epoch visits every example once, in a new
// order drawn from `seed`; the last partial batch of an epoch is dropped
// (batch_size <= size). Not thread-safe.
class Batches {
 public:
  Batches(const Examples& examples, int64_t batch_size, uint64_t seed);
  // InvalidArgument for a batch size outside [1, size].
  Status status() const { return status_; }
  // The next batch (fresh tensors: [batch, features] and [batch]).
  Status Next(Tensor* images, Tensor* labels);
  int64_t epoch() const { return epoch_; }
  // Fraction of epochs done, e.g. 1.25.
  double epochs_done() const;
  int64_t batches_per_epoch() const { return batch_ > 0 ? examples_.size() / batch_ : 0; }

 private:
  Examples examples_;
  int64_t batch_;
  std::mt19937_64 rng_;
  std::vector<int64_t> order_;
  int64_t pos_ = 0;
  int64_t epoch_ = 0;
  Status status_;
};

}  // namespace tessera::data
