// Stage: source. Tests for the acknowledgement wire format: one JSON line per
// article id, the id escaped as a JSON string.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/source/ack_reply.hpp"

TEST_CASE("ack reply: one JSON line per article id, appended") {
  std::string out;
  newshound::append_ack_reply(out, "urn:a1");
  newshound::append_ack_reply(out, "");
  CHECK(out == "{\"ack\":\"urn:a1\"}\n{\"ack\":\"\"}\n");
}

TEST_CASE("ack reply: quotes, backslashes and control bytes are escaped") {
  std::string out;
  newshound::append_ack_reply(out, "a\"b\\c\nd");
  CHECK(out == "{\"ack\":\"a\\\"b\\\\c\\nd\"}\n");
}
