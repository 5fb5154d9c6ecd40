// Stage: decode (tests). Steady-state decoding allocates nothing: once the decoder
// and the Article have grown, decoding the same shapes again makes no allocation.
// Counts calls to the global operator new (support/alloc_counter.hpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "feed_lines.hpp"
#include "newshound/decode/decoder.hpp"
#include "support/alloc_counter.hpp"

using namespace newshound;

TEST_CASE("decode: no allocation per line in steady state", "[decode]") {
  std::vector<std::string> lines;
  for (const char* f : {"ninjs1.ndjson", "ninjs2.ndjson", "ninjs3.ndjson"}) {
    for (auto& l : newshound::test::feed_lines(f)) {
      if (l.find("\"uri\"") != std::string::npos) lines.push_back(l);  // content ids allocate
    }
  }
  for (auto& l : newshound::test::feed_lines("bad.ndjson")) lines.push_back(l);
  REQUIRE(lines.size() > 10);

  FieldMap map;
  map.headline = {"/title"};  // exercise at_pointer too (absent in these lines)
  Decoder d(map);
  Article a;
  std::vector<DecodeError> first;
  for (auto& l : lines) first.push_back(d.decode(l, a));  // warm up: buffers grow

  std::vector<DecodeError> second;
  second.reserve(lines.size());
  newshound::test::AllocCounter counter;
  for (auto& l : lines) {
    const long before = counter.allocations();
    second.push_back(d.decode(l, a));
    if (counter.allocations() != before) UNSCOPED_INFO("allocating line: " << l.substr(0, 80));
  }
  counter.stop();
  CHECK(counter.allocations() == 0);
  CHECK(first == second);
}
