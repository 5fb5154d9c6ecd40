// Stage: normalize (tests). Hostile input: invalid and truncated UTF-8, and random
// byte strings through every markup (sizes consistent, offsets in range, no '\0').
#include <catch2/catch.hpp>

#include <random>

#include "fold_helpers.hpp"

using newshound::Markup;
using newshound::NormalizedArticle;
using newshound::Normalizer;
using newshound::test::fold;
using newshound::test::fold_field;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

void check_consistent(const NormalizedArticle& n, std::size_t start, std::size_t input_size) {
  REQUIRE(n.src_begin.size() == n.text.size());
  REQUIRE(n.src_end.size() == n.text.size());
  for (std::size_t i = start; i < n.text.size(); ++i) {
    REQUIRE(n.text[i] != '\0');
    REQUIRE(n.src_begin[i] <= n.src_end[i]);
    REQUIRE(n.src_end[i] <= input_size);
  }
}

}  // namespace

TEST_CASE("invalid UTF-8 folds to U+FFFD", "[normalize][robust]") {
  CHECK(fold("a\xFF"
             "b") == "a" + kFffd + "b");
  CHECK(fold("a\x80\x80"
             "b") == "a" + kFffd + kFffd + "b");                    // stray continuations
  CHECK(fold("\xC0\xAF") == kFffd + kFffd);                         // overlong '/'
  CHECK(fold("\xED\xA0\x80") == kFffd + kFffd + kFffd);             // surrogate
  CHECK(fold("\xF4\x90\x80\x80").find('\0') == std::string::npos);  // above U+10FFFF
  CHECK(fold("Caf\xC3") == "caf" + kFffd);                          // truncated at the end
  CHECK(fold("\xE2\x80"
             "Lavrov") == kFffd + "lavrov");  // truncated mid-text
  CHECK(fold("\xF0\x9F\x98") == kFffd);       // truncated 4-byte
}

TEST_CASE("truncated sequences keep the arrays parallel and in range", "[normalize][robust]") {
  for (const std::string f : {"\xC3", "\xE2\x80", "\xF0\x9F\x98", "x\xE2", "&#x2019", "<b", "<!--",
                              "[a](", "**\xC3", "&eacute"}) {
    for (Markup m : {Markup::text, Markup::markdown, Markup::html}) {
      const auto n = fold_field(f, m);
      check_consistent(n, 0, f.size());
      CHECK_FALSE(n.text.empty());
    }
  }
}

TEST_CASE("random bytes through every markup", "[normalize][robust]") {
  std::mt19937 rng(20261123);
  // Bias towards the bytes that drive markup and multi-byte decoding.
  const std::string alphabet = "aZ9 \n\t\0<>&#;/[]()!*_-pbr\x80\xBF\xC3\xA9\xE2\x80\x99\xF0\xFF";
  NormalizedArticle reused;
  for (int round = 0; round < 2000; ++round) {
    const std::size_t len = rng() % 200;
    std::string f(len, ' ');
    for (auto& c : f) {
      c = (rng() % 4 == 0) ? static_cast<char>(rng() & 0xFF) : alphabet[rng() % alphabet.size()];
    }
    for (Markup m : {Markup::text, Markup::markdown, Markup::html}) {
      const auto n = fold_field(f, m);
      check_consistent(n, 0, f.size());
      CHECK(n.text.size() <= f.size() * 18 + 1);
      // appending to a non-empty article behaves the same
      reused.clear();
      Normalizer::append("head", Markup::markdown, reused);
      const std::size_t start = reused.text.size();
      Normalizer::append(f, m, reused);
      check_consistent(reused, start, f.size());
      REQUIRE(reused.text.substr(start) == n.text);
    }
  }
}

TEST_CASE("folding is idempotent and leaves no double or edge spaces", "[normalize][robust]") {
  std::mt19937 rng(77);
  const std::string alphabet =
      "aZ \n\t<>&;[]*_\xC3\x89\xE2\x80\x99\xC2\xA0\xE2\x80\x8B\xCC\x81\xEF\xAC\x81";
  for (int round = 0; round < 2000; ++round) {
    std::string f(rng() % 80, ' ');
    for (auto& c : f) c = alphabet[rng() % alphabet.size()];
    for (Markup m : {Markup::text, Markup::markdown, Markup::html}) {
      const std::string once = fold(f, m);
      INFO(f);
      REQUIRE(newshound::fold_phrase(once) == once);
      REQUIRE(once.find("  ") == std::string::npos);
      if (!once.empty()) {
        REQUIRE(once.front() != ' ');
        REQUIRE(once.back() != ' ');
      }
    }
  }
}
