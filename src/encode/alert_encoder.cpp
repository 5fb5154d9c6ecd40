// Stage: encode. AlertEncoder: one matched article -> one immutable Alert
// holding its NDJSON line: entity matches and topic hits (with the spans that
// satisfied them) in reading order. The JSON is written, not built: a
// JsonWriter appends it to reused buffers (the bytes Boost.JSON's serializer
// would give; json_writer.hpp), so a match costs its own bytes and no
// allocation. Snippets are written by one SnippetWriter per encoder, which
// renders a window shared by several matches once and reuses its buffers. Also
// alert_id() and format_time(), the two stamps every alert carries.
#include "newshound/encode/alert_encoder.hpp"
#include "newshound/encode/alert_story.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <tuple>

#include "newshound/encode/json_writer.hpp"
#include "newshound/util/hash.hpp"

namespace newshound {

namespace {

constexpr std::size_t kTimeChars = 48;

/// Writes `v` as exactly `digits` decimal digits (zero-padded) at `p`.
char* put_digits(char* p, unsigned v, int digits) {
  for (int k = digits - 1; k >= 0; --k) {
    p[k] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + digits;
}

/// Writes the RFC 3339 stamp of `t` into `buf`; returns its length. Written digit
/// by digit, not with snprintf: two stamps per alert, and snprintf cost as much
/// as a match. Years outside 0..9999 (never seen) take the snprintf path.
std::size_t write_time(char (&buf)[kTimeChars], Clock::time_point t) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{ms - day};
  const int year = static_cast<int>(ymd.year());
  const auto month = static_cast<unsigned>(ymd.month());
  const auto mday = static_cast<unsigned>(ymd.day());
  const auto hours = static_cast<unsigned>(hms.hours().count());
  const auto minutes = static_cast<unsigned>(hms.minutes().count());
  const auto seconds = static_cast<unsigned>(hms.seconds().count());
  const auto millis = static_cast<unsigned>(hms.subseconds().count());
  if (year < 0 || year > 9999) {
    const int len = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", year,
                                  month, mday, hours, minutes, seconds, millis);
    return std::min<std::size_t>(static_cast<std::size_t>(std::max(len, 0)), sizeof buf - 1);
  }
  char* p = buf;
  p = put_digits(p, static_cast<unsigned>(year), 4);
  *p++ = '-';
  p = put_digits(p, month, 2);
  *p++ = '-';
  p = put_digits(p, mday, 2);
  *p++ = 'T';
  p = put_digits(p, hours, 2);
  *p++ = ':';
  p = put_digits(p, minutes, 2);
  *p++ = ':';
  p = put_digits(p, seconds, 2);
  *p++ = '.';
  p = put_digits(p, millis, 3);
  *p++ = 'Z';
  return static_cast<std::size_t>(p - buf);
}

/// Text value `value_index` of `article` (the main body for an untrusted
/// index).
TextRef text_of(const Article& article, std::uint32_t value_index) {
  return article.text(value_index < article.text_count() ? value_index : 1);
}

/// The members of one span in text value `value_index` of `article`: text,
/// field, start, end (offsets clamped to the value), in that order.
void write_span(JsonWriter& w, const Article& article, std::uint32_t value_index,
                std::uint32_t start_in, std::uint32_t end_in) {
  const TextRef ref = text_of(article, value_index);
  const std::string_view value = ref.text;
  const std::size_t start = std::min<std::size_t>(start_in, value.size());
  const std::size_t end = std::clamp<std::size_t>(end_in, start, value.size());
  w.plain_key("text");
  w.string(value.substr(start, end - start));
  w.plain_key("field");
  w.plain_string(to_string(ref.field));
  w.plain_key("start");
  w.number(start);
  w.plain_key("end");
  w.number(end);
}

/// "snippet": the words around span [start_in, end_in) of text value
/// `value_index`, written through `snippets` into `buf` first. Its text is valid
/// UTF-8 (SnippetWriter's promise), so it is escaped without a second check.
void write_snippet(JsonWriter& w, const Article& article, std::uint32_t value_index,
                   std::uint32_t start_in, std::uint32_t end_in, SnippetWriter& snippets,
                   std::string& buf) {
  const TextRef ref = text_of(article, value_index);
  const Markup markup = ref.format == BodyFormat::html ? Markup::html : Markup::markdown;
  buf.clear();
  snippets.append(buf, ref.text, start_in, end_in, markup);
  w.plain_key("snippet");
  w.valid_string(buf);
}

/// The list of entity match (kind 0) or topic hit (kind 1) number `i` of
/// `matches`.
std::uint32_t list_of(std::uint8_t kind, std::uint32_t i, const MatchSet& matches,
                      const RulesView& rules) {
  if (kind == 0) return rules.entities[matches.matches[i].entity].list;
  return rules.topics[matches.topics[i].topic].list;
}

void sort_unique(std::vector<std::string_view>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

void AlertEncoder::write_tail(JsonWriter& w, std::span<const std::uint32_t> lists,
                              const RulesView& rules, std::string_view received_at,
                              std::string_view alerted_at) {
  names_.clear();
  tags_.clear();
  for (std::uint32_t li : lists) {
    names_.push_back(rules.lists[li].name);
    for (const std::string& t : rules.lists[li].tags) tags_.push_back(t);
  }
  sort_unique(names_);
  sort_unique(tags_);
  w.plain_key("tags");
  w.begin_array();
  for (auto t : tags_) w.string(t);
  w.end_array();
  w.plain_key("lists");
  w.begin_array();
  for (auto n : names_) w.string(n);
  w.end_array();
  w.plain_key("rules_version");
  w.string(rules.version);
  w.plain_key("received_at");
  w.string(received_at);
  w.plain_key("alerted_at");
  w.string(alerted_at);
}

void AlertEncoder::write_path(JsonWriter& w, const Article& article, std::uint32_t value_index) {
  if (path_.key != value_index) {
    snippet_buf_.clear();
    article.append_pointer(*text_of(article, value_index).path, snippet_buf_);
    path_.json.clear();
    append_json_string(path_.json, snippet_buf_, scratch_);
    path_.key = value_index;
  }
  w.plain_key("path");
  w.raw(path_.json);
}

void AlertEncoder::write_list(JsonWriter& w, std::uint32_t list, const RulesView& rules) {
  if (list_.key != list) {
    list_.json.clear();
    append_json_string(list_.json, rules.lists[list].name, scratch_);
    list_.key = list;
  }
  w.plain_key("list");
  w.raw(list_.json);
}

void AlertEncoder::write_match(JsonWriter& w, std::uint8_t kind, std::uint32_t i,
                               const Article& article, const MatchSet& matches,
                               const RulesView& rules, bool with_snippet) {
  // The match's own span (the entity match, a topic hit's first span) is
  // written twice: as the match's members and as its first element of "spans".
  // The second time its members are copied from the first, not written again.
  std::uint32_t value = 0, start = 0, end = 0;
  std::uint32_t list = 0;
  std::string_view entity;
  if (kind == 0) {
    const Match& m = matches.matches[i];
    const Entity& ent = rules.entities[m.entity];
    value = m.value;
    start = m.start;
    end = m.end;
    list = ent.list;
    entity = ent.canonical;
  } else {
    const TopicHit& h = matches.topics[i];
    const Topic& topic = rules.topics[h.topic];
    const TopicSpan& first = matches.topic_spans[h.span_begin];
    value = first.value;
    start = first.start;
    end = first.end;
    list = topic.list;
    entity = topic.id;
  }
  w.begin_object();
  write_list(w, list, rules);
  w.plain_key("entity");
  w.string(entity);
  const std::size_t span_at = w.size() + 1;  // past the ',' written before "text"
  write_span(w, article, value, start, end);
  const std::size_t span_len = w.size() - span_at;
  if (with_snippet) write_snippet(w, article, value, start, end, snippets_, snippet_buf_);
  w.plain_key("kind");
  w.plain_string(kind == 0 ? "entity" : "topic");
  w.plain_key("spans");
  w.begin_array();
  w.begin_object();
  w.copy_members(span_at, span_len);
  write_path(w, article, value);
  w.end_object();
  if (kind == 1) {
    const TopicHit& h = matches.topics[i];
    for (std::uint32_t k = h.span_begin + 1; k < h.span_end; ++k) {
      const TopicSpan& sp_k = matches.topic_spans[k];
      w.begin_object();
      write_span(w, article, sp_k.value, sp_k.start, sp_k.end);
      write_path(w, article, sp_k.value);
      w.end_object();
    }
  }
  w.end_array();
  write_path(w, article, value);
  w.end_object();
}

std::string alert_id(std::string_view article_id, std::string_view versioncreated,
                     std::string_view rules_version, std::string_view version) {
  // Without a version, the three parts as ever (the ids of such alerts never change).
  if (version.empty()) return stable_hash_hex({article_id, versioncreated, rules_version});
  return stable_hash_hex({article_id, versioncreated, rules_version, version});
}

std::string format_time(Clock::time_point t) {
  char buf[kTimeChars];
  return std::string(buf, write_time(buf, t));
}

std::shared_ptr<const Alert> AlertEncoder::encode(const Article& article, const MatchSet& matches,
                                                  const Rules& rules, Clock::time_point alerted_at,
                                                  const AlertLimits& limits) {
  const RulesView view{rules.lists(), rules.entities(), rules.version(), rules.topics()};
  return encode(article, matches, view, alerted_at, limits);
}

std::shared_ptr<const Alert> AlertEncoder::encode(const Article& article, const MatchSet& matches,
                                                  const RulesView& rules,
                                                  Clock::time_point alerted_at,
                                                  const AlertLimits& limits) {
  snippets_.forget();      // the article's bytes are new, whatever their address
  path_.key = UINT32_MAX;  // and so are its paths, and maybe the rules' list names
  list_.key = UINT32_MAX;

  auto alert = std::make_shared<Alert>();
  alert->id = alert_id(article.id, article.versioncreated, rules.version, article.version);
  alert->article = article.id;
  alert->rules_version = std::string(rules.version);
  alert->received_at = article.received_at;

  // Everything that can appear, in reading order; untrusted indexes are left
  // out.
  order_.clear();
  for (std::uint32_t i = 0; i < matches.matches.size(); ++i) {
    const Match& m = matches.matches[i];
    if (m.entity >= rules.entities.size()) continue;
    if (rules.entities[m.entity].list >= rules.lists.size()) continue;
    order_.push_back({m.value, m.start, 0, m.entity, m.end, i});
  }
  for (std::uint32_t i = 0; i < matches.topics.size(); ++i) {
    const TopicHit& h = matches.topics[i];
    if (h.topic >= rules.topics.size() || rules.topics[h.topic].list >= rules.lists.size())
      continue;
    if (h.span_begin >= h.span_end || h.span_end > matches.topic_spans.size()) continue;
    const TopicSpan& first = matches.topic_spans[h.span_begin];
    order_.push_back({first.value, first.start, 1, h.topic, first.end, i});
  }
  std::sort(order_.begin(), order_.end(), [](const Item& a, const Item& b) {
    return std::tie(a.value, a.start, a.kind, a.index, a.end, a.i) <
           std::tie(b.value, b.start, b.kind, b.index, b.end, b.i);
  });

  // The alert is written in pieces (head, each match, tail), so each match's
  // size is known before it is added: the first ones in reading order that fit
  // the bounds stay. The tail naming every list bounds the tail actually
  // written.
  char received_buf[kTimeChars], alerted_buf[kTimeChars];  // the two stamps, once
  const std::string_view received(received_buf, write_time(received_buf, article.received_at));
  const std::string_view alerted(alerted_buf, write_time(alerted_buf, alerted_at));
  scratch_lists_.clear();
  for (const Item& item : order_)
    scratch_lists_.push_back(list_of(item.kind, item.i, matches, rules));
  piece_.clear();
  {
    JsonWriter tw(piece_, scratch_);
    tw.begin_object();
    write_tail(tw, scratch_lists_, rules, received, alerted);
    write_alert_urgency(tw, article.urgency);
    // As a new alert without a story: set_alert_story() may add a few dozen bytes
    // (an update's previous_alert, the story members).
    write_alert_story(tw, {});
    tw.end_object();
  }
  const std::size_t tail_bound = piece_.size();
  out_.clear();
  JsonWriter w(out_, scratch_);
  w.begin_object();
  w.plain_key("id");
  w.string(alert->id);
  w.plain_key("article");
  w.string(article.id);
  w.plain_key("headline");
  w.string(article.headline);
  w.plain_key("versioncreated");
  w.string_or_null(article.versioncreated);
  if (!article.link.empty()) {  // only then: alerts of articles without one keep their bytes
    w.plain_key("link");
    w.string(article.link);
  }
  w.plain_key("matches");
  w.begin_array();
  constexpr std::size_t kTruncatedField = sizeof(",\"truncated\":") - 1 + 20;
  const std::size_t fixed = out_.size() + 1 + kTruncatedField + tail_bound + 1;
  const std::size_t max_bytes = limits.max_bytes > fixed ? limits.max_bytes - fixed : 0;
  const std::size_t max_matches = std::max<std::size_t>(limits.max_matches, 1);
  const std::size_t matches_at = out_.size();
  std::size_t kept = 0;
  scratch_lists_.clear();
  for (const Item& item : order_) {
    if (kept == max_matches) break;
    // Written in place; a match past the byte bound is taken back (the array
    // already has its first element, so the writer's state needs no undo).
    const std::size_t before = out_.size();
    write_match(w, item.kind, item.i, article, matches, rules, limits.snippets);
    if (kept > 0 && out_.size() - matches_at > max_bytes) {
      out_.resize(before);
      break;
    }
    scratch_lists_.push_back(list_of(item.kind, item.i, matches, rules));
    ++kept;
  }
  w.end_array();
  alert->listed = kept;
  alert->truncated = matches.truncated + (order_.size() - kept);
  if (alert->truncated > 0) {
    w.plain_key("truncated");
    w.number(alert->truncated);
  }

  std::sort(scratch_lists_.begin(), scratch_lists_.end());
  scratch_lists_.erase(std::unique(scratch_lists_.begin(), scratch_lists_.end()),
                       scratch_lists_.end());
  alert->lists = scratch_lists_;
  write_tail(w, scratch_lists_, rules, received, alerted);
  write_alert_urgency(w, article.urgency);
  alert->story_at = out_.size();  // filled in by set_alert_story(), in input order
  write_alert_story(w, {});
  w.end_object();
  out_ += '\n';
  alert->json = out_;  // one allocation of the exact size
  return alert;
}

}  // namespace newshound
