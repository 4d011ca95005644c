// POSIX file helpers for the checkpoint writers and readers: errors as
// Status (the file named, errno's text, TF's code for it), whole writes and
// reads, and the temp-file + fsync + rename steps of an atomic save.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera::persistence {

// NotFound (ENOENT), PermissionDenied (EACCES, EPERM), ResourceExhausted
// (ENOSPC, EDQUOT), AlreadyExists (EEXIST), else Unknown: "<what>: <strerror>".
Status ErrnoStatus(int err, const std::string& what);
// "<path>.tempstate<pid>_<n>": unique within the machine for a live process.
std::string TempName(const std::string& path);
Status WriteAll(int fd, const void* data, size_t n, const std::string& path);
// pread of exactly n bytes at `offset`; DataLoss when the file ends first.
Status ReadAll(int fd, void* data, size_t n, int64_t offset, const std::string& path);
Status SyncAndClose(int fd, const std::string& path);
Status RenameFile(const std::string& from, const std::string& to);
// fsync of the directory that holds `path`, so a rename survives a crash.
Status SyncDirectoryOf(const std::string& path);
// Writes `contents` to a temporary file beside `path`, fsyncs and renames it.
Status WriteFileAtomically(const std::string& path, std::string_view contents);
StatusOr<std::string> ReadFileToString(const std::string& path);
bool FileExists(const std::string& path);
bool IsDirectory(const std::string& path);
// "a/b" for "a/b/c"; "" for "c"; "/" for "/c".
std::string Dirname(std::string_view path);
std::string Basename(std::string_view path);
// "dir/name"; `name` as it is when it is absolute or dir is empty.
std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace tessera::persistence
