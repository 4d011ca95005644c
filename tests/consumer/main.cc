// A program outside the tessera tree, built against the installed package
// (CMake's tessera::tessera or tessera::tessera_static, or pkg-config).
// It adds two vectors and prints why it has no GPU; with an argument, it
// also requires that reason to contain the argument.
#include <tessera/tessera.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  using namespace tessera;
  auto g = Graph::Create();
  Output c = ops::Add(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), ops::Const(*g, Tensor::Vec<float>({2, 3})));
  auto sess = Session::Create(g);
  if (!sess.ok()) return 1;
  auto out = (*sess)->Run({}, {c});
  if (!out.ok()) return 1;
  const std::string reason = (*sess)->NoGpuReason();
  std::cout << (*out)[0].DebugString() << "\nno GPU: " << reason << "\n";
  if (argc > 1 && reason.find(argv[1]) == std::string::npos) {
    std::cerr << "expected the reason to contain: " << argv[1] << "\n";
    return 1;
  }
  return (*out)[0].DebugString() == "[3. 5.]" ? 0 : 1;
}
