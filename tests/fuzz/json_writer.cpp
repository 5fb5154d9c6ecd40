// Fuzzing: JsonWriter against Boost.JSON. The input's bytes, split at the first
// 0xFF byte into a key and a value (neither need be valid UTF-8), are written as
// {"<key>":["<value>",<length>,null]} by both: the bytes must be identical (made
// valid by utf8::append_valid() first, as the alert encoder always did).
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "newshound/encode/json_writer.hpp"
#include "newshound/util/utf8.hpp"

namespace {

boost::json::string valid(std::string_view s) {
  std::string fixed;
  newshound::utf8::append_valid(fixed, s);
  return boost::json::string(boost::json::string_view(fixed.data(), fixed.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = in.find('\xFF');
  const std::string_view key = in.substr(0, cut);
  const std::string_view value = cut == std::string_view::npos ? "" : in.substr(cut + 1);

  std::string out, scratch;
  newshound::JsonWriter w(out, scratch);
  w.begin_object();
  w.key(key);
  w.begin_array();
  w.string(value);
  w.number(value.size());
  w.null();
  w.end_array();
  w.end_object();

  boost::json::object o;
  boost::json::array a;
  a.emplace_back(valid(value));
  a.emplace_back(static_cast<std::uint64_t>(value.size()));
  a.emplace_back(nullptr);
  const boost::json::string k = valid(key);
  o.emplace(k, std::move(a));
  FUZZ_CHECK(out == boost::json::serialize(o));
  return 0;
}
