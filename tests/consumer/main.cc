// A program outside the tessera tree, built against the installed package.
#include <tessera/tessera.h>

#include <iostream>

int main() {
  using namespace tessera;
  auto g = Graph::Create();
  Output c = ops::Add(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), ops::Const(*g, Tensor::Vec<float>({2, 3})));
  auto sess = Session::Create(g);
  if (!sess.ok()) return 1;
  auto out = (*sess)->Run({}, {c});
  if (!out.ok()) return 1;
  std::cout << (*out)[0].DebugString() << "\n";
  return (*out)[0].DebugString() == "[3. 5.]" ? 0 : 1;
}
