// CheckpointReader and the "checkpoint" state file.
#include "src/persistence/checkpoint_state.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <unistd.h>

#include "src/persistence/checkpoint.pb.h"
#include "src/persistence/file_util.h"
#include "src/persistence/proto_util.h"
#include "src/persistence/tensor_bundle.h"

namespace tessera {

CheckpointReader::CheckpointReader(std::unique_ptr<persistence::BundleReader> reader) : reader_(std::move(reader)) {}
CheckpointReader::~CheckpointReader() = default;

StatusOr<std::unique_ptr<CheckpointReader>> CheckpointReader::Open(const std::string& prefix) {
  TESSERA_ASSIGN_OR_RETURN(auto reader, persistence::BundleReader::Open(prefix));
  return std::unique_ptr<CheckpointReader>(new CheckpointReader(std::move(reader)));
}

std::map<std::string, CheckpointReader::TensorInfo> CheckpointReader::ListTensors() const {
  std::map<std::string, TensorInfo> out;
  for (const auto& [name, e] : reader_->entries()) out.emplace(name, TensorInfo{e.dtype, e.shape});
  return out;
}

bool CheckpointReader::HasTensor(std::string_view name) const { return reader_->Lookup(name).ok(); }

StatusOr<Tensor> CheckpointReader::GetTensor(std::string_view name) const { return reader_->Read(name); }

namespace train {

bool CheckpointExists(const std::string& prefix) {
  return !prefix.empty() && persistence::FileExists(persistence::IndexFilename(prefix));
}

StatusOr<CheckpointState> GetCheckpointState(const std::string& checkpoint_dir, const std::string& latest_filename) {
  const std::string path = persistence::JoinPath(checkpoint_dir, latest_filename);
  if (!persistence::FileExists(path)) return NotFoundError("No checkpoint state file " + path);
  TESSERA_ASSIGN_OR_RETURN(std::string text, persistence::ReadFileToString(path));
  tfproto::CheckpointState proto;
  google::protobuf::TextFormat::Parser parser;
  persistence::ProtoParseErrors errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &proto)) {
    return DataLossError("The checkpoint state file " + path + " does not parse as a CheckpointState: " + errors.first);
  }
  if (proto.model_checkpoint_path().empty()) {
    return DataLossError("The checkpoint state file " + path + " has no model_checkpoint_path");
  }
  CheckpointState s;
  s.model_checkpoint_path = proto.model_checkpoint_path();
  s.all_model_checkpoint_paths.assign(proto.all_model_checkpoint_paths().begin(),
                                      proto.all_model_checkpoint_paths().end());
  s.all_model_checkpoint_timestamps.assign(proto.all_model_checkpoint_timestamps().begin(),
                                           proto.all_model_checkpoint_timestamps().end());
  s.last_preserved_timestamp = proto.last_preserved_timestamp();
  return s;
}

StatusOr<std::string> LatestCheckpoint(const std::string& checkpoint_dir, const std::string& latest_filename) {
  TESSERA_ASSIGN_OR_RETURN(CheckpointState s, GetCheckpointState(checkpoint_dir, latest_filename));
  const std::string prefix = persistence::JoinPath(checkpoint_dir, s.model_checkpoint_path);
  if (!CheckpointExists(prefix)) {
    return NotFoundError("The checkpoint state file in " + checkpoint_dir + " names " + prefix +
                         ", which does not exist (no " + persistence::IndexFilename(prefix) + ")");
  }
  return prefix;
}

}  // namespace train

namespace persistence {

Status WriteCheckpointState(const std::string& dir, const train::CheckpointState& state,
                            const std::string& latest_filename) {
  tfproto::CheckpointState proto;
  proto.set_model_checkpoint_path(state.model_checkpoint_path);
  for (const std::string& p : state.all_model_checkpoint_paths) proto.add_all_model_checkpoint_paths(p);
  for (double t : state.all_model_checkpoint_timestamps) proto.add_all_model_checkpoint_timestamps(t);
  if (state.last_preserved_timestamp != 0) proto.set_last_preserved_timestamp(state.last_preserved_timestamp);
  std::string text;
  if (!google::protobuf::TextFormat::PrintToString(proto, &text)) {
    return InternalError("Cannot print the checkpoint state for " + dir);
  }
  return WriteFileAtomically(JoinPath(dir, latest_filename), text);
}

void DeleteCheckpoint(const std::string& prefix) {
  ::unlink(IndexFilename(prefix).c_str());
  ::unlink(DataFilename(prefix, 0, 1).c_str());
  ::unlink((prefix + ".meta").c_str());
}

}  // namespace persistence
}  // namespace tessera
