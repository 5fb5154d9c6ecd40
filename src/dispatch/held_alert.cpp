// Stage: dispatch. A held version's payload (see held_alert.hpp). The format is
// "nh-held1" then fields, each a decimal length, ':' and the bytes; an alert is its
// id, article, rules version, received time, truncated, listed, story_at, json,
// its list names and its cuts (each present or not, then an alert).
#include "newshound/dispatch/held_alert.hpp"

#include <algorithm>
#include <charconv>

namespace newshound {

namespace {
constexpr std::string_view kMagic = "nh-held1";

void put(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}
void put_number(std::string& out, std::int64_t v) {
  put(out, std::to_string(v));
}

struct Reader {
  std::string_view in;
  bool ok = true;
  std::string_view get() {
    const auto colon = in.find(':');
    std::size_t n = 0;
    if (!ok || colon == std::string_view::npos ||
        std::from_chars(in.data(), in.data() + colon, n).ptr != in.data() + colon ||
        n > in.size() - colon - 1) {
      ok = false;
      return {};
    }
    const std::string_view s = in.substr(colon + 1, n);
    in.remove_prefix(colon + 1 + n);
    return s;
  }
  std::int64_t number() {
    const std::string_view s = get();
    std::int64_t v = 0;
    if (ok && std::from_chars(s.data(), s.data() + s.size(), v).ptr != s.data() + s.size())
      ok = false;
    return v;
  }
};

std::int64_t ns_of(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
Clock::time_point time_of(std::int64_t ns) {
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}

void put_alert(std::string& out, const Alert& a, const Rules* rules) {
  put(out, a.id);
  put(out, a.article);
  put(out, a.rules_version);
  put_number(out, ns_of(a.received_at));
  put_number(out, static_cast<std::int64_t>(a.truncated));
  put_number(out, static_cast<std::int64_t>(a.listed));
  put_number(out, static_cast<std::int64_t>(a.story_at));
  put(out, a.json);
  put_number(out, static_cast<std::int64_t>(a.lists.size()));
  for (const auto l : a.lists)
    put(out, rules && l < rules->lists().size() ? std::string_view(rules->lists()[l].name) : "");
  put_number(out, static_cast<std::int64_t>(a.cuts.size()));
  for (const auto& cut : a.cuts) {
    put_number(out, cut ? 1 : 0);
    if (cut) put_alert(out, *cut, rules);
  }
}

// Lists are read as indexes into `names` (each name once).
std::shared_ptr<Alert> get_alert(Reader& r, std::vector<std::string>& names, int depth) {
  auto a = std::make_shared<Alert>();
  a->id = r.get();
  a->article = r.get();
  a->rules_version = r.get();
  a->received_at = time_of(r.number());
  a->truncated = static_cast<std::uint64_t>(r.number());
  a->listed = static_cast<std::size_t>(r.number());
  a->story_at = static_cast<std::size_t>(r.number());
  a->json = r.get();
  const std::int64_t lists = r.number();
  for (std::int64_t i = 0; r.ok && i < lists; ++i) {
    const std::string_view name = r.get();
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) it = names.insert(names.end(), std::string(name));
    a->lists.push_back(static_cast<std::uint32_t>(it - names.begin()));
  }
  const std::int64_t cuts = r.number();
  for (std::int64_t i = 0; r.ok && i < cuts && depth == 0; ++i)
    a->cuts.push_back(r.number() != 0 ? get_alert(r, names, depth + 1) : nullptr);
  if (!r.ok || (depth > 0 && cuts != 0) || a->story_at > a->json.size()) r.ok = false;
  return a;
}
}  // namespace

std::string pack_held(const Alert* alert, const Rules* rules, const AlertStory& story,
                      const ArticleVersionView& v, std::string_view rules_version) {
  std::string out(kMagic);
  put(out, v.article_id);
  put(out, v.version);
  put(out, v.versioncreated);
  put(out, v.headline);
  put_number(out, v.urgency);
  put_number(out, ns_of(v.received_at));
  put(out, rules_version);
  put(out, story.story_id);
  put(out, story.duplicate_of);
  put_number(out, story.copies);
  put_number(out, alert ? 1 : 0);
  if (alert) put_alert(out, *alert, rules);
  return out;
}

std::optional<HeldAlert> unpack_held(std::string_view payload) {
  if (!payload.starts_with(kMagic)) return std::nullopt;
  Reader r{payload.substr(kMagic.size())};
  HeldAlert h;
  h.version.article_id = r.get();
  h.version.version = r.get();
  h.version.versioncreated = r.get();
  h.version.headline = r.get();
  h.version.urgency = static_cast<std::uint8_t>(std::clamp<std::int64_t>(r.number(), 0, 9));
  h.version.received_at = time_of(r.number());
  h.rules_version = r.get();
  h.story_id = r.get();
  h.duplicate_of = r.get();
  h.copies = static_cast<std::uint32_t>(r.number());
  if (r.number() != 0) h.alert = get_alert(r, h.list_names, 0);
  if (!r.ok || !r.in.empty()) return std::nullopt;
  return h;
}

void relist_held(Alert& alert, const std::vector<std::string>& names, const Rules& rules) {
  std::vector<std::optional<std::uint32_t>> to(names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::uint32_t k = 0; k < rules.lists().size(); ++k)
      if (rules.lists()[k].name == names[i]) to[i] = k;
  auto relist = [&](Alert& a) {
    std::vector<std::uint32_t> lists;
    for (const auto l : a.lists)
      if (l < to.size() && to[l]) lists.push_back(*to[l]);
    std::sort(lists.begin(), lists.end());
    lists.erase(std::unique(lists.begin(), lists.end()), lists.end());
    a.lists = std::move(lists);
  };
  relist(alert);
  for (const auto& cut : alert.cuts)
    if (cut) relist(const_cast<Alert&>(*cut));
}

}  // namespace newshound
