// Stage: decode (tests). The ninjs lifecycle members (version, pubstatus, embargoed)
// reach the Article; a feed that types them otherwise loses nothing.
#include <catch2/catch.hpp>

#include "newshound/decode/decoder.hpp"

using namespace newshound;

TEST_CASE("ninjs: version, pubstatus and embargoed", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"uri":"u1","headline":"h","version":"4","pubstatus":"withheld",)"
                   R"("embargoed":"2026-01-02T03:04:05Z"})",
                   a) == DecodeError::ok);
  CHECK(a.version == "4");
  CHECK(a.pubstatus == PubStatus::withheld);
  CHECK(a.embargoed == "2026-01-02T03:04:05Z");

  REQUIRE(d.decode(R"({"uri":"u2","headline":"h","version":7,"pubstatus":"canceled"})", a) ==
          DecodeError::ok);
  CHECK(a.version == "7");
  CHECK(a.pubstatus == PubStatus::canceled);
  CHECK(a.embargoed.empty());

  // Other types are skipped, not refused: these members are not in any alert.
  REQUIRE(d.decode(R"({"uri":"u3","headline":"h","version":1.5,"pubstatus":{"x":1},)"
                   R"("embargoed":null})",
                   a) == DecodeError::ok);
  CHECK(a.version.empty());
  CHECK(a.pubstatus == PubStatus::unknown);
  REQUIRE(d.decode(R"({"uri":"u4","headline":"h","pubstatus":"stat:usable"})", a) ==
          DecodeError::ok);
  CHECK(a.pubstatus == PubStatus::usable);
  REQUIRE(d.decode(R"({"uri":"u5","headline":"h","pubstatus":"draft"})", a) == DecodeError::ok);
  CHECK(a.pubstatus == PubStatus::unknown);
  // Skipped as an unknown member is: broken JSON inside them fares the same.
  Article b;
  CHECK(d.decode(R"({"uri":"u6","headline":"h","version":[1,}})", a) ==
        d.decode(R"({"uri":"u6","headline":"h","other":[1,}})", b));
  CHECK(d.decode(R"({"uri":"u7","headline":"h","pubstatus":{"a":}})", a) ==
        d.decode(R"({"uri":"u7","headline":"h","other":{"a":}})", b));
}

TEST_CASE("ninjs: urgency 1 to 9, as a number or a string, else absent", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"uri":"u1","headline":"h","urgency":3})", a) == DecodeError::ok);
  CHECK(a.urgency == 3);
  REQUIRE(d.decode(R"({"uri":"u2","headline":"h","urgency":"9"})", a) == DecodeError::ok);
  CHECK(a.urgency == 9);
  for (const char* bad :
       {R"({"uri":"u3","headline":"h","urgency":0})", R"({"uri":"u3","headline":"h","urgency":12})",
        R"({"uri":"u3","headline":"h","urgency":2.5})",
        R"({"uri":"u3","headline":"h","urgency":null})", R"({"uri":"u3","headline":"h"})"}) {
    REQUIRE(d.decode(bad, a) == DecodeError::ok);
    CHECK(a.urgency == 0);
  }
}

TEST_CASE("pub_status_of", "[decode]") {
  CHECK(pub_status_of("usable") == PubStatus::usable);
  CHECK(pub_status_of("stat:withheld") == PubStatus::withheld);
  CHECK(pub_status_of("cancelled") == PubStatus::canceled);
  CHECK(pub_status_of("") == PubStatus::unknown);
  CHECK(pub_status_of("Usable") == PubStatus::unknown);
}
