// tessera-explain: where the nodes of a graph would run on a machine you
// describe, and why, without running anything or touching CUDA.
//
//   tessera-explain --gpus=2 --soft                 # the demo MLP on 1 CPU + 2 GPUs
//   tessera-explain --gpus=1 --gpu-ops=MatMul,Relu  # a GPU with only those kernels
//   tessera-explain --format=json | --format=dot    # for programs, for Graphviz
//
// The graph is one the demo builds (--graph=mlp); graph files join when
// tessera reads GraphDefs.
#include <tessera/tessera.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include "tools/demo_graphs.h"

using namespace tessera;

namespace {

constexpr const char* kUsage = R"(usage: tessera-explain [options]
  --graph=mlp          the graph to explain (the demo's MLP; the only one yet)
  --cpus=N             CPUs of the machine (default 1)
  --gpus=N             GPUs of the machine (default 0)
  --gpu-ops=A,B,...    the GPUs have kernels only for these op types
  --soft               allow_soft_placement (default off, as in TensorFlow)
  --fetch=NAME         place only what NAME needs (repeatable; default: every node)
  --unknown-dim=N      size of unknown dimensions in FLOPs and bytes (default 1)
  --format=table|json|dot|svg   what to print (default table; svg runs Graphviz's dot)
)";

bool ParseInt(std::string_view s, int64_t* v) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && end == s.data() + s.size();
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const size_t comma = s.find(',');
    if (comma != 0) out.emplace_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

struct Args {
  std::string graph = "mlp";
  std::string format = "table";
  ExplainOptions explain;
};

// "" when the arguments are good, else what is wrong with them.
std::string ParseArgs(int argc, char** argv, Args* a) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string_view flag = arg.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : arg.substr(eq + 1);
    int64_t n = 0;
    if (flag == "--soft" && eq == std::string_view::npos) {
      a->explain.allow_soft_placement = true;
    } else if (eq == std::string_view::npos) {
      return "unknown option or missing '=value': " + std::string(arg);
    } else if (flag == "--graph") {
      a->graph = value;
    } else if (flag == "--format") {
      a->format = value;
    } else if (flag == "--fetch") {
      a->explain.fetches.emplace_back(value);
    } else if (flag == "--gpu-ops") {
      a->explain.gpu_ops = SplitList(value);
    } else if (flag == "--cpus" || flag == "--gpus" || flag == "--unknown-dim") {
      if (!ParseInt(value, &n) || n < 0 || n > 1000000)
        return std::string(flag) + " needs a count, got '" + std::string(value) + "'";
      if (flag == "--cpus") a->explain.num_cpus = static_cast<int>(n);
      if (flag == "--gpus") a->explain.num_gpus = static_cast<int>(n);
      if (flag == "--unknown-dim") a->explain.unknown_dim = n;
    } else {
      return "unknown option: " + std::string(arg);
    }
  }
  if (a->graph != "mlp") return "unknown graph '" + a->graph + "' (known: mlp)";
  if (a->format != "table" && a->format != "json" && a->format != "dot" && a->format != "svg") {
    return "--format must be table, json, dot or svg, got '" + a->format + "'";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
      std::cout << kUsage;
      return 0;
    }
  }
  if (std::string err = ParseArgs(argc, argv, &args); !err.empty()) {
    std::cerr << "tessera-explain: " << err << "\n" << kUsage;
    return 2;
  }
  demo::MlpGraph m = demo::BuildMlp();
  StatusOr<PlacementExplanation> e = ExplainPlacement(*m.graph, args.explain);
  if (!e.ok()) {
    std::cerr << "tessera-explain: " << e.status() << "\n";
    return 1;
  }
  if (args.format == "json") {
    std::cout << e->ToJson() << "\n";
  } else if (args.format == "dot" || args.format == "svg") {
    DotOptions d;
    d.unknown_dim = args.explain.unknown_dim;
    const std::string dot = PlacementToDot(*m.graph, e->records, d);
    if (args.format == "dot") {
      std::cout << dot;
      return 0;
    }
    std::cout.flush();
    std::signal(SIGPIPE, SIG_IGN);           // no dot on the PATH: the write fails instead of killing us
    FILE* render = popen("dot -Tsvg", "w");  // writes the SVG to our stdout
    const bool written = render != nullptr && std::fwrite(dot.data(), 1, dot.size(), render) == dot.size();
    if (render == nullptr || pclose(render) != 0 || !written) {
      std::cerr << "tessera-explain: Graphviz's dot could not render the picture (is graphviz installed? "
                   "scripts/install_deps.sh installs it); --format=dot prints its source\n";
      return 1;
    }
  } else {
    std::cout << e->ToTable();
  }
  return 0;
}
