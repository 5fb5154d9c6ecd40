// Fuzzing: the feed poller's parsers. Input: one feed or OPML document. Checks
// that parse_feed and parse_opml never crash, hang or leak; that every item has
// an id, valid UTF-8 everywhere, dates in RFC 3339 UTC form or empty; that a
// document is read the same twice; and that normalize_feed_date is idempotent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "newshound/source/feed_parse.hpp"
#include "newshound/util/utf8.hpp"

using namespace newshound;

namespace {

void check_date(const std::string& d) {
  if (d.empty()) return;
  FUZZ_CHECK(d.size() == 20 && d[4] == '-' && d[10] == 'T' && d.back() == 'Z');
  FUZZ_CHECK(normalize_feed_date(d) == d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const FeedDocument doc = parse_feed(bytes);
  (void)to_string(doc.error);
  if (doc.error != FeedError::ok) FUZZ_CHECK(doc.items.empty());
  for (const FeedItem& it : doc.items) {
    FUZZ_CHECK(!it.id.empty());
    for (const std::string* s : {&it.id, &it.title, &it.body, &it.summary, &it.link})
      FUZZ_CHECK(utf8::is_valid(*s));
    check_date(it.updated);
    check_date(it.published);
  }
  const FeedDocument again = parse_feed(bytes);
  FUZZ_CHECK(again.error == doc.error && again.items == doc.items);
  const OpmlDocument opml = parse_opml(bytes);
  for (const std::string& u : opml.urls) FUZZ_CHECK(!u.empty() && utf8::is_valid(u));
  // Any short prefix as a date: never crashes, a result reads back as itself.
  check_date(normalize_feed_date(bytes.substr(0, 40)));
  return 0;
}
