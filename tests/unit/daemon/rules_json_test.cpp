// Daemon tests: render_rules_json, the body of GET /v1/rules: per-list entity and
// alias counts, totals, version and load time, with names that need escaping.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "newshound/daemon/admin_server.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/match/watchlist.hpp"

namespace json = boost::json;

TEST_CASE("/v1/rules JSON counts entities and aliases per list", "[metrics][rules]") {
  std::vector<newshound::WatchList> lists(2);
  lists[0].name = "people";
  lists[0].path = "/etc/newshound/watchlists/people.names";
  lists[0].tags = {"desk:politics"};
  lists[0].entities = {{"Sergei Lavrov", {"Sergei Lavrov", "Lavrov"}, 1, {}},
                       {"Édouard Philippe", {"Édouard Philippe", "Edouard Philippe"}, 2, {}},
                       {"Olaf Scholz", {"Olaf Scholz"}, 3, {}}};
  lists[1].name = "orgs \"intl\"";
  lists[1].path = "orgs.names";
  lists[1].entities = {{"NATO", {"NATO", "North Atlantic Treaty Organization"}, 1, {}}};
  newshound::Diagnostics diags;
  const auto rules = newshound::Rules::compile(lists, diags);
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  REQUIRE(rules);

  const auto loaded = std::chrono::system_clock::time_point(std::chrono::seconds(1714555800));
  const std::string text = newshound::render_rules_json(*rules, loaded);
  const json::value doc = json::parse(text);
  const json::object& o = doc.as_object();
  CHECK(o.at("version").as_string() == rules->version());
  CHECK(o.at("loaded_at").as_string() == "2024-05-01T09:30:00Z");
  CHECK(o.at("loaded_at_unix").as_int64() == 1714555800);
  CHECK(o.at("entities").to_number<std::uint64_t>() == 4);
  CHECK(o.at("aliases").to_number<std::uint64_t>() == rules->patterns().size());
  CHECK(o.at("compile_time_seconds").to_number<double>() >= 0);
  CHECK(o.at("database_bytes").to_number<std::uint64_t>() == rules->database_bytes());
  CHECK(o.at("database_shards").to_number<std::uint64_t>() == 1);
  const json::array& ls = o.at("lists").as_array();
  REQUIRE(ls.size() == 2);
  CHECK(ls[0].at("name").as_string() == "people");
  CHECK(ls[0].at("tags").as_array().at(0).as_string() == "desk:politics");
  CHECK(ls[0].at("entities").to_number<std::uint64_t>() == 3);
  CHECK(ls[1].at("name").as_string() == "orgs \"intl\"");
  CHECK(ls[1].at("entities").to_number<std::uint64_t>() == 1);
  const auto aliases0 = ls[0].at("aliases").to_number<std::uint64_t>();
  const auto aliases1 = ls[1].at("aliases").to_number<std::uint64_t>();
  CHECK(aliases1 >= 2);
  CHECK(aliases0 + aliases1 == rules->patterns().size());
}
