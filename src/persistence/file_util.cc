#include "src/persistence/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tessera::persistence {

Status ErrnoStatus(int err, const std::string& what) {
  const std::string msg = what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return NotFoundError(msg);
    case EACCES:
    case EPERM:
    case EROFS:
      return PermissionDeniedError(msg);
    case ENOSPC:
    case EDQUOT:
      return ResourceExhaustedError(msg);
    case EEXIST:
      return AlreadyExistsError(msg);
    default:
      return UnknownError(msg);
  }
}

std::string TempName(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return path + ".tempstate" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
}

Status WriteAll(int fd, const void* data, size_t n, const std::string& path) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "Failed to write " + path);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return Status::OK();
}

Status ReadAll(int fd, void* data, size_t n, int64_t offset, const std::string& path) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t r = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "Failed to read " + path);
    }
    if (r == 0) return DataLossError("Unexpected end of " + path + " at byte " + std::to_string(offset));
    p += r;
    n -= static_cast<size_t>(r);
    offset += r;
  }
  return Status::OK();
}

Status SyncAndClose(int fd, const std::string& path) {
  Status s;
  if (::fsync(fd) != 0) s = ErrnoStatus(errno, "Failed to sync " + path);
  if (::close(fd) != 0 && s.ok()) s = ErrnoStatus(errno, "Failed to close " + path);
  return s;
}

Status RenameFile(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus(errno, "Failed to rename " + from + " to " + to);
  return Status::OK();
}

Status SyncDirectoryOf(const std::string& path) {
  std::string dir = Dirname(path);
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "Failed to open the directory " + dir);
  Status s;
  // Some file systems cannot sync a directory (EINVAL); the rename stands.
  if (::fsync(fd) != 0 && errno != EINVAL) s = ErrnoStatus(errno, "Failed to sync the directory " + dir);
  ::close(fd);
  return s;
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  const std::string tmp = TempName(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus(errno, "Failed to create " + tmp);
  Status s = WriteAll(fd, contents.data(), contents.size(), tmp);
  const Status closed = SyncAndClose(fd, tmp);
  if (s.ok()) s = closed;
  if (s.ok()) s = RenameFile(tmp, path);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  return SyncDirectoryOf(path);
}

StatusOr<std::string> ReadFileToString(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "Cannot open " + path);
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t r = ::read(fd, buf, sizeof(buf));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      const int err = errno;
      ::close(fd);
      return ErrnoStatus(err, "Failed to read " + path);
    }
    if (r == 0) break;
    out.append(buf, static_cast<size_t>(r));
  }
  ::close(fd);
  return out;
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string Dirname(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return "";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string Basename(std::string_view path) {
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty() || (!name.empty() && name[0] == '/')) return std::string(name);
  std::string out(dir);
  if (out.back() != '/') out += '/';
  out += name;
  return out;
}

}  // namespace tessera::persistence
