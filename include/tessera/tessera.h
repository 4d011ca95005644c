// tessera: a dataflow-graph runtime in the TensorFlow 1.x mould.
//
//   #include <tessera/tessera.h>
//   using namespace tessera;
//   auto g = Graph::Create();
//   Output c = ops::Add(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})),
//                           ops::Const(*g, Tensor::Vec<float>({2, 3})));
//   auto sess = Session::Create(g).value();
//   std::cout << sess->Run({}, {c}).value()[0].DebugString();   // [3. 5.]
#pragma once

#include "tessera/checkpoint.h"
#include "tessera/data.h"
#include "tessera/device_name.h"
#include "tessera/explain.h"
#include "tessera/gradients.h"
#include "tessera/graph.h"
#include "tessera/graph_def.h"
#include "tessera/model.h"
#include "tessera/ops.h"
#include "tessera/placement.h"
#include "tessera/session.h"
#include "tessera/status.h"
#include "tessera/tensor.h"
#include "tessera/train.h"
#include "tessera/types.h"
#include "tessera/variable.h"
