// ResourceMgr: a session's variables. A variable's value lives here, keyed by
// its VariableV2 node's name, so two sessions on one graph are independent.
//
// Thread-safety: lookups are locked; each Var has its own mutex, which
// serialises Assigns and reads of the same variable.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "tessera/tensor.h"

namespace tessera {

struct Var {
  std::mutex mu;
  Tensor value;  // invalid until initialised
};

class ResourceMgr {
 public:
  std::shared_ptr<Var> LookupOrCreate(const std::string& name) {
    std::lock_guard<std::mutex> l(mu_);
    auto& v = vars_[name];
    if (!v) v = std::make_shared<Var>();
    return v;
  }
  void Clear() {
    std::lock_guard<std::mutex> l(mu_);
    vars_.clear();
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Var>> vars_;
};

}  // namespace tessera
