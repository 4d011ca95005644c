// Checkpoint and GraphDef speed (issue 13):
//   persistence_bench [megabytes, default 1024] [graph nodes, default 100000] [dir, default /tmp]
//                     [graph file: also write the GraphDef there, for TF's import time]
// 1. The disk's raw speed: `megabytes` written with write() and fsync'd.
// 2. train::Saver::Save of variables holding that many bytes (16 float
//    variables), fsyncs included, and Restore (the files are in the page
//    cache then, as after a save).
// 3. ExportGraphDef and ImportGraphDef of a graph of `graph nodes` nodes
//    (chains of Adds over shared constants).
// Prints one line per figure; bench/RESULTS.md records them.
#include <fcntl.h>
#include <tessera/tessera.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using namespace tessera;
using Clock = std::chrono::steady_clock;

static double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

static void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

static double RawWrite(const std::string& path, size_t bytes) {
  std::vector<char> block(size_t{8} << 20, 'x');
  const auto start = Clock::now();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  for (size_t done = 0; done < bytes; done += block.size()) {
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) std::exit(1);
  }
  ::fsync(fd);
  ::close(fd);
  const double s = Seconds(start);
  std::filesystem::remove(path);
  return s;
}

static void Checkpoints(const std::string& dir, int64_t megabytes) {
  const int kVars = 16;
  const int64_t elements = megabytes * (int64_t{1} << 20) / 4 / kVars;
  auto g = Graph::Create();
  for (int i = 0; i < kVars; ++i)
    Variable(*g, ops::Fill(*g, {elements}, Tensor::Scalar(0.5f)), "v" + std::to_string(i));
  Operation init = GlobalVariablesInitializer(*g);
  auto saver = train::Saver::Create(*g);
  auto sess = Session::Create(g);
  Check(saver.status(), "Saver");
  Check((*sess)->Run({}, {}, {init}).status(), "init");
  const double gb = static_cast<double>(megabytes) / 1024.0;
  const double raw = RawWrite(dir + "/raw_write_test", static_cast<size_t>(megabytes) << 20);
  std::printf("disk raw write (write + fsync)   %7.3f s  %6.2f GB/s\n", raw, gb / raw);
  for (int round = 0; round < 2; ++round) {
    auto start = Clock::now();
    StatusOr<std::string> path = saver->Save(**sess, dir + "/bench.ckpt", round);
    Check(path.status(), "Save");
    const double save = Seconds(start);
    start = Clock::now();
    Check(saver->Restore(**sess, *path), "Restore");
    const double restore = Seconds(start);
    std::printf("Saver::Save    %5.0f MB, round %d   %7.3f s  %6.2f GB/s  (%.0f%% of raw)\n",
                static_cast<double>(megabytes), round, save, gb / save, 100.0 * raw / save);
    std::printf("Saver::Restore %5.0f MB, round %d   %7.3f s  %6.2f GB/s  (page cache)\n",
                static_cast<double>(megabytes), round, restore, gb / restore);
  }
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename().string().rfind("bench.ckpt", 0) == 0 || e.path().filename() == "checkpoint")
      std::filesystem::remove(e.path());
  }
}

static void GraphDefs(int64_t nodes, const char* keep) {
  auto g = Graph::Create();
  Output one = ops::Const(*g, 1.0f, "one");
  Output x = one;
  for (int64_t i = 1; i < nodes; ++i) x = (i % 100 == 0) ? ops::Identity(*g, one) : ops::Add(*g, x, one);
  Check(g->status(), "graph");
  auto start = Clock::now();
  StatusOr<std::string> bytes = ExportGraphDef(*g);
  Check(bytes.status(), "export");
  const double exported = Seconds(start);
  auto g2 = Graph::Create();
  start = Clock::now();
  Check(ImportGraphDef(*g2, *bytes).status(), "import");
  const double imported = Seconds(start);
  std::printf("ExportGraphDef %lld nodes (%.1f MB)   %7.3f s\n", static_cast<long long>(g->num_nodes()),
              static_cast<double>(bytes->size()) / 1e6, exported);
  std::printf("ImportGraphDef %lld nodes            %7.3f s  (%.2f us/node)\n", static_cast<long long>(g2->num_nodes()),
              imported, 1e6 * imported / static_cast<double>(g2->num_nodes()));
  if (keep != nullptr) Check(WriteGraphDef(*g, keep), "write");
}

int main(int argc, char** argv) {
  const int64_t megabytes = argc > 1 ? std::atoll(argv[1]) : 1024;
  const int64_t nodes = argc > 2 ? std::atoll(argv[2]) : 100000;
  const std::string dir = argc > 3 ? argv[3] : "/tmp";
  if (megabytes <= 0 || nodes <= 1) {
    std::fprintf(stderr, "usage: persistence_bench [megabytes] [graph nodes] [dir]\n");
    return 2;
  }
  Checkpoints(dir, megabytes);
  GraphDefs(nodes, argc > 4 ? argv[4] : nullptr);
  return 0;
}
