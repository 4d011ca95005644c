#include "src/persistence/table_reader.h"

#include <cstdint>
#include <cstring>

#include "src/persistence/crc32c.h"

namespace tessera::persistence {
namespace {

constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr size_t kFooterSize = 48;  // two block handles (padded to 40 bytes) and the magic number
constexpr size_t kTrailerSize = 5;  // compression type and masked CRC32C

// A cursor over untrusted bytes: every read checks what is left.
struct Reader {
  std::string_view in;
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift <= 63 && !in.empty(); shift += 7) {
      const auto byte = static_cast<uint8_t>(in[0]);
      in.remove_prefix(1);
      *v |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80u) == 0) return true;
    }
    return false;
  }
  bool Bytes(uint64_t n, std::string_view* out) {
    if (n > in.size()) return false;
    *out = in.substr(0, static_cast<size_t>(n));
    in.remove_prefix(static_cast<size_t>(n));
    return true;
  }
};

uint32_t Fixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

struct Handle {
  uint64_t offset = 0, size = 0;
};

// The block a handle names, its trailer checked.
StatusOr<std::string_view> Block(std::string_view table, const Handle& h, const std::string& name) {
  const uint64_t end_of_blocks = table.size() - kFooterSize;
  if (h.offset > end_of_blocks || h.size > end_of_blocks - h.offset ||
      kTrailerSize > end_of_blocks - h.offset - h.size) {
    return DataLossError("The checkpoint index " + name + " is corrupt or truncated: a block at offset " +
                         std::to_string(h.offset) + " of " + std::to_string(h.size) + " bytes lies outside the file");
  }
  const char* p = table.data() + h.offset;
  const auto size = static_cast<size_t>(h.size);
  const uint32_t stored = crc32c::Unmask(Fixed32(p + size + 1));
  if (crc32c::Value(p, size + 1) != stored) {
    return DataLossError("The checkpoint index " + name + " is corrupt: block checksum mismatch at offset " +
                         std::to_string(h.offset));
  }
  if (p[size] != 0) {
    return UnimplementedError("The checkpoint index " + name + " has compressed blocks (type " +
                              std::to_string(static_cast<int>(p[size])) + "); TF writes them uncompressed");
  }
  return std::string_view(p, size);
}

// Every entry of a block: prefix-compressed keys, then the restart array.
Status ParseBlock(std::string_view block, const std::string& name,
                  std::vector<std::pair<std::string, std::string>>* out) {
  const Status corrupt = DataLossError("The checkpoint index " + name + " is corrupt: a malformed block");
  if (block.size() < 4) return corrupt;
  const uint32_t restarts = Fixed32(block.data() + block.size() - 4);
  if (restarts > (block.size() - 4) / 4) return corrupt;
  Reader r{block.substr(0, block.size() - 4 - 4 * size_t{restarts})};
  std::string key;
  while (!r.in.empty()) {
    uint64_t shared = 0, unshared = 0, value_size = 0;
    std::string_view delta, value;
    if (!r.Varint(&shared) || !r.Varint(&unshared) || !r.Varint(&value_size) || shared > key.size() ||
        !r.Bytes(unshared, &delta) || !r.Bytes(value_size, &value)) {
      return corrupt;
    }
    std::string next = key.substr(0, static_cast<size_t>(shared));
    next.append(delta);
    if (!out->empty() && next <= out->back().first) {
      return DataLossError("The checkpoint index " + name + " is corrupt: its keys are out of order");
    }
    key = next;
    out->emplace_back(std::move(next), std::string(value));
  }
  return Status::OK();
}

StatusOr<Handle> ParseHandle(std::string_view bytes, const std::string& name) {
  Reader r{bytes};
  Handle h;
  if (!r.Varint(&h.offset) || !r.Varint(&h.size)) {
    return DataLossError("The checkpoint index " + name + " is corrupt: a malformed block handle");
  }
  return h;
}

}  // namespace

StatusOr<std::vector<std::pair<std::string, std::string>>> ReadTable(std::string_view table, const std::string& name) {
  if (table.size() < kFooterSize) {
    return DataLossError("The checkpoint index " + name + " is corrupt or truncated: " + std::to_string(table.size()) +
                         " bytes, shorter than a table's footer");
  }
  const char* footer = table.data() + table.size() - kFooterSize;
  uint64_t magic;
  std::memcpy(&magic, footer + kFooterSize - 8, 8);
  if (magic != kTableMagic) {
    return DataLossError("The checkpoint index " + name + " is corrupt or truncated: no table magic number at its end");
  }
  Reader handles{std::string_view(footer, kFooterSize - 8)};
  Handle metaindex, index;
  if (!handles.Varint(&metaindex.offset) || !handles.Varint(&metaindex.size) || !handles.Varint(&index.offset) ||
      !handles.Varint(&index.size)) {
    return DataLossError("The checkpoint index " + name + " is corrupt: a malformed footer");
  }
  TESSERA_ASSIGN_OR_RETURN(std::string_view index_block, Block(table, index, name));
  std::vector<std::pair<std::string, std::string>> index_entries, entries;
  TESSERA_RETURN_IF_ERROR(ParseBlock(index_block, name, &index_entries));
  for (const auto& [separator, handle_bytes] : index_entries) {
    TESSERA_ASSIGN_OR_RETURN(Handle h, ParseHandle(handle_bytes, name));
    TESSERA_ASSIGN_OR_RETURN(std::string_view data, Block(table, h, name));
    TESSERA_RETURN_IF_ERROR(ParseBlock(data, name, &entries));
    if (!entries.empty() && entries.back().first > separator) {
      return DataLossError("The checkpoint index " + name + " is corrupt: a block's keys pass its index entry");
    }
  }
  return entries;
}

}  // namespace tessera::persistence
