// Sink tests: the jetstream output's subject template (`{list}` from the alert's
// first list, made safe for a NATS subject).
#include <catch2/catch.hpp>

#include "newshound/sink/jetstream_sink.hpp"

using newshound::jetstream_subject;

TEST_CASE("jetstream subject: {list} is the alert's first list, sanitized", "[sink][jetstream]") {
  CHECK(jetstream_subject("alerts", R"({"id":"x","lists":["people"]})") == "alerts");
  CHECK(jetstream_subject("alerts.{list}", R"({"id":"x","lists":["people","places"]})") ==
        "alerts.people");
  CHECK(jetstream_subject("alerts.{list}.v1", R"({"lists":["desk a.b*>"]})") ==
        "alerts.desk_a_b__.v1");
  CHECK(jetstream_subject("alerts.{list}", R"({"id":"x"})") == "alerts._");
  CHECK(jetstream_subject("alerts.{list}", R"({"lists":[]})") == "alerts._");
}
