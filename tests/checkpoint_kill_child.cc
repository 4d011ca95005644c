// The child of checkpoint_kill_test: saves checkpoints in a loop until it is
// killed, as a training job does.
//   checkpoint_kill_child <dir> <first step>
// Four float variables of 1M elements (16 MB in all); before each save every
// element is set to the step, so the parent can tell what a checkpoint must
// hold. It resumes the checkpoint list from <dir>'s state file, keeping 2.
#include <tessera/tessera.h>

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace tessera;

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string dir = argv[1];
  const int64_t first = std::strtoll(argv[2], nullptr, 10);
  auto g = Graph::Create();
  std::vector<Variable> vars;
  for (int i = 0; i < 4; ++i) {
    vars.emplace_back(*g, ops::Zeros(*g, {1024, 1024}, DataType::kFloat), "v" + std::to_string(i));
  }
  train::SaverOptions o;
  o.max_to_keep = 2;
  auto saver = train::Saver::Create(*g, o);
  auto sess = Session::Create(g);
  if (!saver.ok() || !sess.ok()) return 3;
  if (auto state = train::GetCheckpointState(dir); state.ok()) {
    std::vector<std::string> paths;
    for (const std::string& p : state->all_model_checkpoint_paths) paths.push_back(dir + "/" + p);
    saver->RecoverLastCheckpoints(paths);
  }
  Tensor value(DataType::kFloat, TensorShape{1024, 1024});
  for (int64_t step = first;; ++step) {
    for (float& x : value.flat<float>()) x = static_cast<float>(step);
    for (const Variable& v : vars) {
      if (!v.Load(value, **sess).ok()) return 4;
    }
    StatusOr<std::string> saved = saver->Save(**sess, dir + "/model", step);
    if (!saved.ok()) {
      std::fprintf(stderr, "%s\n", saved.status().ToString().c_str());
      return 5;
    }
  }
}
