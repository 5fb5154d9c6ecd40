// Config tests: [stories] (the near-duplicate stage's StoryOptions) and the
// `stories` policy of an [[output]]: defaults, values, and errors as file:line.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "newshound/config/config.hpp"
#include "newshound/config/options.hpp"

namespace fs = std::filesystem;
using newshound::Config;
using newshound::StoryPolicy;

namespace {

const fs::path kWatchlist =
    (fs::path(NEWSHOUND_FIXTURES_DIR) / "config" / "watchlists" / "heads-of-state.names")
        .lexically_normal();

struct StoriesConfigFile {
  fs::path path;
  explicit StoriesConfigFile(const std::string& body) {
    path = fs::temp_directory_path() /
           ("newshound-stories-config-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path) << body << "\n[[watchlist]]\npath = \"" << kWatchlist.string() << "\"\n";
  }
  ~StoriesConfigFile() { fs::remove(path); }
};

std::optional<Config> stories_load(const std::string& body, std::vector<std::string>& errors) {
  StoriesConfigFile f(body);
  newshound::Diagnostics diags;
  auto cfg = newshound::load_config(f.path, diags);
  for (const auto& d : diags) errors.push_back(d.format());
  for (auto& e : errors) {  // file name independent
    for (auto at = e.find(f.path.string()); at != std::string::npos; at = e.find(f.path.string()))
      e.replace(at, f.path.string().size(), "FILE");
  }
  return cfg;
}

}  // namespace

TEST_CASE("[stories] defaults: on, 48 hours, 100000 stories, the evaluated threshold",
          "[config][stories]") {
  std::vector<std::string> errors;
  const auto cfg = stories_load("[[output]]\ntype = \"stdout\"\n", errors);
  REQUIRE(errors.empty());
  REQUIRE(cfg);
  CHECK(cfg->stories.enabled);
  CHECK(cfg->stories.index.window == std::chrono::hours(48));
  CHECK(cfg->stories.index.max_stories == 100000);
  CHECK(cfg->stories.index.threshold == newshound::kDefaultStoryThreshold);
  REQUIRE(cfg->outputs.size() == 1);
  CHECK(cfg->outputs[0].stories == StoryPolicy::first);  // one alert per story (issue 15)
}

TEST_CASE("[stories] and an output's stories policy are read", "[config][stories]") {
  std::vector<std::string> errors;
  const auto cfg = stories_load(
      "[stories]\nenabled = false\nwindow_ms = 3600000\nmax_stories = 7\nthreshold = 4\n"
      "[[output]]\ntype = \"stdout\"\nstories = \"all\"\n"
      "[[output]]\ntype = \"file\"\npath = \"/tmp/x.ndjson\"\nstories = \"first\"\n",
      errors);
  REQUIRE(errors.empty());
  REQUIRE(cfg);
  CHECK_FALSE(cfg->stories.enabled);
  CHECK(cfg->stories.index.window == std::chrono::hours(1));
  CHECK(cfg->stories.index.max_stories == 7);
  CHECK(cfg->stories.index.threshold == 4);
  REQUIRE(cfg->outputs.size() == 2);
  CHECK(cfg->outputs[0].stories == StoryPolicy::all);
  CHECK(cfg->outputs[1].stories == StoryPolicy::first);
  // The policy is applied by the dispatcher: a change keeps the running sink.
  auto changed = cfg->outputs[0];
  changed.stories = StoryPolicy::first;
  CHECK(changed.same_settings(cfg->outputs[0]));
  CHECK_FALSE(changed == cfg->outputs[0]);
}

TEST_CASE("[stories] values out of range and a wrong policy are errors at their line",
          "[config][stories]") {
  std::vector<std::string> errors;
  const auto cfg = stories_load(
      "[stories]\nthreshold = 16\nmax_stories = 0\nwindow_ms = 0\n"
      "[[output]]\ntype = \"stdout\"\nstories = \"newest\"\n",
      errors);
  CHECK_FALSE(cfg);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].rfind("FILE:2:", 0) == 0);
  CHECK(errors[0].find("threshold") != std::string::npos);
  CHECK(errors[0].find("15") != std::string::npos);
  CHECK(errors[1].rfind("FILE:3:", 0) == 0);
  CHECK(errors[1].find("max_stories") != std::string::npos);
  CHECK(errors[2].rfind("FILE:4:", 0) == 0);
  CHECK(errors[2].find("window_ms") != std::string::npos);
  CHECK(errors[3].rfind("FILE:7:", 0) == 0);
  CHECK(errors[3].find("first") != std::string::npos);
}

TEST_CASE("an output's digest policy, interval and throttle are read", "[config][stories]") {
  std::vector<std::string> errors;
  const auto cfg = stories_load(
      "[[output]]\ntype = \"stdout\"\n"
      "[[output]]\ntype = \"file\"\npath = \"/tmp/x.ndjson\"\nstories = \"digest\"\n"
      "digest_interval_ms = 60000\nmax_alerts_per_minute = 30\n",
      errors);
  REQUIRE(errors.empty());
  REQUIRE(cfg);
  REQUIRE(cfg->outputs.size() == 2);
  CHECK(cfg->outputs[0].digest_interval == std::chrono::minutes(10));
  CHECK(cfg->outputs[0].max_alerts_per_minute == 0);  // no throttle
  CHECK(cfg->outputs[1].stories == StoryPolicy::digest);
  CHECK(cfg->outputs[1].digest_interval == std::chrono::minutes(1));
  CHECK(cfg->outputs[1].max_alerts_per_minute == 30);
  // Applied by the dispatcher: a change keeps the running sink.
  auto changed = cfg->outputs[1];
  changed.digest_interval = std::chrono::seconds(5);
  changed.max_alerts_per_minute = 1;
  CHECK(changed.same_settings(cfg->outputs[1]));
  CHECK_FALSE(changed == cfg->outputs[1]);
}

TEST_CASE("an output's digest interval and throttle out of range are errors at their line",
          "[config][stories]") {
  std::vector<std::string> errors;
  const auto cfg = stories_load(
      "[[output]]\ntype = \"stdout\"\ndigest_interval_ms = 999\nmax_alerts_per_minute = -1\n"
      "[[output]]\ntype = \"stdout\"\nname = \"b\"\ndigest_interval_ms = 86400001\n",
      errors);
  CHECK_FALSE(cfg);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].rfind("FILE:3:", 0) == 0);
  CHECK(errors[0].find("digest_interval_ms") != std::string::npos);
  CHECK(errors[1].rfind("FILE:4:", 0) == 0);
  CHECK(errors[1].find("max_alerts_per_minute") != std::string::npos);
  CHECK(errors[2].rfind("FILE:8:", 0) == 0);
  CHECK(errors[2].find("digest_interval_ms") != std::string::npos);
}

TEST_CASE("[stories] must be a table", "[config][stories]") {
  std::vector<std::string> errors;
  const auto cfg = stories_load("stories = 3\n", errors);
  CHECK_FALSE(cfg);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("FILE:1:", 0) == 0);
  CHECK(errors[0].find("'stories' must be a table") != std::string::npos);
}

TEST_CASE("[stories] versions_window_ms and max_articles bound the version lifecycle",
          "[config][stories]") {
  std::vector<std::string> errors;
  const auto defaults = stories_load("[[output]]\ntype = \"stdout\"\n", errors);
  REQUIRE(errors.empty());
  REQUIRE(defaults);
  CHECK(defaults->stories.lifecycle.window == std::chrono::hours(24 * 7));
  CHECK(defaults->stories.lifecycle.max_articles == 200000);
  const auto cfg = stories_load(
      "[stories]\nversions_window_ms = 7200000\nmax_articles = 9\n[[output]]\ntype = \"stdout\"\n",
      errors);
  REQUIRE(errors.empty());
  REQUIRE(cfg);
  CHECK(cfg->stories.lifecycle.window == std::chrono::hours(2));
  CHECK(cfg->stories.lifecycle.max_articles == 9);
  CHECK_FALSE(cfg->stories == defaults->stories);
  const auto bad =
      stories_load("[stories]\nmax_articles = 0\n[[output]]\ntype = \"stdout\"\n", errors);
  CHECK_FALSE(bad);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("max_articles") != std::string::npos);
}

TEST_CASE("[stories] window and versions_window read a duration with a unit", "[config][stories]") {
  std::vector<std::string> errors;
  const auto cfg = stories_load(
      "[stories]\nwindow = \"36h\"\nversions_window = \"2d\"\n[[output]]\ntype = \"stdout\"\n",
      errors);
  REQUIRE(errors.empty());
  REQUIRE(cfg);
  CHECK(cfg->stories.index.window == std::chrono::hours(36));
  CHECK(cfg->stories.lifecycle.window == std::chrono::hours(48));
  for (const auto& [text, ms] :
       std::vector<std::pair<std::string, std::int64_t>>{{"1500ms", 1500},
                                                         {"90s", 90000},
                                                         {"10m", 600000},
                                                         {"48h", 172800000},
                                                         {"7d", 604800000}}) {
    std::string why;
    CHECK(newshound::parse_duration_ms(text, why) == ms);
    CHECK(newshound::format_duration_ms(ms) == (text == "90s" ? "90s" : text));
  }
}

TEST_CASE("[stories] window refuses a plain number, a bad unit, and window_ms beside it",
          "[config][stories]") {
  std::vector<std::string> errors;
  CHECK_FALSE(stories_load("[stories]\nwindow = 48\n[[output]]\ntype = \"stdout\"\n", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] ==
        "FILE:2:10: 'window' is a duration: a plain number has no unit; add one (ms, s, m, h, "
        "d), e.g. window = \"48ms\" or window = \"48h\"");
  errors.clear();
  CHECK_FALSE(
      stories_load("[stories]\nwindow = \"48 hours\"\n[[output]]\ntype = \"stdout\"\n", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("FILE:2:10: 'window' has an unknown unit \" hours\"") == 0);
  errors.clear();
  CHECK_FALSE(
      stories_load("[stories]\nwindow = \"500ms\"\n[[output]]\ntype = \"stdout\"\n", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "FILE:2:10: 'window' must be between \"1s\" and \"365d\", got \"500ms\"");
  errors.clear();
  CHECK_FALSE(stories_load(
      "[stories]\nwindow = \"48h\"\nwindow_ms = 3600000\n[[output]]\ntype = \"stdout\"\n", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] ==
        "FILE:2:10: 'window' and 'window_ms' (FILE:3) are both set and mean the same; keep one");
}
