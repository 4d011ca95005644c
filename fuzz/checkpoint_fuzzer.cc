// libFuzzer target: the checkpoint reader. The input is a checkpoint's files:
//   byte 0 even: a tensor bundle; bytes 1-2 (little-endian) the index's length,
//                then the index, then the data file;
//   byte 0 odd:  a "checkpoint" state file (protobuf text).
// Reading never crashes: Open and every Read return a value or an error, and
// a value read is the dtype and shape its entry declares.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "src/persistence/tensor_bundle.h"
#include "tessera/checkpoint.h"

namespace {

const std::string& Dir() {
  static const std::string dir = [] {
    std::string base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    std::string tmpl = base + "/tessera_ckpt_fuzz_XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    return tmpl;
  }();
  return dir;
}

void Write(const std::string& path, const uint8_t* data, size_t n) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
}

void FuzzBundle(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const size_t index_len = std::min<size_t>(size - 2, data[0] | (size_t{data[1]} << 8));
  const std::string prefix = Dir() + "/model";
  Write(tessera::persistence::IndexFilename(prefix), data + 2, index_len);
  Write(tessera::persistence::DataFilename(prefix, 0, 1), data + 2 + index_len, size - 2 - index_len);
  auto reader = tessera::persistence::BundleReader::Open(prefix);
  if (!reader.ok()) return;
  for (const auto& [name, entry] : (*reader)->entries()) {
    tessera::StatusOr<tessera::Tensor> t = (*reader)->Read(name);
    if (t.ok() && (t->dtype() != entry.dtype || !(t->shape() == entry.shape))) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    FuzzBundle(data + 1, size - 1);
  } else {
    Write(Dir() + "/checkpoint", data + 1, size - 1);
    (void)tessera::train::GetCheckpointState(Dir());
    (void)tessera::train::LatestCheckpoint(Dir());
  }
  return 0;
}
