// TensorFlow's V2 checkpoint format, the "tensor bundle":
//
//   <prefix>.index                 a LevelDB table (no compression): under the
//                                  empty key a BundleHeaderProto, then one
//                                  BundleEntryProto per tensor name, sorted
//   <prefix>.data-00000-of-00001   the tensors' bytes, one after another
//
// Each entry names its data file (shard), offset, size, dtype, shape and the
// masked CRC32C of the bytes. Numeric and bool tensors are stored as their
// little-endian elements, exactly as in memory here.
//
// BundleWriter writes both files under temporary names, fsyncs them, renames
// the data file then the index into place and fsyncs the directory: a crash
// leaves either the complete new files or none of them under the final names
// (a previous bundle at another prefix is never touched). The index is
// written through LevelDB's TableBuilder and read by our own checked reader
// (table_reader.h says why). BundleReader reads the index whole when it
// opens and checks every tensor's checksum as it reads it. Every error names the file and the tensor.
//
// Thread-safety: a writer or reader is used from one thread at a time.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/status.h"
#include "tessera/tensor.h"

namespace tessera::persistence {

// "<prefix>.data-00000-of-00001", "<prefix>.index".
std::string DataFilename(std::string_view prefix, int shard, int num_shards);
std::string IndexFilename(std::string_view prefix);

class BundleWriter {
 public:
  explicit BundleWriter(std::string prefix);
  ~BundleWriter();  // removes the temporary files unless Finish succeeded
  BundleWriter(const BundleWriter&) = delete;
  BundleWriter& operator=(const BundleWriter&) = delete;

  // Appends `t` (a host tensor of a numeric or bool dtype) under `key`.
  // InvalidArgument for an empty or repeated key or an invalid tensor;
  // Unimplemented for dtypes the format here does not store (string).
  Status Add(std::string_view key, const Tensor& t);
  // Writes the index and moves both files into place. Once only.
  Status Finish();

 private:
  Status Open();
  Status WriteIndex(const std::string& tmp_index);

  std::string prefix_;
  std::string tmp_data_;
  int fd_ = -1;
  int64_t offset_ = 0;
  bool finished_ = false;
  Status status_;
  std::map<std::string, std::string, std::less<>> entries_;  // key -> serialized BundleEntryProto
};

struct BundleEntry {
  DataType dtype = DataType::kInvalid;
  TensorShape shape;
  int shard = 0;
  int64_t offset = 0;
  int64_t size = 0;
  uint32_t masked_crc = 0;
};

class BundleReader {
 public:
  // NotFound when "<prefix>.index" does not exist; DataLoss for a corrupt or
  // truncated index; Unimplemented for what tessera cannot read (big-endian
  // bundles, partitioned tensors, dtypes it does not have), naming the tensor.
  static StatusOr<std::unique_ptr<BundleReader>> Open(const std::string& prefix);
  ~BundleReader();

  const std::string& prefix() const { return prefix_; }
  // Every tensor, by name.
  const std::map<std::string, BundleEntry, std::less<>>& entries() const { return entries_; }
  // NotFound "Key <key> not found in checkpoint <prefix>"; nullptr never.
  StatusOr<const BundleEntry*> Lookup(std::string_view key) const;
  // Reads and checksums the tensor: DataLoss naming the data file and the key
  // when the file is missing, truncated or the bytes do not match.
  StatusOr<Tensor> Read(std::string_view key) const;

 private:
  explicit BundleReader(std::string prefix) : prefix_(std::move(prefix)) {}
  Status LoadIndex();
  Status AddEntry(const std::string& key, const std::string& value);
  StatusOr<int> DataFile(int shard) const;

  std::string prefix_;
  int num_shards_ = 1;
  std::map<std::string, BundleEntry, std::less<>> entries_;
  mutable std::vector<int> fds_;  // per shard, opened on first read (-1: not yet)
};

}  // namespace tessera::persistence
