// Fuzzing: the decode stage's NewsML-G2 path. Input: one XML record (the whole
// input, newlines included, as a drop folder hands a file over). Checks that the
// Decoder never crashes, hangs or leaks on it; that a decoded article is valid UTF-8
// with an id and some text, every text value with a path, decoded the same twice;
// and that split_newsml agrees with the decoder (a refused record is refused by both
// for the same reason, several_items splits into several records, each of which
// decodes without a crash).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "newshound/decode/decoder.hpp"
#include "newshound/decode/newsml.hpp"
#include "newshound/util/utf8.hpp"

using namespace newshound;

namespace {

void check_article(const Article& a, const Article& again) {
  FUZZ_CHECK(!a.id.empty());
  bool some_text = false;
  for (std::size_t i = 0; i < a.text_count(); ++i) {
    FUZZ_CHECK(utf8::is_valid(a.text(i).text));
    some_text = some_text || !a.text(i).text.empty();
    std::string path;
    a.append_pointer(*a.text(i).path, path);
    FUZZ_CHECK(a.text(i).text.empty() || path.substr(0, 2) == "/n");
  }
  FUZZ_CHECK(some_text);
  for (const std::string* f : {&a.id, &a.versioncreated, &a.language, &a.located, &a.byline,
                               &a.type, &a.version, &a.embargoed, &a.slugline, &a.subject_text})
    FUZZ_CHECK(utf8::is_valid(*f));
  FUZZ_CHECK(a.urgency <= 9);
  if (a.id_from_hash) FUZZ_CHECK(a.id == content_id(a));
  FUZZ_CHECK(again.id == a.id && again.headline == a.headline && again.body == a.body);
  FUZZ_CHECK(again.text_count() == a.text_count() && again.pubstatus == a.pubstatus);
  FUZZ_CHECK(again.subject_text == a.subject_text && again.version == a.version);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view record(reinterpret_cast<const char*>(data), size);
  static Decoder dec;
  static Article a, again;
  const DecodeError e = dec.decode(record, a);
  (void)to_string(e);
  FUZZ_CHECK(dec.decode(record, again) == e);
  if (e == DecodeError::ok) check_article(a, again);
  if (!starts_with_markup(record)) return 0;

  std::vector<std::string> items;
  const DecodeError split = split_newsml(record, items);
  if (split != DecodeError::ok) {
    FUZZ_CHECK(items.empty());
    FUZZ_CHECK(e == split);  // the same guarded parse refused it first
    return 0;
  }
  if (e == DecodeError::several_items) FUZZ_CHECK(items.size() > 1);
  for (const std::string& item : items) {
    FUZZ_CHECK(starts_with_markup(item));
    const DecodeError ie = dec.decode(item, a);
    FUZZ_CHECK(ie != DecodeError::not_xml && ie != DecodeError::several_items);
    if (ie == DecodeError::ok) {
      FUZZ_CHECK(dec.decode(item, again) == DecodeError::ok);
      check_article(a, again);
    }
  }
  return 0;
}
