// train::Saver: TF1's Saver over SaveV2/RestoreV2 (src/persistence/io_ops.cc).
#include <algorithm>
#include <chrono>
#include <set>

#include "src/persistence/checkpoint_state.h"
#include "src/persistence/file_util.h"
#include "src/persistence/tensor_bundle.h"
#include "tessera/checkpoint.h"
#include "tessera/model.h"
#include "tessera/ops.h"

namespace tessera::train {
namespace {

// checkpoint name -> variable, sorted by name; InvalidArgument for bad lists.
StatusOr<std::vector<std::pair<std::string, Variable>>> SaveableVariables(const Graph& g, const SaverOptions& options) {
  if (!options.var_list.empty() && !options.var_map.empty()) {
    return InvalidArgumentError("Saver: give var_list or var_map, not both");
  }
  std::vector<std::pair<std::string, Variable>> vars;
  if (!options.var_map.empty()) {
    for (const auto& [name, v] : options.var_map) vars.emplace_back(name, v);
  } else {
    for (const Variable& v : options.var_list.empty() ? GlobalVariables(g) : options.var_list) {
      vars.emplace_back(v.valid() ? v.name() : std::string(), v);
    }
  }
  if (vars.empty()) return InvalidArgumentError("No variables to save");
  std::sort(vars.begin(), vars.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < vars.size(); ++i) {
    if (!vars[i].second.valid()) return InvalidArgumentError("Saver: variable '" + vars[i].first + "' is invalid");
    if (vars[i].first.empty()) return InvalidArgumentError("Saver: a checkpoint name is empty");
    if (i > 0 && vars[i].first == vars[i - 1].first) {
      return InvalidArgumentError("At least two variables have the same name: " + vars[i].first);
    }
    if (vars[i].second.ref().node()->graph() != &g) {
      return InvalidArgumentError("Saver: variable '" + vars[i].second.name() + "' is not in the Saver's graph");
    }
  }
  return vars;
}

Tensor StringVector(const std::vector<std::string>& v) {
  return Tensor::FromVector<std::string>(v, TensorShape{static_cast<int64_t>(v.size())}).value();
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The path as the state file stores it: relative to `dir` when it lies there.
std::string RelativeTo(const std::string& dir, const std::string& path) {
  return persistence::Dirname(path) == dir ? persistence::Basename(path) : path;
}

}  // namespace

StatusOr<Saver> Saver::Create(Graph& g, SaverOptions options) {
  TESSERA_ASSIGN_OR_RETURN(auto vars, SaveableVariables(g, options));
  Saver s;
  s.graph_ = &g;
  s.write_meta_graph_ = options.write_meta_graph;
  s.vars_ = std::move(vars);
  s.max_to_keep_ = std::max(0, options.max_to_keep);
  std::vector<std::string> names;
  std::vector<Output> values;
  std::vector<DataType> dtypes;
  for (const auto& [name, v] : s.vars_) {
    names.push_back(name);
    values.push_back(v.ref());
    dtypes.push_back(v.dtype());
  }
  const std::vector<std::string> slices(names.size());
  {
    auto scope = g.NameScope(options.name.empty() ? "save" : options.name);
    auto no_deps = g.ControlDependencies(nullptr);
    Output input = ops::Const(g, Tensor::Scalar<std::string>("model"), "filename/input");
    Output filename = ops::PlaceholderWithDefault(g, input, PartialShape({}), "filename");
    s.filename_ = ops::PlaceholderWithDefault(g, filename, PartialShape({}), "Const");
    Operation save = ops::SaveV2(g, s.filename_, ops::Const(g, StringVector(names), "SaveV2/tensor_names"),
                                 ops::Const(g, StringVector(slices), "SaveV2/shape_and_slices"), values, "SaveV2");
    {
      auto after_save = g.ControlDependencies({save});
      s.save_tensor_ = ops::Identity(g, s.filename_, "control_dependency");
    }
    std::vector<Output> restored =
        ops::RestoreV2(g, s.filename_, ops::Const(g, StringVector(names), "RestoreV2/tensor_names"),
                       ops::Const(g, StringVector(slices), "RestoreV2/shape_and_slices"), dtypes, "RestoreV2");
    std::vector<Operation> assigns;
    for (size_t i = 0; i < restored.size(); ++i) {
      assigns.push_back(ops::Assign(g, s.vars_[i].second.ref(), restored[i], "Assign"));
    }
    s.restore_op_ = ops::Group(g, assigns, "restore_all");
  }
  TESSERA_RETURN_IF_ERROR(g.status());
  return s;
}

StatusOr<std::string> Saver::Save(Session& session, const std::string& save_path, std::optional<int64_t> global_step,
                                  const std::string& latest_filename, bool write_state) {
  if (save_path.empty()) return InvalidArgumentError("Saver::Save: save_path is empty");
  const std::string dir = persistence::Dirname(save_path);
  if (!dir.empty() && !persistence::IsDirectory(dir)) {
    return NotFoundError("Parent directory of " + save_path + " doesn't exist, can't save.");
  }
  const std::string file = global_step ? save_path + "-" + std::to_string(*global_step) : save_path;
  TESSERA_RETURN_IF_ERROR(session.Run({{filename_, Tensor::Scalar<std::string>(file)}}, {save_tensor_}).status());
  if (write_meta_graph_) {
    TESSERA_RETURN_IF_ERROR(ExportMetaGraph(*graph_, file + ".meta", this,
                                            signatures_ ? *signatures_ : std::map<std::string, Signature>()));
  }
  if (!write_state) return file;
  // Oldest first; a path saved again moves to the end.
  const auto it = std::find(last_checkpoints_.begin(), last_checkpoints_.end(), file);
  if (it != last_checkpoints_.end()) {
    last_timestamps_.erase(last_timestamps_.begin() + (it - last_checkpoints_.begin()));
    last_checkpoints_.erase(it);
  }
  last_checkpoints_.push_back(file);
  last_timestamps_.push_back(NowSeconds());
  std::vector<std::string> doomed;
  while (max_to_keep_ > 0 && last_checkpoints_.size() > static_cast<size_t>(max_to_keep_)) {
    doomed.push_back(last_checkpoints_.front());
    last_checkpoints_.erase(last_checkpoints_.begin());
    last_timestamps_.erase(last_timestamps_.begin());
  }
  // The state names only complete checkpoints; files go after it no longer names them.
  TESSERA_RETURN_IF_ERROR(UpdateState(save_path, file, latest_filename));
  for (const std::string& old : doomed) persistence::DeleteCheckpoint(old);
  return file;
}

StatusOr<std::string> Saver::Save(Session& session, const std::string& save_path, const Variable& global_step,
                                  const std::string& latest_filename, bool write_state) {
  if (!global_step.valid()) return InvalidArgumentError("Saver::Save: the global_step variable is invalid");
  TESSERA_ASSIGN_OR_RETURN(std::vector<Tensor> step, session.Run({}, {global_step.value()}));
  int64_t value = 0;
  if (step[0].dtype() == DataType::kInt64) {
    value = step[0].scalar<int64_t>().value_or(0);
  } else if (step[0].dtype() == DataType::kInt32) {
    value = step[0].scalar<int32_t>().value_or(0);
  } else {
    return InvalidArgumentError("Saver::Save: global_step '" + global_step.name() + "' must be an integer, not " +
                                std::string(DataTypeString(step[0].dtype())));
  }
  return Save(session, save_path, value, latest_filename, write_state);
}

Status Saver::UpdateState(const std::string& save_path, const std::string& checkpoint_file,
                          const std::string& latest_filename) {
  const std::string dir = persistence::Dirname(save_path);
  CheckpointState state;
  state.model_checkpoint_path = RelativeTo(dir, checkpoint_file);
  for (const std::string& p : last_checkpoints_) state.all_model_checkpoint_paths.push_back(RelativeTo(dir, p));
  state.all_model_checkpoint_timestamps = last_timestamps_;
  return persistence::WriteCheckpointState(dir.empty() ? "." : dir, state, latest_filename);
}

void Saver::set_signatures(std::map<std::string, Signature> signatures) {
  signatures_ = std::make_shared<std::map<std::string, Signature>>(std::move(signatures));
}

void Saver::RecoverLastCheckpoints(const std::vector<std::string>& paths) {
  last_checkpoints_.clear();
  last_timestamps_.clear();
  for (const std::string& p : paths) {
    if (!CheckpointExists(p)) continue;
    last_checkpoints_.push_back(p);
    last_timestamps_.push_back(NowSeconds());
  }
}

Status Saver::CheckRestorable(const std::string& prefix) const {
  TESSERA_ASSIGN_OR_RETURN(auto reader, persistence::BundleReader::Open(prefix));
  std::vector<std::string> missing;
  for (const auto& [name, v] : vars_) {
    StatusOr<const persistence::BundleEntry*> e = reader->Lookup(name);
    if (!e.ok()) {
      missing.push_back("'" + name + "'");
      continue;
    }
    const std::string what = "Tensor '" + name + "' in checkpoint " + prefix;
    if ((*e)->dtype != v.dtype()) {
      return InvalidArgumentError(what + " has dtype " + std::string(DataTypeString((*e)->dtype)) + ", but variable '" +
                                  v.name() + "' is " + std::string(DataTypeString(v.dtype())));
    }
    const PartialShape declared = v.ref().shape();
    if (!declared.IsCompatibleWith((*e)->shape)) {
      return InvalidArgumentError(what + " has shape " + (*e)->shape.DebugString() + ", but variable '" + v.name() +
                                  "' has shape " + declared.DebugString());
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
    return NotFoundError("Restoring from checkpoint " + prefix + " failed: " + std::to_string(missing.size()) +
                         " of the Saver's " + std::to_string(vars_.size()) + " variables are not in it: " + list);
  }
  return Status::OK();
}

Status Saver::Restore(Session& session, const std::string& save_path) {
  if (save_path.empty()) return InvalidArgumentError("Can't load save_path when it is empty.");
  if (!CheckpointExists(save_path)) {
    return NotFoundError("The passed save_path is not a valid checkpoint: " + save_path);
  }
  TESSERA_RETURN_IF_ERROR(CheckRestorable(save_path));
  return session.Run({{filename_, Tensor::Scalar<std::string>(save_path)}}, {}, {restore_op_}).status();
}

}  // namespace tessera::train
