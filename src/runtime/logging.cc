#include "src/runtime/logging.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

namespace tessera {

static int MinLevel() {
  static const int level = [] {
    const char* e = std::getenv("TESSERA_MIN_LOG_LEVEL");
    return e ? std::atoi(e) : 1;
  }();
  return level;
}

void LogMessage(LogSeverity severity, std::string_view message) {
  if (static_cast<int>(severity) < MinLevel()) return;
  const char tag = severity == LogSeverity::kInfo ? 'I' : severity == LogSeverity::kWarning ? 'W' : 'E';
  std::fprintf(stderr, "%c tessera] %.*s\n", tag, static_cast<int>(message.size()), message.data());
}

void LogOnce(LogSeverity severity, std::string_view key, std::string_view message) {
  static std::mutex mu;
  static std::set<std::string>* seen = new std::set<std::string>();
  {
    std::lock_guard<std::mutex> l(mu);
    if (!seen->insert(std::string(key)).second) return;
  }
  LogMessage(severity, message);
}

}  // namespace tessera
