// Stage: encode. AlertEncoder: one matched article -> one immutable Alert holding
// its NDJSON line: entity matches and topic hits (with the spans that satisfied
// them) in reading order. Boost.JSON does the escaping; the tree lives in a reused
// arena. Snippets are written by one SnippetWriter per encoder, which renders a
// window shared by several matches once and reuses its buffers.
// Also alert_id() and format_time(), the two stamps every alert carries.
#include "newshound/encode/alert_encoder.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <tuple>

#include "newshound/util/hash.hpp"
#include "newshound/util/utf8.hpp"

namespace newshound {

namespace json = boost::json;

namespace {

constexpr std::size_t kArenaBytes = 16 * 1024;

/// A JSON string from bytes that may not be valid UTF-8.
json::string valid_string(std::string_view s, const json::storage_ptr& sp) {
  if (utf8::is_valid(s)) return json::string(json::string_view(s.data(), s.size()), sp);
  std::string fixed;
  utf8::append_valid(fixed, s);
  return json::string(json::string_view(fixed.data(), fixed.size()), sp);
}

json::value nullable(std::string_view s, const json::storage_ptr& sp) {
  if (s.empty()) return json::value(nullptr, sp);
  return json::value(valid_string(s, sp));
}

/// Text value `value_index` of `article` (the main body for an untrusted index).
TextRef text_of(const Article& article, std::uint32_t value_index) {
  return article.text(value_index < article.text_count() ? value_index : 1);
}

/// The position of one span in text value `value_index` of `article`: text, field,
/// start, end (offsets clamped to the value), and with `snippets` the words around
/// it, in that order, written through `snippets` into `buf`.
void add_span(json::object& o, const Article& article, std::uint32_t value_index,
              std::uint32_t start_in, std::uint32_t end_in, SnippetWriter* snippets,
              std::string& buf, const json::storage_ptr& sp) {
  const TextRef ref = text_of(article, value_index);
  const std::string_view value = ref.text;
  const std::size_t start = std::min<std::size_t>(start_in, value.size());
  const std::size_t end = std::clamp<std::size_t>(end_in, start, value.size());
  o.emplace("text", valid_string(value.substr(start, end - start), sp));
  o.emplace("field", to_string(ref.field));
  o.emplace("start", start);
  o.emplace("end", end);
  if (snippets == nullptr) return;
  const Markup markup = ref.format == BodyFormat::html ? Markup::html : Markup::markdown;
  buf.clear();
  snippets->append(buf, value, start_in, end_in, markup);
  o.emplace("snippet", json::string_view(buf.data(), buf.size()));
}

/// "path": the JSON Pointer of text value `value_index`, built in `buf`. It comes
/// last in a match and in a span: fields are only ever added after the existing
/// ones (docs/alerts.md).
void add_path(json::object& o, const Article& article, std::uint32_t value_index, std::string& buf,
              const json::storage_ptr& sp) {
  buf.clear();
  article.append_pointer(*text_of(article, value_index).path, buf);
  o.emplace("path", valid_string(buf, sp));
}

/// Appends the compact serialization of `o` to `out` (what json::serialize gives).
void append_json(std::string& out, const json::object& o) {
  json::serializer sr;
  sr.reset(&o);
  char buf[4096];
  while (!sr.done()) out.append(sr.read(buf));
}

std::string serialized(const json::object& o) {
  std::string s;
  append_json(s, o);
  return s;
}

/// The list of entity match (kind 0) or topic hit (kind 1) number `i` of `matches`.
std::uint32_t list_of(std::uint8_t kind, std::uint32_t i, const MatchSet& matches,
                      const RulesView& rules) {
  if (kind == 0) return rules.entities[matches.matches[i].entity].list;
  return rules.topics[matches.topics[i].topic].list;
}

/// {"id","article","headline","versioncreated"} of the alert, serialized.
std::string head(const Alert& alert, const Article& article, const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(4);
  o.emplace("id", json::string_view(alert.id.data(), alert.id.size()));
  o.emplace("article", valid_string(article.id, sp));
  o.emplace("headline", valid_string(article.headline, sp));
  o.emplace("versioncreated", nullable(article.versioncreated, sp));
  return serialized(o);
}

/// {"tags","lists",...,"story_id"} of an alert naming `lists`, serialized.
std::string tail(std::span<const std::uint32_t> lists, const RulesView& rules,
                 Clock::time_point alerted_at, const Article& article,
                 const json::storage_ptr& sp) {
  std::vector<std::string_view> names, tags;
  for (std::uint32_t li : lists) {
    names.push_back(rules.lists[li].name);
    for (const std::string& t : rules.lists[li].tags) tags.push_back(t);
  }
  auto sort_unique = [](std::vector<std::string_view>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  sort_unique(names);
  sort_unique(tags);
  json::array jtags(sp), jlists(sp);
  for (auto t : tags) jtags.emplace_back(valid_string(t, sp));
  for (auto n : names) jlists.emplace_back(valid_string(n, sp));

  json::object o(sp);
  o.reserve(6);
  o.emplace("tags", std::move(jtags));
  o.emplace("lists", std::move(jlists));
  o.emplace("rules_version", valid_string(rules.version, sp));
  o.emplace("received_at", format_time(article.received_at));
  o.emplace("alerted_at", format_time(alerted_at));
  o.emplace("story_id", nullptr);
  return serialized(o);
}

/// One element of "matches": entity match (kind 0) or topic hit (kind 1) number `i`,
/// its snippet written through `snippets` into `buf`.
json::object match_object(std::uint8_t kind, std::uint32_t i, const Article& article,
                          const MatchSet& matches, const RulesView& rules, SnippetWriter& snippets,
                          std::string& buf, const json::storage_ptr& sp) {
  json::object jm(sp);
  jm.reserve(10);
  json::array jspans(sp);
  std::uint32_t value = 0;  // the text value of the match (of its first span)
  if (kind == 0) {
    const Match& m = matches.matches[i];
    const Entity& ent = rules.entities[m.entity];
    jm.emplace("list", valid_string(rules.lists[ent.list].name, sp));
    jm.emplace("entity", valid_string(ent.canonical, sp));
    value = m.value;
    add_span(jm, article, m.value, m.start, m.end, &snippets, buf, sp);
    json::object js(sp);
    add_span(js, article, m.value, m.start, m.end, nullptr, buf, sp);
    add_path(js, article, m.value, buf, sp);
    jspans.emplace_back(std::move(js));
    jm.emplace("kind", "entity");
  } else {
    const TopicHit& h = matches.topics[i];
    const Topic& topic = rules.topics[h.topic];
    jm.emplace("list", valid_string(rules.lists[topic.list].name, sp));
    jm.emplace("entity", valid_string(topic.id, sp));
    const TopicSpan& first = matches.topic_spans[h.span_begin];
    value = first.value;
    add_span(jm, article, first.value, first.start, first.end, &snippets, buf, sp);
    jspans.reserve(h.span_end - h.span_begin);
    for (std::uint32_t k = h.span_begin; k < h.span_end; ++k) {
      const TopicSpan& sp_k = matches.topic_spans[k];
      json::object js(sp);
      add_span(js, article, sp_k.value, sp_k.start, sp_k.end, nullptr, buf, sp);
      add_path(js, article, sp_k.value, buf, sp);
      jspans.emplace_back(std::move(js));
    }
    jm.emplace("kind", "topic");
  }
  jm.emplace("spans", std::move(jspans));
  add_path(jm, article, value, buf, sp);
  return jm;
}

}  // namespace

std::string alert_id(std::string_view article_id, std::string_view versioncreated,
                     std::string_view rules_version) {
  return stable_hash_hex({article_id, versioncreated, rules_version});
}

std::string format_time(Clock::time_point t) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{ms - day};
  char buf[48];
  const int len = std::snprintf(
      buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
      static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
      static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return std::string(buf, static_cast<std::size_t>(std::max(len, 0)));
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
  if (arena_.size() < kArenaBytes) arena_.resize(kArenaBytes);
  snippets_.forget();  // the article's bytes are new, whatever their address
  json::monotonic_resource mr(arena_.data(), arena_.size());
  const json::storage_ptr sp(&mr);

  auto alert = std::make_shared<Alert>();
  alert->id = alert_id(article.id, article.versioncreated, rules.version);
  alert->article = article.id;
  alert->rules_version = std::string(rules.version);
  alert->received_at = article.received_at;

  // Everything that can appear, in reading order; untrusted indexes are left out.
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

  // The alert is assembled from serialized pieces (head, each match, tail), byte
  // for byte what serializing the whole object gives, so each match's size is known
  // before it is added: the first ones in reading order that fit the bounds stay.
  scratch_lists_.clear();
  for (const Item& item : order_)
    scratch_lists_.push_back(list_of(item.kind, item.i, matches, rules));
  const std::size_t tail_bound = tail(scratch_lists_, rules, alerted_at, article, sp).size();
  std::string& out = alert->json;
  out = head(*alert, article, sp);
  out.pop_back();  // the head's '}'
  out += ",\"matches\":[";
  constexpr std::size_t kTruncatedField = sizeof(",\"truncated\":") - 1 + 20;
  const std::size_t fixed = out.size() + 1 + kTruncatedField + tail_bound + 1;
  const std::size_t max_bytes = limits.max_bytes > fixed ? limits.max_bytes - fixed : 0;
  const std::size_t max_matches = std::max<std::size_t>(limits.max_matches, 1);
  const std::size_t matches_at = out.size();
  std::size_t kept = 0;
  scratch_lists_.clear();
  for (const Item& item : order_) {
    if (kept == max_matches) break;
    piece_.clear();
    append_json(piece_, match_object(item.kind, item.i, article, matches, rules, snippets_,
                                     snippet_buf_, sp));
    const std::size_t sep = kept > 0 ? 1 : 0;
    if (kept > 0 && out.size() - matches_at + sep + piece_.size() > max_bytes) break;
    if (sep != 0) out += ',';
    out += piece_;
    scratch_lists_.push_back(list_of(item.kind, item.i, matches, rules));
    ++kept;
  }
  out += ']';
  alert->listed = kept;
  alert->truncated = matches.truncated + (order_.size() - kept);
  if (alert->truncated > 0) {
    out += ",\"truncated\":";
    out += std::to_string(alert->truncated);
  }

  std::sort(scratch_lists_.begin(), scratch_lists_.end());
  scratch_lists_.erase(std::unique(scratch_lists_.begin(), scratch_lists_.end()),
                       scratch_lists_.end());
  alert->lists = scratch_lists_;
  const std::string rest = tail(scratch_lists_, rules, alerted_at, article, sp);
  out += ',';
  out.append(rest, 1);  // without its '{'
  out += '\n';
  return alert;
}

}  // namespace newshound
