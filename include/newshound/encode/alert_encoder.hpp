// Stage: encode. Writes the alert JSON for an article that matched (JsonWriter:
// Boost.JSON's bytes, every string escaped, no DOM). Schema: docs/alerts.md.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/encode/alert.hpp"
#include "newshound/encode/json_writer.hpp"
#include "newshound/encode/snippet.hpp"
#include "newshound/match/alert_limits.hpp"
#include "newshound/match/match_set.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/normalize/normalized_article.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// Stable alert id: 32 hex digits of XXH3-128 over (article id, versioncreated,
/// rules version), and the article's `version` when it has one (so two versions
/// with one versioncreated differ). Re-processing the same article version with
/// the same rules gives the same id, so downstreams can drop at-least-once
/// duplicates.
std::string alert_id(std::string_view article_id, std::string_view versioncreated,
                     std::string_view rules_version, std::string_view version = {});

/// The words around a match: up to `words` words on each side of original span
/// [start, end) of `field`, rendered as plain text by render_plain() under
/// `markup` (Markdown links read as their text and `**`/`__` removed; HTML tags
/// removed and entities decoded; white space collapsed). A leading/trailing "…"
/// marks text cut off. The match itself is always included whole; out-of-range
/// offsets are clamped. Reads at most ~ (words+1)*256 bytes of `field` on each
/// side. Always valid UTF-8 (invalid bytes become U+FFFD) and each side of the
/// match is at most ~ (words+1)*32 bytes, cut only at code point boundaries.
/// Never throws except std::bad_alloc.
std::string snippet(std::string_view field, std::uint32_t start, std::uint32_t end, Markup markup,
                    int words = 6);

/// What the encoder needs from the rules, as plain views (Rules::lists(),
/// Rules::entities(), Rules::version(), Rules::topics()). Lets tests and tools
/// encode without a compiled Rules. The views must outlive the encode() call.
struct RulesView {
  std::span<const ListInfo> lists;
  std::span<const Entity> entities;
  std::string_view version;
  std::span<const Topic> topics = {};
};

/// Encodes alerts. Stateless apart from reusable buffers; one per worker.
class AlertEncoder {
 public:
  /// Builds the alert for `article` with its non-empty `matches` (entity
  /// matches and topic hits, merged in reading order: docs/alerts.md), matched
  /// by `rules`. `alerted_at` is stamped by the caller. Bounded by `limits`:
  /// the first matches in reading order that fit max_matches and max_bytes are
  /// kept (always at least one), the rest plus `matches.truncated` are counted
  /// in the alert's
  /// `"truncated"` field (absent when 0) and Alert::truncated. With
  /// `limits.snippets` false the matches have no `"snippet"` member (nothing
  /// else changes). Never throws except std::bad_alloc.
  std::shared_ptr<const Alert> encode(const Article& article, const MatchSet& matches,
                                      const Rules& rules, Clock::time_point alerted_at,
                                      const AlertLimits& limits = {});

  /// Same, from plain views. A match whose entity (or the entity's list), or a
  /// topic hit whose topic, list or span range is out of range of `rules` /
  /// `matches`, is left out of the alert rather than trusted (and not counted).
  std::shared_ptr<const Alert> encode(const Article& article, const MatchSet& matches,
                                      const RulesView& rules, Clock::time_point alerted_at,
                                      const AlertLimits& limits = {});

  /// The snippet work of every encode() since construction or reset_stats():
  /// lets tests bound it (linear in the matches, not matches x field length).
  const SnippetStats& snippet_stats() const { return snippets_.stats(); }
  void reset_stats() { snippets_.reset_stats(); }

 private:
  /// The tail members of an alert naming `lists` (tags .. alerted_at; the story
  /// members follow: alert_story.hpp).
  void write_tail(JsonWriter& w, std::span<const std::uint32_t> lists, const RulesView& rules,
                  std::string_view received_at, std::string_view alerted_at);
  /// "path": the JSON Pointer of text value `value_index`. It comes last in a
  /// match and in a span: fields are only ever added after the existing ones
  /// (docs/alerts.md). Escaped once per text value of an alert (path_).
  void write_path(JsonWriter& w, const Article& article, std::uint32_t value_index);
  /// "list": the name of list `list`, escaped once while the list repeats.
  void write_list(JsonWriter& w, std::uint32_t list, const RulesView& rules);
  /// One element of "matches": entity match (kind 0) or topic hit (kind 1)
  /// number `i`, with its snippet when `with_snippet`.
  void write_match(JsonWriter& w, std::uint8_t kind, std::uint32_t i, const Article& article,
                   const MatchSet& matches, const RulesView& rules, bool with_snippet);

  SnippetWriter snippets_;   ///< renders snippet windows; its buffers are reused
  std::string snippet_buf_;  ///< the current snippet or path, before it is written
  /// A string's JSON (quoted, escaped), kept while the same `key` comes again:
  /// the path of text value `key`, the name of list `key`. Reset per alert.
  struct Escaped {
    std::uint32_t key = UINT32_MAX;
    std::string json;
  };
  Escaped path_, list_;
  std::string scratch_;  ///< JsonWriter's buffer for making bytes valid UTF-8
  std::string out_;      ///< the alert being written, copied into the Alert at the end
  std::vector<std::uint32_t> scratch_lists_;
  std::vector<std::string_view> names_,
      tags_;  ///< write_tail()'s sorted lists and tags
  /// Reading order of the alert's matches: (text value, start, kind, index,
  /// end, i) per entity match or topic hit; reused.
  struct Item {
    std::uint32_t value;
    std::uint32_t start;
    std::uint8_t kind;  ///< 0 entity match, 1 topic hit
    std::uint32_t index;
    std::uint32_t end;
    std::uint32_t i;  ///< index in MatchSet::matches or MatchSet::topics
  };
  std::vector<Item> order_;
  std::string piece_;  ///< the tail naming every list, written to bound the tail
};

/// RFC 3339 UTC timestamp with milliseconds: "2026-11-23T10:30:59.123Z".
std::string format_time(Clock::time_point t);

}  // namespace newshound
