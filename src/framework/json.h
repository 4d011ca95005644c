// JSON text for the records and reports tessera writes (placement records,
// explanations, traces). Writing only; tessera reads no JSON.
#pragma once

#include <string>
#include <string_view>

namespace tessera {

// `s` as a quoted JSON string, with quotes, backslashes and control
// characters escaped (UTF-8 passes through).
std::string JsonString(std::string_view s);

}  // namespace tessera
