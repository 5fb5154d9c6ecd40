// Fuzzing: the match stage's topic query language. The input is a `.topics` file:
// parse_topics must report every problem as a diagnostic inside the file and keep
// only well-formed topics; each kept query's AST must be well shaped and within the
// nesting limit, and its canonical form (to_string) must parse back to itself. The
// same bytes are then parsed as one query with parse_query.
//
// The round-trip property is checked by default; FUZZ_TOPICS_ROUNDTRIP=0 in the
// environment switches it off (to fuzz for crashes alone while a counterexample is open).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "fuzz_check.hpp"
#include "newshound/match/topic_file.hpp"
#include "newshound/match/topic_query.hpp"
#include "newshound/util/utf8.hpp"

using namespace newshound;

namespace {

// The parser limits the operator nesting of the AST (kMaxQueryDepth levels of
// operator nodes above a leaf); the depth computed here counts the leaf too.
constexpr std::size_t kMaxAstDepth = kMaxQueryDepth + 1;

bool roundtrip_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("FUZZ_TOPICS_ROUNDTRIP");
    return v == nullptr || std::string_view(v) != "0";
  }();
  return on;
}

/// Shape of a parsed query: children before parents, arity per kind, sane leaves,
/// offsets inside the text, and the AST depth (computed without recursion) bounded.
void check_shape(const TopicQuery& q, std::string_view text) {
  FUZZ_CHECK(!q.nodes.empty());
  FUZZ_CHECK(q.root == q.nodes.size() - 1);
  std::vector<std::size_t> depth(q.nodes.size(), 1);  // longest path down to a leaf
  for (std::uint32_t i = 0; i < q.nodes.size(); ++i) {
    const QueryNode& n = q.nodes[i];
    FUZZ_CHECK(n.offset < text.size());
    for (const std::uint32_t c : n.children) {
      FUZZ_CHECK(c < i);
      depth[i] = std::max(depth[i], depth[c] + 1);
    }
    switch (n.kind) {
      case QueryKind::term:
      case QueryKind::phrase:
        FUZZ_CHECK(n.children.empty());
        FUZZ_CHECK(!n.literal.empty());
        FUZZ_CHECK(utf8::is_valid(n.literal));
        FUZZ_CHECK(!n.prefix || n.kind == QueryKind::term);
        FUZZ_CHECK(!n.stem || (n.kind == QueryKind::term && !n.prefix && n.exact.empty()));
        break;
      case QueryKind::entity_ref:
        FUZZ_CHECK(n.children.empty());
        FUZZ_CHECK(!n.literal.empty() && !n.exact.empty());
        break;
      case QueryKind::and_:
      case QueryKind::or_:
        FUZZ_CHECK(n.children.size() >= 2);
        for (const std::uint32_t c : n.children) FUZZ_CHECK(q.nodes[c].kind != n.kind);
        break;
      case QueryKind::not_:
      case QueryKind::field:
        FUZZ_CHECK(n.children.size() == 1);
        break;
      case QueryKind::near:
        FUZZ_CHECK(n.children.size() == 2);
        FUZZ_CHECK(n.unit != NearUnit::words || (n.n >= 1 && n.n <= kMaxNearDistance));
        break;
      case QueryKind::mentions:
        FUZZ_CHECK(n.children.size() == 1);
        FUZZ_CHECK(n.n >= 1 && n.n <= kMaxMentions);
        break;
      case QueryKind::meta:
        FUZZ_CHECK(n.children.empty());
        FUZZ_CHECK(!n.values.empty());
        for (const auto& v : n.values) FUZZ_CHECK(!v.empty() && utf8::is_valid(v));
        FUZZ_CHECK(n.meta != MetaField::urgency || (n.n > 0 && n.n < (1U << 9)));
        break;
      case QueryKind::at_least:
        FUZZ_CHECK(!n.children.empty());
        FUZZ_CHECK(n.n >= 1 && n.n <= n.children.size());
        break;
    }
  }
  FUZZ_CHECK(depth[q.root] <= kMaxAstDepth);
}

/// `s` with control bytes and invalid UTF-8 shown as \xNN, for failure reports.
std::string escaped(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (b >= 0x80 && utf8::first_invalid(s.substr(i, len)) == std::string_view::npos &&
        i + len <= s.size()) {
      out.append(s.substr(i, len));  // a whole valid multi-byte character
      i += len - 1;
    } else if (b < 0x20 || b >= 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", b);
      out += hex;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// The canonical form parses back to the same canonical form.
void check_roundtrip(const TopicQuery& q, std::string_view text) {
  const std::string canon = q.to_string();
  FUZZ_CHECK(!canon.empty());
  FUZZ_CHECK(utf8::is_valid(canon));
  if (!roundtrip_enabled()) return;
  TopicQuery again;
  QueryError err;
  const bool ok = parse_query(canon, again, err);
  if (!ok || again.to_string() != canon) {
    const std::string why = ok ? "reparsed:  " + escaped(again.to_string())
                               : "error at byte " + std::to_string(err.offset) + ": " + err.message;
    std::fprintf(stderr,
                 "round trip failed (FUZZ_TOPICS_ROUNDTRIP=0 skips this check)\n"
                 "  query:     %s\n  canonical: %s\n  %s\n",
                 escaped(text).c_str(), escaped(canon).c_str(), why.c_str());
    std::abort();
  }
}

/// One query on its own, as `newshound explain` or a test would parse it.
void check_query(std::string_view text) {
  TopicQuery q;
  QueryError err;
  if (parse_query(text, q, err)) {
    check_shape(q, text);
    check_roundtrip(q, text);
  } else {
    FUZZ_CHECK(!err.message.empty());
    FUZZ_CHECK(err.offset <= text.size());
    (void)column_of_offset(text, err.offset);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t lines =
      static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;

  TopicFile tf;
  tf.name = "fuzz";
  tf.path = "fuzz.topics";
  Diagnostics diags;
  parse_topics(text, tf.path, tf, diags);
  for (const Diagnostic& d : diags) {
    FUZZ_CHECK(d.file == tf.path);
    FUZZ_CHECK(d.line >= 1 && d.line <= lines);
    FUZZ_CHECK(d.col >= 1);
    FUZZ_CHECK(!d.message.empty());
    const std::string shown = render_diagnostic(d, text);
    FUZZ_CHECK(shown.rfind(d.format(), 0) == 0);
  }

  std::unordered_set<std::string_view> ids;
  for (const TopicDef& t : tf.topics) {
    FUZZ_CHECK(!t.id.empty());
    FUZZ_CHECK(ids.insert(t.id).second);  // unique within the file
    FUZZ_CHECK(t.line >= 1 && t.line <= lines);
    FUZZ_CHECK(!t.segments.empty() && t.segments.front().joined == 0);
    FUZZ_CHECK(utf8::is_valid(t.text));
    for (std::uint32_t off = 0; off < t.text.size(); off += 7) {
      std::uint32_t l = 0;
      std::uint32_t c = 0;
      t.position(off, l, c);
      FUZZ_CHECK(l >= t.line && l <= lines && c >= 1);
    }
    check_shape(t.query, t.text);
    check_roundtrip(t.query, t.text);
  }

  // The same bytes as one query, made valid UTF-8 as the .topics loader guarantees.
  static std::string query;
  query.clear();
  utf8::append_valid(query, text);
  check_query(query);
  return 0;
}
