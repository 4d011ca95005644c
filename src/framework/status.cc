#include "tessera/status.h"

#include <cstdio>
#include <ostream>

namespace tessera {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kCancelled:
      return "Cancelled";
    case Code::kUnknown:
      return "Unknown";
    case Code::kInvalidArgument:
      return "Invalid argument";
    case Code::kDeadlineExceeded:
      return "Deadline exceeded";
    case Code::kNotFound:
      return "Not found";
    case Code::kAlreadyExists:
      return "Already exists";
    case Code::kPermissionDenied:
      return "Permission denied";
    case Code::kResourceExhausted:
      return "Resource exhausted";
    case Code::kFailedPrecondition:
      return "Failed precondition";
    case Code::kAborted:
      return "Aborted";
    case Code::kOutOfRange:
      return "Out of range";
    case Code::kUnimplemented:
      return "Unimplemented";
    case Code::kInternal:
      return "Internal";
    case Code::kUnavailable:
      return "Unavailable";
    case Code::kDataLoss:
      return "Data loss";
    case Code::kUnauthenticated:
      return "Unauthenticated";
  }
  return "Unknown code";
}

Status::Status(Code code, std::string message) {
  if (code != Code::kOk) state_ = std::make_shared<const State>(State{code, std::move(message)});
}

const std::string& Status::message() const {
  static const std::string* const kEmpty = new std::string();
  return state_ ? state_->message : *kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(code())) + ": " + message();
}

Status Status::WithSuffix(std::string_view suffix) const {
  if (ok()) return *this;
  return Status(code(), message() + std::string(suffix));
}

Status Status::WithPrefix(std::string_view prefix) const {
  if (ok()) return *this;
  return Status(code(), std::string(prefix) + message());
}

std::ostream& operator<<(std::ostream& os, const Status& s) { return os << s.ToString(); }

Status CancelledError(std::string m) { return Status(Code::kCancelled, std::move(m)); }
Status UnknownError(std::string m) { return Status(Code::kUnknown, std::move(m)); }
Status InvalidArgumentError(std::string m) { return Status(Code::kInvalidArgument, std::move(m)); }
Status DeadlineExceededError(std::string m) { return Status(Code::kDeadlineExceeded, std::move(m)); }
Status NotFoundError(std::string m) { return Status(Code::kNotFound, std::move(m)); }
Status AlreadyExistsError(std::string m) { return Status(Code::kAlreadyExists, std::move(m)); }
Status ResourceExhaustedError(std::string m) { return Status(Code::kResourceExhausted, std::move(m)); }
Status FailedPreconditionError(std::string m) { return Status(Code::kFailedPrecondition, std::move(m)); }
Status OutOfRangeError(std::string m) { return Status(Code::kOutOfRange, std::move(m)); }
Status UnimplementedError(std::string m) { return Status(Code::kUnimplemented, std::move(m)); }
Status InternalError(std::string m) { return Status(Code::kInternal, std::move(m)); }
Status UnavailableError(std::string m) { return Status(Code::kUnavailable, std::move(m)); }
Status DataLossError(std::string m) { return Status(Code::kDataLoss, std::move(m)); }
Status PermissionDeniedError(std::string m) { return Status(Code::kPermissionDenied, std::move(m)); }

namespace internal {
void DieBadStatusOrAccess(const Status& status) {
  std::fprintf(stderr, "tessera: value() called on a StatusOr holding an error: %s\n", status.ToString().c_str());
  std::abort();
}
}  // namespace internal

}  // namespace tessera
