#include "src/runtime/logging.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

namespace tessera {

int MinLogLevelFromEnvironment() {
  const char* e = std::getenv("TESSERA_MIN_LOG_LEVEL");
  if (e == nullptr || e[0] < '0' || e[0] > '3' || e[1] != '\0') return 1;
  return e[0] - '0';
}

static int MinLevel() {
  static const int level = MinLogLevelFromEnvironment();
  return level;
}

void LogMessage(LogSeverity severity, std::string_view message) {
  if (static_cast<int>(severity) < MinLevel()) return;
  PrintLogMessage(severity, message);
}

void PrintLogMessage(LogSeverity severity, std::string_view message) {
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
