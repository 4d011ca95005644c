#include "src/persistence/tensor_bundle.h"

#include <fcntl.h>
#include <leveldb/env.h>
#include <leveldb/options.h>
#include <leveldb/table_builder.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "src/persistence/checkpoint.pb.h"
#include "src/persistence/crc32c.h"
#include "src/persistence/file_util.h"
#include "src/persistence/proto_util.h"
#include "src/persistence/table_reader.h"

namespace tessera::persistence {
namespace {

constexpr int kBundleVersion = 1;  // TF's kTensorBundleVersion
constexpr int kMaxShards = 1 << 16;

std::string Quoted(std::string_view key) { return "'" + std::string(key) + "'"; }

}  // namespace

std::string DataFilename(std::string_view prefix, int shard, int num_shards) {
  char suffix[40];
  std::snprintf(suffix, sizeof(suffix), ".data-%05d-of-%05d", shard, num_shards);
  return std::string(prefix) + suffix;
}

std::string IndexFilename(std::string_view prefix) { return std::string(prefix) + ".index"; }

// ---- BundleWriter ----

BundleWriter::BundleWriter(std::string prefix) : prefix_(std::move(prefix)) {}

BundleWriter::~BundleWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!finished_ && !tmp_data_.empty()) ::unlink(tmp_data_.c_str());
}

Status BundleWriter::Open() {
  tmp_data_ = TempName(DataFilename(prefix_, 0, 1));
  fd_ = ::open(tmp_data_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    const int err = errno;
    tmp_data_.clear();
    return ErrnoStatus(err, "Failed to create a NewWriteableFile: " + DataFilename(prefix_, 0, 1));
  }
  return Status::OK();
}

Status BundleWriter::Add(std::string_view key, const Tensor& t) {
  TESSERA_RETURN_IF_ERROR(status_);
  if (finished_) return FailedPreconditionError("BundleWriter for " + prefix_ + " is already finished");
  if (key.empty()) return InvalidArgumentError("A checkpoint tensor needs a name (the empty key is the header)");
  if (entries_.count(key) != 0) return InvalidArgumentError("Adding duplicate key: " + std::string(key));
  if (!t.valid()) return InvalidArgumentError("Tensor " + Quoted(key) + " to save is invalid");
  if (t.dtype() == DataType::kString) {
    return UnimplementedError("Tensor " + Quoted(key) + " is a string tensor; tessera saves numeric and bool tensors");
  }
  if (!t.on_host()) return FailedPreconditionError("Tensor " + Quoted(key) + " to save is not in host memory");
  if (fd_ < 0) TESSERA_RETURN_IF_ERROR(status_ = Open());
  const size_t bytes = t.bytes();
  status_ = WriteAll(fd_, t.raw_data(), bytes, tmp_data_);
  TESSERA_RETURN_IF_ERROR(status_);
  tfproto::BundleEntryProto entry;
  entry.set_dtype(ToProto(t.dtype()));
  ToProto(t.shape(), entry.mutable_shape());
  entry.set_shard_id(0);
  entry.set_offset(offset_);
  entry.set_size(static_cast<int64_t>(bytes));
  entry.set_crc32c(crc32c::Mask(crc32c::Value(t.raw_data(), bytes)));
  offset_ += static_cast<int64_t>(bytes);
  entries_.emplace(std::string(key), entry.SerializeAsString());
  return Status::OK();
}

Status BundleWriter::WriteIndex(const std::string& tmp_index) {
  leveldb::WritableFile* file = nullptr;
  leveldb::Status s = leveldb::Env::Default()->NewWritableFile(tmp_index, &file);
  if (!s.ok()) return UnknownError("Failed to create a NewWriteableFile: " + tmp_index + ": " + s.ToString());
  std::unique_ptr<leveldb::WritableFile> owned(file);
  leveldb::Options options;
  options.compression = leveldb::kNoCompression;  // as TF writes its index
  leveldb::TableBuilder builder(options, file);
  tfproto::BundleHeaderProto header;
  header.set_num_shards(1);
  header.set_endianness(tfproto::BundleHeaderProto::LITTLE);
  header.mutable_version()->set_producer(kBundleVersion);
  builder.Add("", header.SerializeAsString());
  for (const auto& [key, value] : entries_) builder.Add(key, value);
  s = builder.Finish();
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (!s.ok()) return UnknownError("Failed to write the checkpoint index " + tmp_index + ": " + s.ToString());
  return Status::OK();
}

Status BundleWriter::Finish() {
  TESSERA_RETURN_IF_ERROR(status_);
  if (finished_) return FailedPreconditionError("BundleWriter for " + prefix_ + " is already finished");
  if (fd_ < 0) TESSERA_RETURN_IF_ERROR(status_ = Open());
  const int fd = fd_;
  fd_ = -1;
  status_ = SyncAndClose(fd, tmp_data_);
  TESSERA_RETURN_IF_ERROR(status_);
  const std::string tmp_index = TempName(IndexFilename(prefix_));
  status_ = WriteIndex(tmp_index);
  if (status_.ok()) status_ = RenameFile(tmp_data_, DataFilename(prefix_, 0, 1));
  if (status_.ok()) status_ = RenameFile(tmp_index, IndexFilename(prefix_));
  if (!status_.ok()) {
    ::unlink(tmp_index.c_str());
    return status_;
  }
  finished_ = true;
  return SyncDirectoryOf(IndexFilename(prefix_));
}

// ---- BundleReader ----

BundleReader::~BundleReader() {
  for (int fd : fds_) {
    if (fd >= 0) ::close(fd);
  }
}

StatusOr<std::unique_ptr<BundleReader>> BundleReader::Open(const std::string& prefix) {
  std::unique_ptr<BundleReader> r(new BundleReader(prefix));
  TESSERA_RETURN_IF_ERROR(r->LoadIndex());
  r->fds_.assign(static_cast<size_t>(r->num_shards_), -1);
  return r;
}

Status BundleReader::LoadIndex() {
  const std::string index = IndexFilename(prefix_);
  if (!FileExists(index)) {
    return NotFoundError("Failed to find any matching files for " + prefix_ + " (no file " + index + ")");
  }
  TESSERA_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(index));
  TESSERA_ASSIGN_OR_RETURN(auto table, ReadTable(bytes, index));
  if (table.empty() || !table.front().first.empty()) {
    return DataLossError("The checkpoint index " + index + " has no header entry");
  }
  tfproto::BundleHeaderProto header;
  if (!header.ParseFromString(table.front().second)) {
    return DataLossError("The checkpoint index " + index + " has a header that does not parse");
  }
  if (header.endianness() != tfproto::BundleHeaderProto::LITTLE) {
    return UnimplementedError("The checkpoint " + prefix_ + " is big-endian; tessera reads little-endian bundles");
  }
  if (header.version().min_consumer() > kBundleVersion) {
    return UnimplementedError("The checkpoint " + prefix_ + " needs a reader of version " +
                              std::to_string(header.version().min_consumer()) + " or newer; tessera's is " +
                              std::to_string(kBundleVersion));
  }
  for (int bad : header.version().bad_consumers()) {
    if (bad == kBundleVersion) {
      return UnimplementedError("The checkpoint " + prefix_ + " disallows readers of version " + std::to_string(bad));
    }
  }
  if (header.num_shards() < 1 || header.num_shards() > kMaxShards) {
    return DataLossError("The checkpoint index " + index + " declares " + std::to_string(header.num_shards()) +
                         " data files");
  }
  num_shards_ = header.num_shards();
  for (size_t i = 1; i < table.size(); ++i) TESSERA_RETURN_IF_ERROR(AddEntry(table[i].first, table[i].second));
  return Status::OK();
}

Status BundleReader::AddEntry(const std::string& key, const std::string& value) {
  const std::string what = "Tensor " + Quoted(key) + " in " + IndexFilename(prefix_);
  tfproto::BundleEntryProto proto;
  if (!proto.ParseFromString(value)) return DataLossError(what + ": the entry does not parse");
  if (proto.slices_size() > 0) {
    return UnimplementedError(what + " is saved in slices (a partitioned variable); tessera reads whole tensors");
  }
  BundleEntry e;
  TESSERA_ASSIGN_OR_RETURN(e.dtype, FromProto(proto.dtype(), what));
  StatusOr<TensorShape> shape = FromProto(proto.shape(), what);
  if (!shape.ok()) return DataLossError(shape.status().message());
  e.shape = *shape;
  e.shard = proto.shard_id();
  e.offset = proto.offset();
  e.size = proto.size();
  e.masked_crc = proto.crc32c();
  if (e.shard < 0 || e.shard >= num_shards_ || e.offset < 0 || e.size < 0) {
    return DataLossError(what + " has a bad location (data file " + std::to_string(e.shard) + " of " +
                         std::to_string(num_shards_) + ", offset " + std::to_string(e.offset) + ", size " +
                         std::to_string(e.size) + ")");
  }
  const int64_t expected = TensorByteCount(e.dtype, e.shape.num_elements());
  if (e.dtype != DataType::kString && e.size != expected) {
    return DataLossError(what + " holds " + std::to_string(e.size) + " bytes, but a " +
                         std::string(DataTypeString(e.dtype)) + " tensor of shape " + e.shape.DebugString() +
                         " needs " + std::to_string(expected));
  }
  entries_.emplace(key, e);
  return Status::OK();
}

StatusOr<const BundleEntry*> BundleReader::Lookup(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return NotFoundError("Key " + std::string(key) + " not found in checkpoint " + prefix_);
  return &it->second;
}

StatusOr<int> BundleReader::DataFile(int shard) const {
  int& fd = fds_[static_cast<size_t>(shard)];
  if (fd < 0) {
    const std::string name = DataFilename(prefix_, shard, num_shards_);
    fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(errno, "Cannot open the checkpoint data file " + name);
  }
  return fd;
}

StatusOr<Tensor> BundleReader::Read(std::string_view key) const {
  TESSERA_ASSIGN_OR_RETURN(const BundleEntry* e, Lookup(key));
  if (e->dtype == DataType::kString) {
    return UnimplementedError("Tensor " + Quoted(key) + " in " + prefix_ +
                              " is a string tensor; tessera reads numeric and bool tensors");
  }
  const std::string file = DataFilename(prefix_, e->shard, num_shards_);
  TESSERA_ASSIGN_OR_RETURN(int fd, DataFile(e->shard));
  struct stat st {};
  if (::fstat(fd, &st) != 0) return ErrnoStatus(errno, "Cannot stat the checkpoint data file " + file);
  if (st.st_size < e->offset || st.st_size - e->offset < e->size) {
    return DataLossError("The checkpoint data file " + file + " is truncated: it has " + std::to_string(st.st_size) +
                         " bytes, and tensor " + Quoted(key) + " lies at bytes [" + std::to_string(e->offset) + ", " +
                         std::to_string(e->offset + e->size) + ")");
  }
  TESSERA_ASSIGN_OR_RETURN(Tensor t, Tensor::Create(e->dtype, e->shape));
  TESSERA_RETURN_IF_ERROR(ReadAll(fd, t.raw_data(), static_cast<size_t>(e->size), e->offset, file));
  const uint32_t stored = crc32c::Unmask(e->masked_crc);
  const uint32_t actual = crc32c::Value(t.raw_data(), static_cast<size_t>(e->size));
  if (stored != actual) {
    return DataLossError("Checksum does not match: stored " + std::to_string(stored) +
                         " vs. calculated on the restored bytes " + std::to_string(actual) + " (tensor " + Quoted(key) +
                         " in " + file + ")");
  }
  return t;
}

}  // namespace tessera::persistence
