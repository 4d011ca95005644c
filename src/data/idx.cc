// IDX files (through zlib, which reads gzip and plain files alike),
// Fashion-MNIST, and shuffled mini-batches.
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <numeric>

#include "tessera/data.h"

namespace tessera::data {
namespace {

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

// Reads exactly n bytes; false at the end of the data or on a stream error.
bool ReadFully(gzFile f, void* out, size_t n) {
  auto* p = static_cast<uint8_t*>(out);
  while (n > 0) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n, 1u << 30));
    const int got = gzread(f, p, chunk);
    if (got <= 0) return false;
    p += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

std::string GzError(gzFile f) {
  int code = 0;
  const char* msg = gzerror(f, &code);
  return code == Z_OK || msg == nullptr ? "the file ends early" : msg;
}

}  // namespace

StatusOr<IdxData> ReadIdx(const std::string& path) {
  if (FILE* probe = std::fopen(path.c_str(), "rb")) {
    std::fclose(probe);
  } else {
    return NotFoundError(path + ": " + std::strerror(errno));
  }
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) return NotFoundError(path + ": cannot open");
  uint8_t magic[4];
  if (!ReadFully(f.get(), magic, 4)) return DataLossError(path + ": not an IDX file (" + GzError(f.get()) + ")");
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] < 1 || magic[3] > 4) {
    char hex[16];
    std::snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", magic[0], magic[1], magic[2], magic[3]);
    return DataLossError(path + ": not an IDX file of unsigned bytes (magic 0x" + hex +
                         ", expected 0x000008 then 1 to 4 dimensions)");
  }
  IdxData d;
  int64_t total = 1;
  for (int i = 0; i < magic[3]; ++i) {
    uint8_t b[4];
    if (!ReadFully(f.get(), b, 4)) return DataLossError(path + ": truncated header (" + GzError(f.get()) + ")");
    const int64_t dim = (int64_t{b[0]} << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    if (dim > (int64_t{1} << 31) / std::max<int64_t>(total, 1)) {
      return DataLossError(path + ": dimensions too large (" + std::to_string(dim) + ")");
    }
    d.dims.push_back(dim);
    total *= dim;
  }
  d.bytes.resize(static_cast<size_t>(total));
  if (!ReadFully(f.get(), d.bytes.data(), d.bytes.size())) {
    return DataLossError(path + ": truncated: expected " + std::to_string(total) + " bytes of data (" +
                         GzError(f.get()) + ")");
  }
  return d;
}

StatusOr<Examples> LoadIdxExamples(const std::string& images_path, const std::string& labels_path, int num_classes) {
  TESSERA_ASSIGN_OR_RETURN(IdxData images, ReadIdx(images_path));
  TESSERA_ASSIGN_OR_RETURN(IdxData labels, ReadIdx(labels_path));
  if (images.dims.size() < 2) return DataLossError(images_path + ": expected images of rank >= 2");
  if (labels.dims.size() != 1) return DataLossError(labels_path + ": expected labels of rank 1");
  const int64_t n = images.dims[0];
  if (labels.dims[0] != n) {
    return InvalidArgumentError(images_path + " holds " + std::to_string(n) + " images but " + labels_path + " holds " +
                                std::to_string(labels.dims[0]) + " labels");
  }
  const int64_t features = n == 0 ? 0 : static_cast<int64_t>(images.bytes.size()) / n;
  Examples e;
  TESSERA_ASSIGN_OR_RETURN(e.images, Tensor::Create(DataType::kFloat, TensorShape{n, features}));
  TESSERA_ASSIGN_OR_RETURN(e.labels, Tensor::Create(DataType::kInt32, TensorShape{n}));
  float* px = e.images.flat<float>().data();
  for (size_t i = 0; i < images.bytes.size(); ++i) px[i] = static_cast<float>(images.bytes[i]) / 255.0f;
  int32_t* py = e.labels.flat<int32_t>().data();
  for (int64_t i = 0; i < n; ++i) {
    py[i] = labels.bytes[static_cast<size_t>(i)];
    if (py[i] >= num_classes) {
      return InvalidArgumentError(labels_path + ": label " + std::to_string(py[i]) + " of example " +
                                  std::to_string(i) + " is outside [0, " + std::to_string(num_classes) + ")");
    }
  }
  return e;
}

StatusOr<Examples> LoadFashionMnist(Split split, const std::string& dir) {
  const std::string prefix = dir + (split == Split::kTrain ? "/train" : "/t10k");
  StatusOr<Examples> e = LoadIdxExamples(prefix + "-images-idx3-ubyte.gz", prefix + "-labels-idx1-ubyte.gz");
  if (e.status().code() == Code::kNotFound) {
    return NotFoundError(e.status().message() +
                         " (Fashion-MNIST comes from Debian's dataset-fashion-mnist package: "
                         "scripts/install_deps.sh installs it)");
  }
  return e;
}

Batches::Batches(const Examples& examples, int64_t batch_size, uint64_t seed)
    : examples_(examples), batch_(batch_size), rng_(seed) {
  if (batch_size < 1 || batch_size > examples.size()) {
    status_ = InvalidArgumentError("batch size must be in [1, " + std::to_string(examples.size()) + "], got " +
                                   std::to_string(batch_size));
    return;
  }
  order_.resize(static_cast<size_t>(examples.size()));
  std::iota(order_.begin(), order_.end(), 0);
  std::shuffle(order_.begin(), order_.end(), rng_);
}

double Batches::epochs_done() const {
  const int64_t per = batches_per_epoch();
  return per == 0 ? 0.0 : static_cast<double>(epoch_) + static_cast<double>(pos_ / batch_) / static_cast<double>(per);
}

Status Batches::Next(Tensor* images, Tensor* labels) {
  TESSERA_RETURN_IF_ERROR(status_);
  if (pos_ + batch_ > examples_.size()) {
    std::shuffle(order_.begin(), order_.end(), rng_);
    pos_ = 0;
    ++epoch_;
  }
  const int64_t features = examples_.images.dim(1);
  TESSERA_ASSIGN_OR_RETURN(*images, Tensor::Create(DataType::kFloat, TensorShape{batch_, features}));
  TESSERA_ASSIGN_OR_RETURN(*labels, Tensor::Create(DataType::kInt32, TensorShape{batch_}));
  const float* src = examples_.images.flat<float>().data();
  const int32_t* lab = examples_.labels.flat<int32_t>().data();
  float* dst = images->flat<float>().data();
  int32_t* out = labels->flat<int32_t>().data();
  for (int64_t i = 0; i < batch_; ++i) {
    const int64_t row = order_[static_cast<size_t>(pos_ + i)];
    std::memcpy(dst + i * features, src + row * features, static_cast<size_t>(features) * sizeof(float));
    out[i] = lab[row];
  }
  pos_ += batch_;
  return Status::OK();
}

}  // namespace tessera::data
