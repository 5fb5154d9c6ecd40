// Fuzzing: the match stage's watch-list loader and both engines. The input is a
// `.names` file: parse_names, Rules::compile on the result, then the same bytes
// are matched as an article (first line as headline, all of it as body) by the
// Hyperscan engine and by the reference engine, which must agree exactly. The
// low bit of the first byte sets `transliterate` (both engines then also scan the
// transliterated view).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "fuzz_check.hpp"
#include "newshound/match/matcher.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/match/watchlist.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "newshound/util/utf8.hpp"

using namespace newshound;

namespace {

auto key(const Match& m) {
  return std::tie(m.entity, m.pattern, m.field, m.start, m.end, m.folded_start, m.folded_end);
}

void check_list(const WatchList& list, const Diagnostics& diags, std::size_t lines) {
  for (const EntityDef& e : list.entities) {
    FUZZ_CHECK(!e.aliases.empty());
    FUZZ_CHECK(e.line >= 1 && e.line <= lines);
    for (const std::string& alias : e.aliases) {
      FUZZ_CHECK(utf8::is_valid(alias));
      FUZZ_CHECK(!fold_phrase(alias).empty());
    }
  }
  for (const Diagnostic& d : diags) {
    FUZZ_CHECK(d.line <= lines);
    FUZZ_CHECK(!d.message.empty());
    (void)d.format();
  }
}

void check_matches(const MatchSet& ms, const Rules& rules, const Article& a,
                   const NormalizedArticle& n) {
  for (const Match& m : ms.matches) {
    FUZZ_CHECK(m.entity < rules.entities().size());
    FUZZ_CHECK(m.pattern < rules.patterns().size());
    FUZZ_CHECK(rules.patterns()[m.pattern].entity == m.entity);
    const std::size_t field_size = m.field == Field::headline ? a.headline.size() : a.body.size();
    FUZZ_CHECK(m.start < m.end && m.end <= field_size);
    FUZZ_CHECK(m.folded_start < m.folded_end && m.folded_end <= n.text.size());
    FUZZ_CHECK(n.field_at(m.folded_start) == m.field);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  WatchList list;
  list.name = "fuzz";
  list.path = "fuzz.names";
  list.tags = {"fuzz"};
  list.transliterate = size > 0 && (data[0] & 1) != 0;
  Diagnostics diags;
  parse_names(text, list.path, list, diags);
  check_list(list, diags, static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);

  const std::size_t before = diags.size();
  std::shared_ptr<const Rules> rules = Rules::compile({list}, diags);
  if (!rules) {
    FUZZ_CHECK(diags.size() > before);  // a failure always says why
    return 0;
  }
  FUZZ_CHECK(rules->lists().size() == 1);
  for (const Pattern& p : rules->patterns()) {
    FUZZ_CHECK(!p.literal.empty());
    FUZZ_CHECK(p.entity < rules->entities().size());
  }

  // The same bytes as an article, made valid UTF-8 as the decoder guarantees.
  static Article a;
  a.clear();
  utf8::append_valid(a.headline, text.substr(0, text.find('\n')));
  utf8::append_valid(a.body, text);
  a.body_format = (size > 0 && (data[size - 1] & 1)) ? BodyFormat::html : BodyFormat::text;
  static Normalizer normalizer;
  static NormalizedArticle n;
  normalizer.normalize(a, n);

  HyperscanMatcher hs(rules);
  ReferenceMatcher ref(rules);
  static MatchSet got_hs, got_ref;
  const bool ok_hs = hs.match(a, n, got_hs);
  const bool ok_ref = ref.match(a, n, got_ref);
  FUZZ_CHECK(ok_hs && ok_ref);
  check_matches(got_hs, *rules, a, n);
  FUZZ_CHECK(got_hs.matches.size() == got_ref.matches.size());
  for (std::size_t i = 0; i < got_hs.matches.size(); ++i)
    FUZZ_CHECK(key(got_hs.matches[i]) == key(got_ref.matches[i]));
  return 0;
}
