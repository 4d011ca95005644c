// Checkpoints in TensorFlow's V2 format: CRC32C, string tensors, the bundle
// writer and reader (round trips, corrupt and truncated files), the Saver
// (TF's node names, Save/Restore, global steps, max_to_keep, the state file,
// subsets, name maps, the errors a user meets), and interoperability with
// checkpoints TensorFlow wrote (tests/data/tf_checkpoint, made by
// tools/tf_checkpoint_fixtures.py) and that TensorFlow reads.
#include <gmock/gmock.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "src/persistence/crc32c.h"
#include "src/persistence/tensor_bundle.h"
#include "tests/test_util.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using TempDir = testing::ScratchDir;

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void FlipByte(const std::string& path, int64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(offset);
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(offset);
  f.write(&c, 1);
}

TEST(Crc32c, KnownValues) {
  // The check value of CRC-32C and the vectors of RFC 3720 (iSCSI).
  EXPECT_EQ(crc32c::Value("123456789", 9), 0xe3069283u);
  const std::string zeros(32, '\0'), ones(32, '\xff');
  EXPECT_EQ(crc32c::Value(zeros.data(), 32), 0x8a9136aau);
  EXPECT_EQ(crc32c::Value(ones.data(), 32), 0x62a8ab43u);
  std::string ascending(32, '\0');
  for (int i = 0; i < 32; ++i) ascending[static_cast<size_t>(i)] = static_cast<char>(i);
  EXPECT_EQ(crc32c::Value(ascending.data(), 32), 0x46dd794eu);
  // Extend continues a CRC: any split gives the whole one.
  EXPECT_EQ(crc32c::Extend(crc32c::Value("12345", 5), "6789", 4), 0xe3069283u);
  for (uint32_t v : {0u, 1u, 0xe3069283u, 0xffffffffu}) {
    EXPECT_EQ(crc32c::Unmask(crc32c::Mask(v)), v);
    EXPECT_NE(crc32c::Mask(v), v);
  }
}

TEST(StringTensor, HoldsCopiesPrintsAndRuns) {
  Tensor s = Tensor::Vec<std::string>({"model.ckpt", "", "it's \"q\"\n\x01"});
  ASSERT_EQ(s.dtype(), DataType::kString);
  EXPECT_EQ(DataTypeString(DataType::kString), "string");
  EXPECT_EQ(s.DebugString(), "[b'model.ckpt' b'' b'it\\'s \"q\"\\n\\x01']");
  EXPECT_EQ(Tensor::Scalar<std::string>("a'b").DebugString(), "b\"a'b\"");
  Tensor c = s.Clone();
  c.flat<std::string>()[0] = "changed";
  EXPECT_EQ(s.flat<std::string>()[0], "model.ckpt");  // a deep copy
  // A long string (on the heap, not inline) survives the tensor's copies.
  Tensor big = Tensor::Scalar<std::string>(std::string(1000, 'x'));
  auto g = Graph::Create();
  Output k = ops::Const(*g, big, "k");
  Output p = ops::Placeholder(*g, DataType::kString, PartialShape({-1}), "p");
  Output id = ops::Identity(*g, p, "id");
  Output dflt = ops::PlaceholderWithDefault(*g, k, PartialShape({}), "dflt");
  auto sess = Session::Create(g);
  ASSERT_TRUE(sess.ok()) << sess.status();
  auto out = (*sess)->Run({{p, s}}, {k, id, dflt});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].flat<std::string>()[0], std::string(1000, 'x'));
  EXPECT_EQ((*out)[1].ToVector<std::string>(), s.ToVector<std::string>());
  EXPECT_EQ((*out)[2].scalar<std::string>().value(), std::string(1000, 'x'));
  out = (*sess)->Run({{dflt, Tensor::Scalar<std::string>("fed")}}, {dflt});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].scalar<std::string>().value(), "fed");
}

void ExpectSameTensor(const Tensor& got, const Tensor& want, const std::string& name) {
  ASSERT_EQ(got.dtype(), want.dtype()) << name;
  ASSERT_EQ(got.shape(), want.shape()) << name;
  EXPECT_EQ(got.DebugString(), want.DebugString()) << name;
  if (want.bytes() > 0) EXPECT_EQ(std::memcmp(got.raw_data(), want.raw_data(), want.bytes()), 0) << name;
}

TEST(Bundle, RoundTripsEveryDtypeAndLeavesNoTemporaryFiles) {
  TempDir dir;
  const std::string prefix = dir / "model";
  persistence::BundleWriter w(prefix);
  for (const auto& [name, t] : testing::CheckpointFixtureTensors()) ASSERT_TRUE(w.Add(name, t).ok()) << name;
  EXPECT_EQ(w.Add("w", Tensor::Scalar<float>(1)).message(), "Adding duplicate key: w");
  EXPECT_EQ(w.Add("s", Tensor::Scalar<std::string>("x")).code(), Code::kUnimplemented);
  ASSERT_TRUE(w.Finish().ok());
  EXPECT_EQ(ListDir(dir.path()), (std::vector<std::string>{"model.data-00000-of-00001", "model.index"}));
  auto r = persistence::BundleReader::Open(prefix);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)->entries().size(), 7u);
  for (const auto& [name, t] : testing::CheckpointFixtureTensors()) {
    StatusOr<Tensor> got = (*r)->Read(name);
    ASSERT_TRUE(got.ok()) << got.status();
    ExpectSameTensor(*got, t, name);
  }
  Status missing = (*r)->Read("nope").status();
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_EQ(missing.message(), "Key nope not found in checkpoint " + prefix);
}

TEST(Bundle, AnUnfinishedWriterLeavesNothing) {
  TempDir dir;
  {
    persistence::BundleWriter w(dir / "model");
    ASSERT_TRUE(w.Add("w", Tensor::Vec<float>({1, 2})).ok());
  }
  EXPECT_TRUE(ListDir(dir.path()).empty());
}

class CorruptBundle : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = dir_ / "model";
    persistence::BundleWriter w(prefix_);
    for (const auto& [name, t] : testing::CheckpointFixtureTensors()) ASSERT_TRUE(w.Add(name, t).ok());
    ASSERT_TRUE(w.Finish().ok());
    data_ = persistence::DataFilename(prefix_, 0, 1);
    index_ = persistence::IndexFilename(prefix_);
  }
  TempDir dir_;
  std::string prefix_, data_, index_;
};

TEST_F(CorruptBundle, AFlippedDataByteIsAChecksumError) {
  // The tensors lie in the order they were added: "w" (24 bytes) first.
  FlipByte(data_, 3);
  auto r = persistence::BundleReader::Open(prefix_);
  ASSERT_TRUE(r.ok()) << r.status();
  Status s = (*r)->Read("w").status();
  EXPECT_EQ(s.code(), Code::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("Checksum does not match: stored "));
  EXPECT_THAT(s.message(), HasSubstr("(tensor 'w' in " + data_ + ")"));
  EXPECT_TRUE((*r)->Read("d").ok());  // the others are intact
}

TEST_F(CorruptBundle, ATruncatedDataFileNamesTheTensorAndBytes) {
  fs::resize_file(data_, 40);
  auto r = persistence::BundleReader::Open(prefix_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE((*r)->Read("w").ok());    // bytes [0, 24)
  Status s = (*r)->Read("d").status();  // bytes [32, 64)
  EXPECT_EQ(s.code(), Code::kDataLoss);
  EXPECT_EQ(s.message(), "The checkpoint data file " + data_ +
                             " is truncated: it has 40 bytes, and tensor 'd' lies at bytes [32, 64)");
}

TEST_F(CorruptBundle, AMissingDataFileIsNotFound) {
  fs::remove(data_);
  auto r = persistence::BundleReader::Open(prefix_);
  ASSERT_TRUE(r.ok()) << r.status();
  Status s = (*r)->Read("w").status();
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr(data_));
}

TEST_F(CorruptBundle, NoCorruptIndexByteGivesAWrongValue) {
  const auto size = static_cast<int64_t>(fs::file_size(index_));
  const std::string pristine = dir_ / "pristine.index";
  fs::copy_file(index_, pristine);
  int errors = 0;
  for (int64_t at = 0; at < size; ++at) {
    fs::copy_file(pristine, index_, fs::copy_options::overwrite_existing);
    FlipByte(index_, at);
    auto r = persistence::BundleReader::Open(prefix_);
    if (!r.ok()) {
      ++errors;
      EXPECT_THAT(r.status().message(), HasSubstr(index_)) << at;
      continue;
    }
    // Bytes nothing reads (the unused metaindex, the footer's padding): every
    // tensor is still there, with its value.
    ASSERT_EQ((*r)->entries().size(), 7u) << at;
    for (const auto& [name, want] : testing::CheckpointFixtureTensors()) {
      StatusOr<Tensor> got = (*r)->Read(name);
      ASSERT_TRUE(got.ok()) << at << ": " << got.status();
      ExpectSameTensor(*got, want, name);
    }
  }
  EXPECT_GT(errors, size / 2);  // the header, the entries and the index block are checksummed
  fs::resize_file(index_, static_cast<uintmax_t>(size / 2));
  auto truncated = persistence::BundleReader::Open(prefix_);
  EXPECT_EQ(truncated.status().code(), Code::kDataLoss);
  EXPECT_THAT(truncated.status().message(), HasSubstr("is corrupt or truncated"));
}

// A footer whose index block claims 2^49 bytes: an error, not an allocation of
// that size (LevelDB's own reader allocates first; fuzz/checkpoint_fuzzer found it).
TEST_F(CorruptBundle, AHugeBlockHandleIsAnErrorNotAnAllocation) {
  std::string bytes;
  {
    std::ifstream f(index_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), {});
  }
  std::string footer(48, '\0');
  // metaindex handle {0, 0}; index handle {0, 2^49} as varints; then the magic number.
  const unsigned char handles[] = {0, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  std::memcpy(footer.data(), handles, sizeof(handles));
  const uint64_t magic = 0xdb4775248b80fb57ull;
  std::memcpy(footer.data() + 40, &magic, 8);
  bytes.replace(bytes.size() - 48, 48, footer);
  std::ofstream(index_, std::ios::binary | std::ios::trunc) << bytes;
  auto r = persistence::BundleReader::Open(prefix_);
  EXPECT_EQ(r.status().code(), Code::kDataLoss);
  EXPECT_THAT(r.status().message(), HasSubstr("lies outside the file"));
}

TEST(Bundle, AMissingIndexIsNotFound) {
  auto r = persistence::BundleReader::Open("/nonexistent/dir/model");
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("/nonexistent/dir/model.index"));
  persistence::BundleWriter w("/nonexistent/dir/model");
  Status s = w.Add("w", Tensor::Scalar<float>(1));
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr("/nonexistent/dir/model.data-00000-of-00001"));
}

}  // namespace
}  // namespace tessera
