// Tests (end-to-end): per-output alert bounds (issue 19, item 2). An output with
// its own smaller max_matches_per_alert gets the alert cut for it, counted in its
// "truncated" field and in /metrics, while the other output gets the whole alert;
// a reload changes an output's bounds without restarting it.
// An output with snippets = false gets the same alert without its snippets.
#include <catch2/catch.hpp>

#include "e2e/hostile_util.hpp"

namespace {
namespace h = e2e::hostile;
using Clock = std::chrono::steady_clock;

// The alert of `uri` in `lines`, or "" when none arrived within a minute.
template <typename Lines>
std::string wait_alert(Lines lines, const std::string& uri) {
  const auto until = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < until) {
    for (const auto& l : lines())
      if (h::article_of(l) == uri) return l;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "";
}

std::vector<std::string> file_lines(const std::filesystem::path& p) {
  return e2e::complete_lines(p);
}

std::size_t listed(const std::string& alert) {
  return boost::json::parse(alert).as_object().at("matches").as_array().size();
}

std::uint64_t truncated(const std::string& alert) {
  const auto o = boost::json::parse(alert).as_object();
  return o.contains("truncated") ? o.at("truncated").to_number<std::uint64_t>() : 0;
}

// `thes` sentences, each with one `the`.
std::string article_with_thes(const std::string& uri, int thes) {
  boost::json::object o;
  o["uri"] = uri;
  o["headline"] = "NOTHING";
  std::string body;
  for (int i = 0; i < thes; ++i) body += "See the cat. ";
  o["body_text"] = body;
  return boost::json::serialize(o) + "\n";
}

void send(h::Daemon& d, const std::string& data) {
  e2e::asio::io_context io;
  e2e::tcp::socket s(io);
  REQUIRE(e2e::connect(s, d.in_port()));
  REQUIRE(h::send_all(s, data, Clock::now() + std::chrono::seconds(60)));
}

}  // namespace

TEST_CASE("output bounds: an output with smaller bounds gets a cut copy, the others all",
          "[bounds]") {
  e2e::TempDir dir;
  std::string names;
  for (int i = 0; i < 50; ++i) names += "Thing " + std::to_string(i) + "|the\n";
  e2e::write_file(dir / "the.names", names);
  const auto short_file = dir / "short.ndjson";
  const std::string short_output =
      "[[output]]\nstories = \"all\"\ntype = \"file\"\nname = \"short\"\npath = \"" +
      short_file.string() + "\"\nmax_matches_per_alert = 5\n";
  h::Daemon d("",
              "[[watchlist]]\npath = \"" + (dir / "the.names").string() + "\"\n" + short_output);
  auto short_lines = [&] { return file_lines(short_file); };
  auto down_lines = [&] { return d.downstream().lines(); };

  send(d, article_with_thes("ten-thes", 10));  // 50 entities x 10 = 500 matches
  const std::string whole = wait_alert(down_lines, "ten-thes");
  const std::string cut = wait_alert(short_lines, "ten-thes");
  INFO(d.log().substr(0, 4000));
  REQUIRE_FALSE(whole.empty());
  REQUIRE_FALSE(cut.empty());
  CHECK(listed(whole) == 500);
  CHECK(truncated(whole) == 0);
  CHECK(listed(cut) == 5);
  CHECK(truncated(cut) == 495);
  const auto id = [](const std::string& a) {
    return std::string(boost::json::parse(a).as_object().at("id").as_string());
  };
  CHECK(id(whole) == id(cut));
  CHECK(d.wait_metric("newshound_output_alerts_cut_total{sink=\"short\"}", 1) == 1);
  CHECK(d.metric("newshound_output_alerts_cut_total{sink=\"down\"}") == 0);
  CHECK(d.metric("newshound_alerts_truncated_total") == 0);  // nothing cut for every output

  // A reload lowers the bound further: the running file output is kept (no
  // restart), and the next alert is cut at the new bound.
  std::string config = e2e::read_file(d.config_path());
  const auto at = config.find("max_matches_per_alert = 5");
  REQUIRE(at != std::string::npos);
  config.replace(at, std::string("max_matches_per_alert = 5").size(), "max_matches_per_alert = 2");
  e2e::write_file(d.config_path(), config);
  d.reload();
  REQUIRE(d.wait_metric("newshound_reloads_total", 1) == 1);
  send(d, article_with_thes("three-thes", 3));
  const std::string cut2 = wait_alert(short_lines, "three-thes");
  REQUIRE_FALSE(cut2.empty());
  CHECK(listed(cut2) == 2);
  CHECK(truncated(cut2) == 148);
  CHECK(listed(wait_alert(down_lines, "three-thes")) == 150);
  CHECK(d.log().find("output short removed or changed") == std::string::npos);
  CHECK(d.stop() == 0);
}

TEST_CASE("output snippets: an output with snippets = false gets alerts without them",
          "[bounds][snippets]") {
  e2e::TempDir dir;
  // The harness's shipped people.names knows Antony Blinken (alias Blinken).
  const auto bare_file = dir / "bare.ndjson";
  const std::string bare_output =
      "[[output]]\nstories = \"all\"\ntype = \"file\"\nname = \"bare\"\npath = \"" +
      bare_file.string() + "\"\nsnippets = false\n";
  h::Daemon d("", bare_output);
  auto bare_lines = [&] { return file_lines(bare_file); };
  auto down_lines = [&] { return d.downstream().lines(); };

  boost::json::object a;
  a["uri"] = "blinken";
  a["headline"] = "Blinken in Kyiv";
  a["body_text"] = "Antony Blinken met officials. Blinken said more aid would come.";
  send(d, boost::json::serialize(a) + "\n");
  const std::string whole = wait_alert(down_lines, "blinken");
  const std::string bare = wait_alert(bare_lines, "blinken");
  INFO(d.log().substr(0, 4000));
  REQUIRE_FALSE(whole.empty());
  REQUIRE_FALSE(bare.empty());
  CHECK(listed(whole) == 3);
  CHECK(bare.find("\"snippet\"") == std::string::npos);
  // The same alert, once the other output's snippets are taken out of it.
  boost::json::value v = boost::json::parse(whole);
  std::size_t snippets = 0;
  for (auto& m : v.at("matches").as_array()) snippets += m.as_object().stable_erase("snippet");
  CHECK(snippets == 3);
  CHECK(boost::json::serialize(v) == bare);
  CHECK(d.metric("newshound_output_alerts_cut_total{sink=\"bare\"}") == 0);
  CHECK(d.stop() == 0);
}
