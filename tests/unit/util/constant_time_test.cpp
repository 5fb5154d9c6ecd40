// Utility tests: constant_time_equal gives the answer of ==, whatever the
// lengths and wherever the first difference lies.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/util/constant_time.hpp"

using newshound::constant_time_equal;

TEST_CASE("constant_time_equal is == for the secret", "[constant_time]") {
  const std::string secret = "0123456789abcdef";
  CHECK(constant_time_equal(secret, "0123456789abcdef"));
  CHECK_FALSE(constant_time_equal(secret, ""));
  CHECK_FALSE(constant_time_equal(secret, "0123456789abcde"));     // a prefix
  CHECK_FALSE(constant_time_equal(secret, "0123456789abcdef0"));   // longer
  CHECK_FALSE(constant_time_equal(secret, "x123456789abcdef"));    // first byte
  CHECK_FALSE(constant_time_equal(secret, "0123456789abcdeF"));    // last byte
  CHECK_FALSE(constant_time_equal(secret, std::string(16, '0')));  // same length
  // A presented value padded as the loop pads it must still differ by its length.
  CHECK_FALSE(constant_time_equal("aaaa", "a"));
  CHECK_FALSE(constant_time_equal("", "a"));
  CHECK(constant_time_equal("", ""));
  // Bytes above 0x7f and NUL compare as bytes.
  CHECK(constant_time_equal(std::string("\xff\0x", 3), std::string("\xff\0x", 3)));
  CHECK_FALSE(constant_time_equal(std::string("\xff\0x", 3), std::string("\xff\0y", 3)));
}
