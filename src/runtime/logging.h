// Minimal process log for messages that are not tied to a session sink:
// "I tessera] ..." / "W tessera] ..." on stderr, filtered by the environment
// variable TESSERA_MIN_LOG_LEVEL (0 = all, 1 = warnings and up, 2 = errors;
// default 1, so INFO lines are quiet unless asked for).
#pragma once

#include <string_view>

namespace tessera {

enum class LogSeverity { kInfo = 0, kWarning = 1, kError = 2 };

// TESSERA_MIN_LOG_LEVEL as now set in the environment (1 when unset or not a
// level 0..3); read afresh on each call (the process log reads it once).
int MinLogLevelFromEnvironment();
void LogMessage(LogSeverity severity, std::string_view message);
// Prints `message` at `severity` on stderr, whatever TESSERA_MIN_LOG_LEVEL says
// (the caller has filtered it: a session's SessionOptions::min_log_level).
void PrintLogMessage(LogSeverity severity, std::string_view message);
// Logs `message` once per process for each distinct `key`.
void LogOnce(LogSeverity severity, std::string_view key, std::string_view message);

}  // namespace tessera
