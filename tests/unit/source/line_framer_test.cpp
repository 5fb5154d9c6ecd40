// Stage: source. Tests for LineFramer: chunk boundaries, CRLF, empty lines,
// oversize lines (with and without a newline), the memory bound, prepare()/commit().
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "newshound/source/line_framer.hpp"

using newshound::LineFramer;
using Event = LineFramer::Event;

namespace {

// Renders the events as text: a line as its bytes, oversize as "<oversize>".
void drain(LineFramer& f, std::vector<std::string>& got) {
  std::string_view out;
  for (Event ev; (ev = f.next(out)) != Event::need_more;) {
    got.push_back(ev == Event::line ? std::string(out) : std::string("<oversize>"));
  }
}

void finish(LineFramer& f, std::vector<std::string>& got) {
  std::string_view out;
  for (Event ev; (ev = f.finish(out)) != Event::need_more;) {
    got.push_back(ev == Event::line ? std::string(out) : std::string("<oversize>"));
  }
}

std::vector<std::string> frame_in_pieces(std::string_view stream, std::vector<std::size_t> cuts,
                                         std::size_t max_line, bool use_prepare = false) {
  LineFramer f(max_line, 4);
  std::vector<std::string> got;
  std::size_t pos = 0;
  cuts.push_back(stream.size());
  for (std::size_t cut : cuts) {
    std::string_view piece = stream.substr(pos, cut - pos);
    pos = cut;
    if (use_prepare) {
      while (!piece.empty()) {
        auto span = f.prepare();
        REQUIRE(!span.empty());
        const std::size_t n = std::min(span.size(), piece.size());
        std::memcpy(span.data(), piece.data(), n);
        f.commit(n);
        piece.remove_prefix(n);
        drain(f, got);
      }
    } else {
      f.feed(piece);
      drain(f, got);
    }
  }
  finish(f, got);
  return got;
}

}  // namespace

TEST_CASE("framer: every split point of a small stream gives the same lines", "[framer]") {
  const std::string stream =
      "{\"headline\":\"NATO \xE2\x80\x94 talks\"}\r\n\n{\"b\":2}\nTHE U.S. SAYS\r\nlast";
  const std::vector<std::string> want = {"{\"headline\":\"NATO \xE2\x80\x94 talks\"}", "",
                                         "{\"b\":2}", "THE U.S. SAYS", "last"};
  for (bool use_prepare : {false, true}) {
    for (std::size_t i = 0; i <= stream.size(); ++i) {
      INFO("split at " << i << " prepare=" << use_prepare);
      CHECK(frame_in_pieces(stream, {i}, 64, use_prepare) == want);
    }
    for (std::size_t i = 0; i <= stream.size(); ++i) {
      for (std::size_t j = i; j <= stream.size(); ++j) {
        INFO("split at " << i << "," << j << " prepare=" << use_prepare);
        REQUIRE(frame_in_pieces(stream, {i, j}, 64, use_prepare) == want);
      }
    }
  }
}

TEST_CASE("framer: one byte at a time", "[framer]") {
  const std::string stream = "a\nbb\r\n\r\nccc\n";
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < stream.size(); ++i) cuts.push_back(i);
  CHECK(frame_in_pieces(stream, cuts, 8) == std::vector<std::string>{"a", "bb", "", "ccc"});
}

TEST_CASE("framer: CRLF and lone CR", "[framer]") {
  // Only one trailing '\r' is stripped; a '\r' inside a line is kept.
  CHECK(frame_in_pieces("x\r\ny\r\r\na\rb\n", {}, 16) ==
        std::vector<std::string>{"x", "y\r", "a\rb"});
  CHECK(frame_in_pieces("\r\n", {}, 16) == std::vector<std::string>{""});
  CHECK(frame_in_pieces("tail\r", {}, 16) == std::vector<std::string>{"tail"});
}

TEST_CASE("framer: empty lines are returned as empty lines", "[framer]") {
  CHECK(frame_in_pieces("\n\n\na\n\n", {}, 16) == std::vector<std::string>{"", "", "", "a", ""});
  CHECK(frame_in_pieces("", {}, 16).empty());
}

TEST_CASE("framer: an oversize line between two good lines costs only itself", "[framer]") {
  const std::string big(100, 'x');
  const std::string stream = "good one\n" + big + "\nGOOD TWO\n";
  for (std::size_t i = 0; i <= stream.size(); i += 7) {
    INFO("split at " << i);
    CHECK(frame_in_pieces(stream, {i}, 16) ==
          std::vector<std::string>{"good one", "<oversize>", "GOOD TWO"});
    CHECK(frame_in_pieces(stream, {i}, 16, true) ==
          std::vector<std::string>{"good one", "<oversize>", "GOOD TWO"});
  }
}

TEST_CASE("framer: the limit counts bytes before the newline", "[framer]") {
  CHECK(frame_in_pieces("12345678\n123456789\nok\n", {}, 8) ==
        std::vector<std::string>{"12345678", "<oversize>", "ok"});
  // A trailing '\r' counts toward the limit.
  CHECK(frame_in_pieces("1234567\r\n12345678\r\n", {}, 8) ==
        std::vector<std::string>{"1234567", "<oversize>"});
  CHECK(frame_in_pieces("123456789", {}, 8) == std::vector<std::string>{"<oversize>"});
}

TEST_CASE("framer: oversize line without newline then end of stream", "[framer]") {
  LineFramer f(16, 8);
  std::vector<std::string> got;
  f.feed("first\n");
  drain(f, got);
  for (int i = 0; i < 10; ++i) {
    f.feed("0123456789");
    drain(f, got);
  }
  finish(f, got);
  CHECK(got == std::vector<std::string>{"first", "<oversize>"});
  // The framer is reusable after finish().
  got.clear();
  f.feed("again\n");
  drain(f, got);
  CHECK(got == std::vector<std::string>{"again"});
}

TEST_CASE("framer: memory stays bounded for a 50 MiB line without newline", "[framer]") {
  constexpr std::size_t kMax = 1 << 20;
  constexpr std::size_t kChunk = 64 * 1024;
  const std::string chunk(kChunk, 'A');
  std::string_view out;

  SECTION("feed") {
    LineFramer f(kMax, kChunk);
    int oversize = 0;
    for (std::size_t fed = 0; fed < (50u << 20); fed += kChunk) {
      f.feed(chunk);
      for (Event ev; (ev = f.next(out)) != Event::need_more;) {
        REQUIRE(ev == Event::oversize);
        ++oversize;
      }
      REQUIRE(f.capacity() <= kMax + kChunk);
    }
    f.feed("\nafter\n");
    REQUIRE(f.next(out) == Event::line);
    CHECK(out == "after");
    CHECK(f.next(out) == Event::need_more);
    CHECK(oversize == 1);
    CHECK(f.capacity() <= kMax + kChunk);
  }

  SECTION("prepare/commit") {
    LineFramer f(kMax, kChunk);
    int oversize = 0;
    std::size_t fed = 0;
    while (fed < (50u << 20)) {
      auto span = f.prepare();
      REQUIRE(span.size() >= kChunk);
      const std::size_t n = std::min(span.size(), kChunk);
      std::memset(span.data(), 'B', n);
      f.commit(n);
      fed += n;
      for (Event ev; (ev = f.next(out)) != Event::need_more;) {
        REQUIRE(ev == Event::oversize);
        ++oversize;
      }
      REQUIRE(f.capacity() <= kMax + kChunk);
    }
    auto span = f.prepare();
    const std::string tail = "\n{\"headline\":\"after\"}\n";
    std::memcpy(span.data(), tail.data(), tail.size());
    f.commit(tail.size());
    REQUIRE(f.next(out) == Event::line);
    CHECK(out == "{\"headline\":\"after\"}");
    CHECK(oversize == 1);
    CHECK(f.capacity() <= kMax + kChunk);
  }
}

TEST_CASE("framer: lines up to the limit are framed across many reads", "[framer]") {
  // Lines just under the limit, read in small chunks: compaction must keep them whole.
  constexpr std::size_t kMax = 100;
  std::string stream;
  std::vector<std::string> want;
  for (int i = 0; i < 50; ++i) {
    std::string line(kMax - (i % 3), static_cast<char>('a' + i % 26));
    stream += line + "\n";
    want.push_back(line);
  }
  std::vector<std::size_t> cuts;
  for (std::size_t c = 13; c < stream.size(); c += 13) cuts.push_back(c);
  LineFramer f(kMax, 16);
  std::vector<std::string> got;
  std::size_t pos = 0;
  cuts.push_back(stream.size());
  for (std::size_t c : cuts) {
    std::string_view piece(stream.data() + pos, c - pos);
    pos = c;
    auto span = f.prepare();
    REQUIRE(span.size() >= piece.size());
    std::memcpy(span.data(), piece.data(), piece.size());
    f.commit(piece.size());
    drain(f, got);
    REQUIRE(f.capacity() <= kMax + 16);
  }
  finish(f, got);
  CHECK(got == want);
}

TEST_CASE("framer: commit is clamped to the prepared span", "[framer]") {
  LineFramer f(16, 4);
  auto span = f.prepare();
  std::memcpy(span.data(), "ab\n", 3);
  f.commit(3);
  std::string_view out;
  REQUIRE(f.next(out) == Event::line);
  CHECK(out == "ab");
  span = f.prepare();
  f.commit(span.size() + 1000);  // a buggy caller must not push end past the buffer
  CHECK(f.buffered() == span.size());
}
