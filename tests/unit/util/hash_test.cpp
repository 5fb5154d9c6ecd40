// Tests (util): the stable hash behind article, alert and rules ids. Its values are
// part of the alert format (docs/alerts.md: ids stay the same across versions), so
// two are pinned here.
#include <catch2/catch.hpp>

#include "newshound/util/hash.hpp"

using namespace newshound;

TEST_CASE("hash: pinned values, 32 lowercase hex digits") {
  CHECK(stable_hash_hex({"newshound"}) == "3ab33855749d7d81764a06be2060da5b");
  CHECK(stable_hash_hex({"ab", "c"}) == "f2eda2708bcfd51cc05c0ee4c9f60440");
  const std::string h = stable_hash_hex({""});
  CHECK(h.size() == 32);
  CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("hash: parts are length-prefixed, and the incremental form agrees") {
  CHECK(stable_hash_hex({"ab", "c"}) != stable_hash_hex({"a", "bc"}));
  CHECK(stable_hash_hex({"abc"}) != stable_hash_hex({"ab", "c"}));
  CHECK(stable_hash_hex({"", "x"}) != stable_hash_hex({"x"}));
  StableHasher h;
  h.add("ab");
  h.add("c");
  CHECK(h.hex() == stable_hash_hex({"ab", "c"}));
  CHECK(h.hex() == h.hex());  // reading the digest does not consume the state
}

TEST_CASE("hash: short and long inputs hash the same bytes as the incremental form") {
  // stable_hash_hex lays short inputs out on the stack and streams long ones: every
  // size around the 512-byte switch (parts and their 8-byte prefixes) agrees.
  for (std::size_t n = 0; n < 700; n += 7) {
    const std::string a(n, 'a'), b(n / 3, 'b');
    StableHasher h;
    h.add(a);
    h.add(b);
    h.add("");
    INFO("n = " << n);
    CHECK(stable_hash_hex({a, b, ""}) == h.hex());
  }
}
