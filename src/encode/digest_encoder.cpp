// Stage: encode. Digest alerts (see digest_encoder.hpp).
#include "newshound/encode/digest_encoder.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <string_view>
#include <vector>

#include "newshound/encode/alert_encoder.hpp"
#include "newshound/encode/json_writer.hpp"
#include "newshound/util/hash.hpp"

namespace newshound {

namespace {
namespace json = boost::json;

std::string_view str_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return v->get_string();
}

void append_number(std::string& out, std::uint64_t n) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}
}  // namespace

DigestItem encode_digest_item(const Alert& alert) {
  DigestItem item;
  boost::system::error_code ec;
  const json::value v = json::parse(alert.json, ec);
  if (ec || !v.is_object()) return item;
  const json::object& o = v.get_object();
  item.story_id = str_of(o, "story_id");
  std::string& out = item.json;
  std::string scratch;
  JsonWriter w(out, scratch);
  w.begin_object();
  w.plain_key("article");
  w.string(str_of(o, "article"));
  w.plain_key("alert_id");
  w.string(str_of(o, "id"));
  w.plain_key("headline");
  w.string(str_of(o, "headline"));
  w.plain_key("received_at");
  w.string(str_of(o, "received_at"));
  w.plain_key("duplicate_of");
  w.string_or_null(str_of(o, "duplicate_of"));
  w.plain_key("lists");
  w.begin_array();
  if (const json::value* lists = o.if_contains("lists"); lists && lists->is_array())
    for (const json::value& l : lists->get_array())
      if (l.is_string()) w.string(l.get_string());
  w.end_array();
  w.plain_key("entities");
  w.begin_array();
  std::vector<std::string_view> seen;  // distinct, in the alert's order
  if (const json::value* ms = o.if_contains("matches"); ms && ms->is_array())
    for (const json::value& m : ms->get_array()) {
      if (!m.is_object()) continue;
      const std::string_view e = str_of(m.get_object(), "entity");
      if (e.empty() || std::find(seen.begin(), seen.end(), e) != seen.end()) continue;
      seen.push_back(e);
      w.string(e);
    }
  w.end_array();
  w.end_object();
  return item;
}

std::shared_ptr<Alert> encode_digest(const DigestHeader& h, std::span<const std::string> items,
                                     std::uint64_t left_out, std::size_t max_bytes) {
  auto alert = std::make_shared<Alert>();
  const std::string opened = format_time(h.opened_at);
  const std::string closed = format_time(h.closed_at);
  alert->id = stable_hash_hex({"digest", h.output, h.reason, h.story_id, h.list, opened});
  alert->received_at = h.closed_at;
  std::string& out = alert->json;
  std::string scratch;
  JsonWriter w(out, scratch);
  w.begin_object();
  w.plain_key("type");
  w.plain_string("digest");
  w.plain_key("id");
  w.plain_string(alert->id);
  w.plain_key("reason");
  w.string(h.reason);
  w.plain_key("story_id");
  w.string_or_null(h.story_id);
  w.plain_key("list");
  w.string_or_null(h.list);
  w.plain_key("opened_at");
  w.plain_string(opened);
  w.plain_key("closed_at");
  w.plain_string(closed);
  w.plain_key("copies");
  w.number(h.copies);
  w.plain_key("items");
  out += '[';
  // The tail: `],"left_out":N}` and the newline, N at most 20 digits.
  constexpr std::size_t kTail = 2 + 12 + 20 + 2;
  std::size_t listed = 0;
  for (const std::string& item : items) {
    const std::size_t need = out.size() + (listed != 0 ? 1 : 0) + item.size() + kTail;
    if (item.empty() || need > max_bytes) break;  // oldest first: the rest are left out
    if (listed != 0) out += ',';
    out += item;
    ++listed;
  }
  out += "],\"left_out\":";
  append_number(out, left_out + (items.size() - listed));
  out += "}\n";
  return alert;
}

}  // namespace newshound
