// A save killed at any moment leaves the previous checkpoint loadable: a
// child process (checkpoint_kill_child) saves 16 MB checkpoints in a loop and
// is killed with SIGKILL at a random time, 100 times; after each kill the
// newest checkpoint the state file names restores, and every value is the
// step its name says. TESSERA_KILL_ITERATIONS changes the count.
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "tests/test_util.h"

extern char** environ;

namespace tessera {
namespace {

namespace fs = std::filesystem;

TEST(CheckpointKill, AKilledSaveLeavesTheLastCheckpointLoadable) {
  const char* env = std::getenv("TESSERA_KILL_ITERATIONS");
  const int iterations = env != nullptr ? std::atoi(env) : 100;
  testing::ScratchDir scratch;
  const std::string& dir = scratch.path();
  auto g = Graph::Create();
  std::vector<Variable> vars;
  for (int i = 0; i < 4; ++i) {
    vars.emplace_back(*g, ops::Zeros(*g, {1024, 1024}, DataType::kFloat), "v" + std::to_string(i));
  }
  auto saver = train::Saver::Create(*g);
  auto sess = Session::Create(g);
  ASSERT_TRUE(saver.ok() && sess.ok());
  std::mt19937 rng(20261206);
  std::uniform_int_distribution<int> delay_ms(0, 400);
  int restored = 0;
  bool saved_before = false;
  for (int i = 0; i < iterations; ++i) {
    const std::string first = std::to_string((i + 1) * 100000);
    std::string child = TESSERA_KILL_CHILD;
    std::vector<char*> argv = {child.data(), const_cast<char*>(dir.c_str()), const_cast<char*>(first.c_str()), nullptr};
    pid_t pid = 0;
    ASSERT_EQ(::posix_spawn(&pid, child.c_str(), nullptr, nullptr, argv.data(), environ), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(pid, SIGKILL);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
    ASSERT_FALSE(WIFEXITED(wstatus)) << "the child stopped by itself with " << WEXITSTATUS(wstatus);
    StatusOr<std::string> latest = train::LatestCheckpoint(dir);
    if (!latest.ok()) {
      ASSERT_FALSE(saved_before) << "iteration " << i << ": " << latest.status();
      continue;
    }
    saved_before = true;
    Status s = saver->Restore(**sess, *latest);
    ASSERT_TRUE(s.ok()) << "iteration " << i << ": " << s;
    const float step = std::stof(latest->substr(latest->rfind('-') + 1));
    for (const Variable& v : vars) {
      auto out = (*sess)->Run({}, {v.value()});
      ASSERT_TRUE(out.ok());
      for (float x : (*out)[0].flat<float>()) ASSERT_EQ(x, step) << "iteration " << i << ", " << v.name();
    }
    ++restored;
    // What killed saves leave behind (TF's as well): their temporary files.
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().filename().string().find(".tempstate") != std::string::npos) fs::remove(e.path());
    }
  }
  EXPECT_GT(restored, iterations / 2);
  std::printf("%d of %d kills left a checkpoint, and every one restored\n", restored, iterations);
}

}  // namespace
}  // namespace tessera
