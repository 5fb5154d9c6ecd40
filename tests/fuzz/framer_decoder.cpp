// Fuzzing: the source stage's LineFramer driving the decode stage's Decoder, as
// the TCP input does. Input: 2 control bytes (line limit, read chunk, driving
// mode, field map) then the byte stream. Checks the framer's events against a
// naive split of the whole stream, its memory bound, and that every decoded
// article is valid UTF-8 with an id and text, decoded the same way twice.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "newshound/decode/decoder.hpp"
#include "newshound/source/line_framer.hpp"
#include "newshound/util/utf8.hpp"

using namespace newshound;

namespace {

// One framer event as (is_line, bytes); oversize has empty bytes.
struct Ev {
  bool line;
  std::string bytes;
  bool operator==(const Ev&) const = default;
};

// The framer's contract, written the obvious way over the whole stream.
std::vector<Ev> reference_split(std::string_view s, std::size_t max_line) {
  std::vector<Ev> evs;
  auto emit = [&](std::string_view seg) {
    if (seg.size() > max_line) {
      evs.push_back({false, {}});
      return;
    }
    if (!seg.empty() && seg.back() == '\r') seg.remove_suffix(1);
    evs.push_back({true, std::string(seg)});
  };
  std::size_t pos = 0;
  for (;;) {
    const std::size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) break;
    emit(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  if (pos < s.size()) emit(s.substr(pos));
  return evs;
}

FieldMap field_map(unsigned which) {
  FieldMap m;
  switch (which % 4) {
    case 0:
      break;  // plain ninjs
    case 1:
      m.ninjs = false;
      m.id = "/guid";
      m.headline = {"/title", "/subtitle"};
      m.body_text = {"/content/text"};
      m.body_html = {"/content/html"};
      m.description = {"/summary", "/captions/0"};
      m.versioncreated = "/date";
      m.language = "/lang";
      break;
    case 2:  // ninjs with overrides, one pointer using escapes
      m.headline = {"/meta/a~1b"};
      m.body_text = {"/bodies/0/value"};
      break;
    default:  // pointers that are not valid: the roles fall back to ninjs
      m.id = "/x~2";
      m.headline = {"title"};
      break;
  }
  return m;
}

void check_article(Decoder& dec, std::string_view line, Article& a, Article& again) {
  const DecodeError e = dec.decode(line, a);
  (void)to_string(e);
  if (e != DecodeError::ok) {
    FUZZ_CHECK(dec.decode(line, again) == e);
    return;
  }
  FUZZ_CHECK(!a.id.empty());
  bool some_text = false;  // a headline, a body or a description (a caption alone counts)
  for (std::size_t i = 0; i < a.text_count(); ++i) {
    FUZZ_CHECK(utf8::is_valid(a.text(i).text));
    some_text = some_text || !a.text(i).text.empty();
  }
  FUZZ_CHECK(some_text);
  for (const std::string* f : {&a.id, &a.headline, &a.body, &a.versioncreated, &a.language,
                               &a.located, &a.byline, &a.type})
    FUZZ_CHECK(utf8::is_valid(*f));
  if (a.id_from_hash) FUZZ_CHECK(a.id == content_id(a));
  // Reused buffers must not leak state between lines: decoding again agrees.
  FUZZ_CHECK(dec.decode(line, again) == DecodeError::ok);
  FUZZ_CHECK(again.id == a.id && again.id_from_hash == a.id_from_hash);
  FUZZ_CHECK(again.headline == a.headline && again.body == a.body);
  FUZZ_CHECK(again.body_format == a.body_format && again.language == a.language);
  FUZZ_CHECK(again.versioncreated == a.versioncreated && again.located == a.located);
  FUZZ_CHECK(again.byline == a.byline && again.type == a.type);
  FUZZ_CHECK(again.text_count() == a.text_count());
  for (std::size_t i = 0; i < a.text_count() && i < again.text_count(); ++i) {
    FUZZ_CHECK(again.text(i).text == a.text(i).text && again.text(i).field == a.text(i).field);
    FUZZ_CHECK(again.text(i).format == a.text(i).format);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t max_line = 1 + (data[0] & 0x3f) * 37u;  // 1 .. 2332 bytes
  const std::size_t chunk = 1 + (data[1] & 0x1f) * 13u;     // 1 .. 404 bytes
  const bool use_prepare = data[1] & 0x20;
  static Decoder decoders[4] = {Decoder(field_map(0)), Decoder(field_map(1)), Decoder(field_map(2)),
                                Decoder(field_map(3))};
  Decoder& dec = decoders[(data[1] >> 6) & 3];
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  const std::vector<Ev> expected = reference_split(stream, max_line);
  std::vector<Ev> got;
  static Article a, again;
  LineFramer framer(max_line, chunk);
  auto drain = [&](bool at_end) {
    std::string_view out;
    for (;;) {
      const LineFramer::Event ev = at_end ? framer.finish(out) : framer.next(out);
      if (ev == LineFramer::Event::need_more) break;
      if (ev == LineFramer::Event::oversize) {
        FUZZ_CHECK(out.empty());
        got.push_back({false, {}});
        continue;
      }
      FUZZ_CHECK(out.size() <= max_line);
      FUZZ_CHECK(out.find('\n') == std::string_view::npos);
      got.push_back({true, std::string(out)});
      if (!out.empty()) check_article(dec, out, a, again);
    }
  };
  std::size_t pos = 0;
  while (pos < stream.size()) {
    if (use_prepare) {
      std::span<char> room = framer.prepare();
      FUZZ_CHECK(room.size() >= chunk);
      // Read chunk sizes vary with the data so short reads are exercised too.
      const std::size_t want = 1 + static_cast<unsigned char>(stream[pos]) % room.size();
      const std::size_t n = std::min({want, room.size(), stream.size() - pos});
      std::memcpy(room.data(), stream.data() + pos, n);
      framer.commit(n);
      pos += n;
      FUZZ_CHECK(framer.capacity() <= max_line + chunk);
    } else {
      const std::size_t n = std::min<std::size_t>(stream.size() - pos, 1 + (pos * 7 + chunk) % 97);
      framer.feed(stream.substr(pos, n));
      pos += n;
    }
    drain(false);
  }
  drain(true);
  FUZZ_CHECK(framer.buffered() == 0);
  FUZZ_CHECK(got == expected);
  return 0;
}
