// Daemon: render_rules_json, the body of the admin server's GET /v1/rules: the
// running rules' version, load time, compile cost and per-list counts as JSON.
#include "newshound/daemon/admin_server.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <ctime>
#include <vector>

#include "newshound/match/rules.hpp"

namespace newshound {

std::string render_rules_json(const Rules& rules, std::chrono::system_clock::time_point loaded_at) {
  namespace json = boost::json;
  const auto& lists = rules.lists();
  std::vector<std::uint64_t> entities(lists.size()), aliases(lists.size());
  for (const Entity& e : rules.entities()) {
    if (e.list < lists.size()) ++entities[e.list];
  }
  for (const Pattern& p : rules.patterns()) {
    if (!p.translit && p.entity < rules.entities().size()) {  // aliases as written
      const std::uint32_t list = rules.entities()[p.entity].list;
      if (list < lists.size()) ++aliases[list];
    }
  }
  json::array out_lists;
  for (std::size_t i = 0; i < lists.size(); ++i) {
    json::array tags;
    for (const std::string& t : lists[i].tags) tags.emplace_back(t);
    out_lists.push_back(json::object{{"name", lists[i].name},
                                     {"path", lists[i].path},
                                     {"tags", std::move(tags)},
                                     {"entities", entities[i]},
                                     {"aliases", aliases[i]}});
  }
  const std::time_t t = std::chrono::system_clock::to_time_t(loaded_at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  const json::object doc{
      {"version", rules.version()},
      {"loaded_at", std::string_view(stamp, n)},
      {"loaded_at_unix", static_cast<std::int64_t>(t)},
      {"compile_time_seconds", double(rules.compile_time().count()) / 1e6},
      {"database_bytes", static_cast<std::uint64_t>(rules.database_bytes())},
      {"database_shards", static_cast<std::uint64_t>(rules.databases().size())},
      {"database_shards_from_cache", static_cast<std::uint64_t>(rules.cache().loaded)},
      {"entities", static_cast<std::uint64_t>(rules.entities().size())},
      {"aliases", static_cast<std::uint64_t>(rules.patterns().size())},
      {"lists", std::move(out_lists)}};
  return json::serialize(doc) + "\n";
}

}  // namespace newshound
