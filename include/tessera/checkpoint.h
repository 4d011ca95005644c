// Checkpoints in TensorFlow's V2 format (the tensor bundle: <prefix>.index
// and <prefix>.data-00000-of-00001), readable by TF's tf.train.Saver and
// written by it; TF1's Saver API:
//
//   train::Saver saver = train::Saver::Create(*g).value();   // every global variable
//   std::string path = saver.Save(*sess, "/tmp/run/model.ckpt", step).value();  // ".../model.ckpt-<step>"
//   ...
//   std::string latest = train::LatestCheckpoint("/tmp/run").value();
//   TESSERA_RETURN_IF_ERROR(saver.Restore(*sess, latest));
//
// Saver::Create adds TF's nodes under the name scope "save" ("save/Const" the
// filename, "save/SaveV2", "save/control_dependency", "save/RestoreV2",
// "save/Assign_<n>", "save/restore_all"); SaveV2 and RestoreV2 run on the CPU.
// A save writes temporary files, fsyncs and renames them, then rewrites the
// "checkpoint" state file the same way, then deletes checkpoints beyond
// max_to_keep: a crash at any point leaves the previous checkpoint intact
// and the state file naming one that is complete. Restore checks that every
// variable is in the checkpoint with its dtype and shape before it assigns
// anything, and every tensor's checksum as it reads it.
//
// Thread-safety: a Saver is used from one thread at a time; the graph it
// built runs anywhere. A Saver refers to its graph, which must outlive it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/graph.h"
#include "tessera/session.h"
#include "tessera/status.h"
#include "tessera/tensor.h"
#include "tessera/variable.h"

namespace tessera {

namespace persistence {
class BundleReader;
}

// Reads a checkpoint's tensors by name (TF's tf.train.load_checkpoint /
// NewCheckpointReader).
class CheckpointReader {
 public:
  struct TensorInfo {
    DataType dtype = DataType::kInvalid;
    TensorShape shape;
  };
  // NotFound when there is no "<prefix>.index"; DataLoss for a corrupt index.
  static StatusOr<std::unique_ptr<CheckpointReader>> Open(const std::string& prefix);
  ~CheckpointReader();

  // Every tensor's dtype and shape, by name (TF's get_variable_to_shape_map
  // and get_variable_to_dtype_map in one).
  std::map<std::string, TensorInfo> ListTensors() const;
  bool HasTensor(std::string_view name) const;
  // The tensor's value, checksummed. NotFound "Key <name> not found in
  // checkpoint <prefix>"; DataLoss naming the file for corrupt data.
  StatusOr<Tensor> GetTensor(std::string_view name) const;

 private:
  explicit CheckpointReader(std::unique_ptr<persistence::BundleReader> reader);
  std::unique_ptr<persistence::BundleReader> reader_;
};

namespace train {

// The "checkpoint" file beside the checkpoints (TF's CheckpointState, in
// protobuf text format).
struct CheckpointState {
  std::string model_checkpoint_path;                    // the newest
  std::vector<std::string> all_model_checkpoint_paths;  // oldest first, the newest last
  std::vector<double> all_model_checkpoint_timestamps;  // seconds since the epoch, one per path
  double last_preserved_timestamp = 0;
};
// NotFound when `checkpoint_dir` has no state file; DataLoss when it does not parse.
StatusOr<CheckpointState> GetCheckpointState(const std::string& checkpoint_dir,
                                             const std::string& latest_filename = "checkpoint");
// The newest checkpoint's prefix (joined to the directory when the state file
// holds a relative path), NotFound when there is none or its files are gone.
StatusOr<std::string> LatestCheckpoint(const std::string& checkpoint_dir,
                                       const std::string& latest_filename = "checkpoint");
// Whether "<prefix>.index" exists (TF's checkpoint_exists).
bool CheckpointExists(const std::string& prefix);

struct SaverOptions {
  // The variables to save, under their names. Empty (and no var_map): every
  // variable in GraphKeys::kGlobalVariables.
  std::vector<Variable> var_list;
  // Or: checkpoint names -> variables, to save and restore under other names
  // (TF's Saver({"name": var})). Not both.
  std::map<std::string, Variable> var_map;
  // Checkpoints kept by Save (the oldest are deleted); 0 keeps all.
  int max_to_keep = 5;
  std::string name = "save";  // the name scope of the Saver's nodes (made unique)
  // Save also writes "<checkpoint>.meta" (tessera/model.h's ExportMetaGraph),
  // as TF's Saver does, so LoadModel can open the checkpoint alone.
  bool write_meta_graph = true;
};

}  // namespace train
struct Signature;
namespace train {

class Saver {
 public:
  // InvalidArgument "No variables to save" for an empty list, for an invalid
  // variable, two variables under one name, or var_list and var_map both given.
  static StatusOr<Saver> Create(Graph& g, SaverOptions options = {});

  // Saves every variable to `save_path` ("<save_path>-<global_step>" with a
  // step) and returns that prefix; then, with write_state, records it in the
  // "checkpoint" file of its directory and deletes checkpoints beyond
  // max_to_keep. NotFound "Parent directory of <path> doesn't exist, can't
  // save." Errors from the run (an uninitialized variable...) as they are.
  StatusOr<std::string> Save(Session& session, const std::string& save_path,
                             std::optional<int64_t> global_step = std::nullopt,
                             const std::string& latest_filename = "checkpoint", bool write_state = true);
  // The step read from `global_step` (an integer variable) in `session`.
  StatusOr<std::string> Save(Session& session, const std::string& save_path, const Variable& global_step,
                             const std::string& latest_filename = "checkpoint", bool write_state = true);
  // Assigns every variable from the checkpoint at `save_path`. NotFound "The
  // passed save_path is not a valid checkpoint: <path>"; NotFound listing
  // every variable the checkpoint lacks; InvalidArgument naming the tensor,
  // the file and both dtypes or shapes when they differ. Nothing is assigned
  // when a check fails.
  Status Restore(Session& session, const std::string& save_path);

  // The checkpoints this Saver keeps (oldest first), as TF's last_checkpoints.
  const std::vector<std::string>& last_checkpoints() const { return last_checkpoints_; }
  // Continues from an earlier process's checkpoints (TF's
  // recover_last_checkpoints): those that still exist become last_checkpoints.
  void RecoverLastCheckpoints(const std::vector<std::string>& paths);

  // TF's SaverDef: feed the prefix to filename_tensor, fetch save_tensor to
  // save, run restore_op to restore.
  Output filename_tensor() const { return filename_; }
  // The signatures the .meta files of later saves carry.
  void set_signatures(std::map<std::string, Signature> signatures);
  Output save_tensor() const { return save_tensor_; }
  Operation restore_op() const { return restore_op_; }

 private:
  Saver() = default;
  Status CheckRestorable(const std::string& prefix) const;
  Status UpdateState(const std::string& save_path, const std::string& checkpoint_file,
                     const std::string& latest_filename);

  Graph* graph_ = nullptr;
  bool write_meta_graph_ = true;
  std::shared_ptr<std::map<std::string, Signature>> signatures_;
  std::vector<std::pair<std::string, Variable>> vars_;  // checkpoint name -> variable, sorted by name
  int max_to_keep_ = 5;
  Output filename_;
  Output save_tensor_;
  Operation restore_op_;
  std::vector<std::string> last_checkpoints_;
  std::vector<double> last_timestamps_;
};

}  // namespace train
}  // namespace tessera
