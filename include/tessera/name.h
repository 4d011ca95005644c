// Name: the optional node name every op builder takes, and where in the
// caller's code the builder was called.
//
//   ops::Relu(g, x);            // node "Relu", made at this file and line
//   ops::Relu(g, x, "hidden");  // node "hidden", the same
//
// A Name is made at the call (its default arguments are the caller's file
// and line), so every node records the line of user code that created it,
// including the nodes a builder adds on its own behalf (RandomNormal's Mul,
// a Variable's Assign): while a builder runs, the newest Name made outside
// tessera's own sources is the one that counts. Placement records, the
// placement log, errors and JSON show it ("mlp_inference.cc:42").
//
// Thread-safety: a Name belongs to the thread that made it; keep it for the
// builder call (pass it on, do not store it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tessera {

// A place in the source: the file as the compiler saw it, and the line.
struct SourceLocation {
  const char* file = nullptr;  // nullptr: unknown
  int line = 0;
  bool known() const { return file != nullptr; }
  // "mlp_inference.cc:42" (the file's base name), or "" when unknown.
  std::string ToString() const;
};

namespace name_internal {
struct Line {
  explicit Line(unsigned v) : value(v) {}
  unsigned value;
};
struct File {
  explicit File(const char* p) : path(p) {}
  const char* path;
};
// The thread's stack of live Names (see above): Enter returns a token for Leave.
uint64_t Enter(const SourceLocation& loc);
void Leave(uint64_t token);
}  // namespace name_internal

class Name {
 public:
  Name(name_internal::Line line = name_internal::Line(__builtin_LINE()),  // NOLINT: the caller's line
       name_internal::File file = name_internal::File(__builtin_FILE()))
      : loc_{file.path, static_cast<int>(line.value)}, token_(name_internal::Enter(loc_)) {}
  Name(std::string_view text, name_internal::Line line = name_internal::Line(__builtin_LINE()),  // NOLINT
       name_internal::File file = name_internal::File(__builtin_FILE()))
      : text_(text), loc_{file.path, static_cast<int>(line.value)}, token_(name_internal::Enter(loc_)) {}
  Name(const char* text, name_internal::Line line = name_internal::Line(__builtin_LINE()),  // NOLINT
       name_internal::File file = name_internal::File(__builtin_FILE()))
      : text_(text), loc_{file.path, static_cast<int>(line.value)}, token_(name_internal::Enter(loc_)) {}
  Name(const std::string& text, name_internal::Line line = name_internal::Line(__builtin_LINE()),  // NOLINT
       name_internal::File file = name_internal::File(__builtin_FILE()))
      : text_(text), loc_{file.path, static_cast<int>(line.value)}, token_(name_internal::Enter(loc_)) {}
  Name(const Name& other) : text_(other.text_), loc_(other.loc_), token_(name_internal::Enter(loc_)) {}
  Name& operator=(const Name&) = delete;
  ~Name() { name_internal::Leave(token_); }

  std::string_view text() const { return text_; }
  operator std::string_view() const { return text_; }  // NOLINT: a Name is used as its text
  bool empty() const { return text_.empty(); }
  const SourceLocation& location() const { return loc_; }

 private:
  std::string_view text_;
  SourceLocation loc_;
  uint64_t token_;
};

// The location of the code building the graph on this thread now: the newest
// live Name made outside tessera's sources (unknown when there is none).
SourceLocation CurrentSourceLocation();

}  // namespace tessera
