// The seed examples of TensorFlow 1.x's getting-started texts, in tessera.
#include <tessera/tessera.h>

#include <cstdio>
#include <iostream>

using namespace tessera;

static int Fail(const Status& s) {
  std::cerr << "unexpected error: " << s << "\n";
  return 1;
}

int main() {
  // 1. Build a graph, run it: a + b.
  {
    auto g = Graph::Create();
    Output a = ops::Const(*g, Tensor::Vec<float>({1.0f, 2.0f}), "a");
    Output b = ops::Const(*g, Tensor::Vec<float>({2.0f, 3.0f}), "b");
    Output c = ops::Add(*g, a, b, "c");
    auto sess = Session::Create(g);
    if (!sess.ok()) return Fail(sess.status());
    auto out = (*sess)->Run({}, {c});
    if (!out.ok()) return Fail(out.status());
    std::cout << "a + b = " << (*out)[0].DebugString() << "\n";  // [3. 5.]
  }

  // 2. Variables live in sessions: 42, assign 13, a second session, re-initialise.
  {
    auto g = Graph::Create();
    Variable v(*g, ops::Const(*g, 42.0f), "foo");
    Output assign13 = v.Assign(ops::Const(*g, 13.0f));
    Operation init = GlobalVariablesInitializer(*g);
    auto sess1 = Session::Create(g).value();
    if (Status s = sess1->Run({}, {}, {init}).status(); !s.ok()) return Fail(s);
    std::cout << "foo = " << sess1->Run({}, {v.value()}).value()[0].DebugString() << "\n";  // 42.0
    sess1->Run({}, {assign13}).status().IgnoreError();
    std::cout << "after assign: foo = " << sess1->Run({}, {v.value()}).value()[0].DebugString() << "\n";  // 13.0

    auto sess2 = Session::Create(g).value();
    auto uninit = sess2->Run({}, {v.value()});
    std::cout << "second session: " << uninit.status()
              << "\n";  // FailedPrecondition: Attempting to use uninitialized value foo
    if (Status s = sess2->Run({}, {}, {init}).status(); !s.ok()) return Fail(s);
    std::cout << "second session after init: foo = " << sess2->Run({}, {v.value()}).value()[0].DebugString() << "\n";
    std::cout << "first session still has: foo = " << sess1->Run({}, {v.value()}).value()[0].DebugString() << "\n";
  }

  // 3. InteractiveSession: x - a with eval().
  {
    auto g = Graph::Create();
    auto sess = InteractiveSession::Create(g).value();
    Variable x(*g, ops::Const(*g, Tensor::Vec<float>({1.0f, 2.0f})), "x");
    Output a = ops::Const(*g, Tensor::Vec<float>({3.0f, 3.0f}), "a");
    if (Status s = x.initializer().Run(); !s.ok()) return Fail(s);
    Output sub = ops::Sub(*g, x, a);
    std::cout << "x - a = " << sub.Eval().value().DebugString() << "\n";  // [-2. -1.]
    sess->Close().IgnoreError();
  }

  // 4. Scoping with RAII, as Python's `with`: name scopes, devices, the default session.
  {
    auto g = Graph::Create();
    Output y;
    {
      auto scope = g->NameScope("layer1");
      auto device = g->Device("/cpu:0");
      Output w = ops::Const(*g, Tensor::Matrix<float>({{1, 2}, {3, 4}}).value(), "w");
      Output x = ops::Const(*g, Tensor::Matrix<float>({{1}, {1}}).value(), "x");
      y = ops::MatMul(*g, w, x, false, false, "y");
    }
    std::cout << "node " << y.name() << " requested " << y.node()->requested_device() << "\n";
    auto sess = Session::Create(g).value();
    {
      auto as_default = sess->AsDefault();                            // `with sess.as_default():`
      std::cout << "y = " << y.Eval().value().DebugString() << "\n";  // [[3.]\n [7.]]
    }
    // Outside the scope there is no default session any more.
    std::cout << "outside: " << y.Eval().status() << "\n";
  }

  // 5. Feeding a placeholder.
  {
    auto g = Graph::Create();
    Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1}, "x");
    Output y = ops::Mul(*g, x, ops::Const(*g, 2.0f));
    auto sess = Session::Create(g).value();
    auto out = sess->Run({{x, Tensor::Vec<float>({1.5f, 2.0f, 3.0f})}}, {y});
    if (!out.ok()) return Fail(out.status());
    std::cout << "2 * x = " << (*out)[0].DebugString() << "\n";  // [3. 4. 6.]
  }
  return 0;
}
