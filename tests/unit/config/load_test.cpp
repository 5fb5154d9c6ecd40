// Config tests: load_config on the shipped config and on fixtures, valid ones
// (values, defaults, path resolution) and one fixture per class of error, with
// the exact messages, lines and columns a user would see.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "newshound/config/config.hpp"

namespace fs = std::filesystem;
using newshound::Config;
using newshound::Diagnostics;

namespace {

const fs::path kDir = fs::path(NEWSHOUND_FIXTURES_DIR) / "config";

std::string fixture(const std::string& name) {
  return (kDir / name).string();
}

// Loads a fixture that must fail; returns its diagnostics formatted.
std::vector<std::string> errors_of(const std::string& name) {
  Diagnostics diags;
  const auto cfg = newshound::load_config(fixture(name), diags);
  CHECK_FALSE(cfg.has_value());
  std::vector<std::string> out;
  for (const auto& d : diags) out.push_back(d.format());
  return out;
}

Config load_ok(const fs::path& file) {
  Diagnostics diags;
  auto cfg = newshound::load_config(file, diags);
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  REQUIRE(diags.empty());
  REQUIRE(cfg.has_value());
  return *cfg;
}

}  // namespace

TEST_CASE("the shipped config loads without diagnostics", "[config]") {
  const Config cfg = load_ok(fs::path(NEWSHOUND_SOURCE_DIR) / "config" / "newshound.toml");
  REQUIRE(cfg.inputs.size() == 1);
  CHECK(cfg.inputs[0].mode == newshound::TcpInput::Mode::listen);
  CHECK(cfg.inputs[0].endpoint().to_string() == "127.0.0.1:7301");
  CHECK(cfg.inputs[0].name == "tcp-listen:127.0.0.1:7301");
  REQUIRE(cfg.outputs.size() == 2);
  CHECK(cfg.outputs[0].name == "stdout");
  CHECK(cfg.outputs[1].name == "tcp:127.0.0.1:7302");
  REQUIRE(cfg.watchlists.size() == 4);
  const fs::path dir = fs::path(NEWSHOUND_SOURCE_DIR).lexically_normal() / "config";
  CHECK(cfg.watchlists[0].path == dir / "watchlists" / "people.names");
  CHECK(cfg.watchlists[1].name == "organisations");
  CHECK(cfg.watchlists[2].name == "places");
  CHECK(cfg.watchlists[3].path == dir / "watchlists" / "security.topics");
  for (const auto& wl : cfg.watchlists) CHECK(fs::exists(wl.path));
}

TEST_CASE("a minimal config gets every default from the option table", "[config]") {
  const Config cfg = load_ok(fixture("minimal.toml"));
  CHECK(cfg.workers == 0);
  CHECK(cfg.shutdown_grace == std::chrono::milliseconds(5000));
  CHECK(cfg.log_level == "info");
  CHECK(cfg.inputs.empty());
  CHECK(cfg.outputs.empty());
  REQUIRE(cfg.watchlists.size() == 1);
  CHECK(cfg.watchlists[0].name == "heads-of-state");
  CHECK(cfg.watchlists[0].tags.empty());
  CHECK_FALSE(cfg.watchlists[0].transliterate);
  CHECK(cfg.watchlists[0].line == 2);
  CHECK(cfg.file == kDir.lexically_normal() / "minimal.toml");
}

TEST_CASE("every option is read into the struct", "[config]") {
  const Config cfg = load_ok(fixture("full.toml"));
  CHECK(cfg.workers == 3);
  CHECK(cfg.shutdown_grace == std::chrono::milliseconds(1500));
  CHECK(cfg.log_level == "debug");

  REQUIRE(cfg.inputs.size() == 2);
  const auto& listen = cfg.inputs[0];
  CHECK(listen.name == "wire-local");
  REQUIRE(listen.mode == newshound::TcpInput::Mode::listen);
  CHECK(listen.tcp.host == "::1");
  CHECK(listen.tcp.port == 7301);
  CHECK(listen.tcp.max_line_bytes == 65536);
  CHECK(listen.tcp.max_connections == 8);
  CHECK(listen.fields.ninjs);  // no [input.fields] after it: defaults
  CHECK(listen.fields.headline.empty());
  CHECK(listen.line == 8);

  const auto& dial = cfg.inputs[1];
  CHECK(dial.name == "tcp-connect:wire.example.net:7401");
  REQUIRE(dial.mode == newshound::TcpInput::Mode::connect);
  CHECK(dial.tcp.host == "wire.example.net");
  CHECK(dial.tcp.max_line_bytes == 1 << 20);
  CHECK(dial.tcp.reconnect.initial == std::chrono::milliseconds(250));
  CHECK(dial.tcp.reconnect.max == std::chrono::milliseconds(8000));
  CHECK_FALSE(dial.fields.ninjs);
  CHECK(dial.fields.id == "/guid");
  CHECK(dial.fields.headline == std::vector<std::string>{"/title"});
  CHECK(dial.fields.body_text == std::vector<std::string>{"/content/text"});
  CHECK(dial.fields.body_html == std::vector<std::string>{"/content/html"});
  CHECK(dial.fields.description == std::vector<std::string>{"/summary", "/media/0/caption"});
  CHECK(dial.fields.versioncreated == "/published");
  CHECK(dial.fields.language == "/meta/lang~1code");

  REQUIRE(cfg.outputs.size() == 3);
  CHECK(cfg.outputs[0].name == "console");
  CHECK(cfg.outputs[0].type == "stdout");
  const fs::path alerts = kDir.lexically_normal() / "alerts" / "desk.ndjson";
  CHECK(cfg.outputs[1].file.path == alerts);
  CHECK(cfg.outputs[1].name == "file:" + alerts.string());
  CHECK(cfg.outputs[1].file.queue.queue_bytes == std::size_t{64} << 20);
  CHECK(cfg.outputs[2].name == "tcp:127.0.0.1:7302");
  CHECK(cfg.outputs[2].tcp.queue.queue_bytes == 1 << 20);
  CHECK(cfg.outputs[2].tcp.queue.backoff.initial == std::chrono::milliseconds(50));
  CHECK(cfg.outputs[2].tcp.queue.backoff.max == std::chrono::milliseconds(2000));

  REQUIRE(cfg.watchlists.size() == 2);
  CHECK(cfg.watchlists[0].path == kDir.lexically_normal() / "watchlists/heads-of-state.names");
  CHECK(cfg.watchlists[0].tags == std::vector<std::string>{"desk:politics", "priority:high"});
  CHECK(cfg.watchlists[1].path == fs::path("/srv/lists/companies.names"));  // absolute: kept
  CHECK(cfg.watchlists[1].name == "firms");
}

TEST_CASE("relative paths resolve against the config file's folder, not the cwd", "[config]") {
  const fs::path before = fs::current_path();
  fs::current_path(fs::temp_directory_path());
  Diagnostics diags;
  const auto cfg = newshound::load_config(fixture("minimal.toml"), diags);
  fs::current_path(before);
  REQUIRE(cfg.has_value());
  CHECK(cfg->watchlists[0].path == kDir.lexically_normal() / "watchlists/heads-of-state.names");
  CHECK(fs::exists(cfg->watchlists[0].path));
}

TEST_CASE("a missing or unreadable file is one diagnostic without a line", "[config]") {
  CHECK(errors_of("does-not-exist.toml") ==
        std::vector<std::string>{fixture("does-not-exist.toml") +
                                 ": cannot read config file: No such file or directory; pass the "
                                 "path of an existing file"});
  CHECK(errors_of("watchlists") ==
        std::vector<std::string>{fixture("watchlists") +
                                 ": cannot read config file: Is a directory; pass the path of an "
                                 "existing file"});
}

TEST_CASE("a TOML syntax error names its line and column", "[config]") {
  Diagnostics diags;
  diags.push_back({"earlier.names", 3, 1, "kept"});  // load_config appends
  CHECK_FALSE(newshound::load_config(fixture("syntax_error.toml"), diags).has_value());
  REQUIRE(diags.size() == 2);
  CHECK(diags[1].file == fixture("syntax_error.toml"));
  CHECK(diags[1].line == 6);
  CHECK(diags[1].col == 12);
  CHECK(diags[1].message == "TOML syntax error: Error while parsing time: expected ':', saw '7'");
}

TEST_CASE("unknown keys anywhere are errors that list the known keys", "[config]") {
  const std::string f = fixture("unknown_keys.toml");
  CHECK(errors_of("unknown_keys.toml") ==
        std::vector<std::string>{
            f + ":1:1: unknown key 'worker' in the top level (did you mean 'workers'? known keys: "
                "workers, shutdown_grace_ms, state_dir, memory_budget_bytes, "
                "max_matches_per_alert, max_alert_bytes, max_spans_per_topic, log, admin, stories, "
                "input, output, watchlist)",
            f + ":2:1: unknown key 'colour' in the top level (known keys: workers, "
                "shutdown_grace_ms, state_dir, memory_budget_bytes, max_matches_per_alert, "
                "max_alert_bytes, max_spans_per_topic, log, admin, stories, input, output, "
                "watchlist)",
            f + ":5:1: unknown key 'lvl' in [log] (known keys: level)",
            f + ":7:1: [[input]] needs 'listen' (accept connections) or 'connect' (dial a feed "
                "server); add e.g. listen = \"127.0.0.1:7301\"",
            f + ":9:1: unknown key 'lisen' in [[input]] (did you mean 'listen'? known keys: type, "
                "name, listen, connect, max_line_bytes, max_connections, max_inflight_bytes, "
                "idle_timeout_ms, ack, accept_alerts, reconnect_initial_ms, reconnect_max_ms, "
                "path, done_dir, failed_dir, delete, max_file_bytes, max_files_inflight, ignore, "
                "retry_ms, max_body_bytes, accept_timeout_ms, token_file, url, urls, opml_file, "
                "interval_ms, timeout_ms, max_bytes, headers, stream, subject, durable, batch, "
                "max_ack_pending, ack_wait_ms, max_deliver, dead_letter_subject, creds_file, "
                "user, password_file, fields, tls)",
            f + ":12:1: unknown key 'title' in [input.fields] (known keys: ninjs, id, headline, "
                "body_text, body_html, description, versioncreated, language, source, subject, "
                "type, located, urgency)",
            f + ":16:1: unknown key 'format' in [[output]] (known keys: type, name, path, "
                "connect, queue_bytes, reconnect_initial_ms, reconnect_max_ms, url, headers, "
                "batch_max, batch_bytes, timeout_ms, ack, max_unacked, dead_letter, fsync, "
                "fsync_interval_ms, spool, spool_dir, spool_max_bytes, subject, max_pending, "
                "ack_wait_ms, creds_file, token_file, user, password_file, lists, tags, "
                "max_matches_per_alert, max_alert_bytes, snippets, stories, digest_interval_ms, "
                "max_alerts_per_minute, tls)",
            f + ":20:1: unknown key 'tag' in [[watchlist]] (did you mean 'tags'? known keys: "
                "path, name, tags, transliterate, language)",
        });
}

TEST_CASE("wrong value types name the expected type and give an example", "[config]") {
  const std::string f = fixture("wrong_types.toml");
  CHECK(errors_of("wrong_types.toml") ==
        std::vector<std::string>{
            f + ":1:11: 'workers' must be an integer, not a string; e.g. workers = 4",
            f + ":2:21: 'shutdown_grace_ms' must be an integer, not a floating-point number; "
                "e.g. shutdown_grace_ms = 5000",
            f + ":5:9: 'level' must be a string, not an integer; e.g. level = \"info\"",
            f + ":9:10: 'listen' must be a \"host:port\" string, not an integer; e.g. listen = "
                "\"127.0.0.1:7301\"",
            f + ":10:18: 'max_line_bytes' must be an integer, not a string; e.g. max_line_bytes "
                "= 1048576",
            f + ":13:9: 'ninjs' must be a boolean (true or false), not a string; e.g. ninjs = "
                "false",
            f + ":14:23: 'headline' must be a JSON Pointer string or an array of them; element 2 "
                "is an integer",
            f + ":19:15: 'queue_bytes' must be an integer, not a boolean; e.g. queue_bytes = "
                "67108864",
            f + ":23:8: 'tags' must be an array of strings, not a string; e.g. tags = "
                "[\"desk:politics\"]",
            f + ":27:15: 'tags' must be an array of non-empty strings; element 2 is an integer",
        });
}

TEST_CASE("bad values: ranges, choices, addresses, pointers, empty strings", "[config]") {
  const std::string f = fixture("bad_values.toml");
  const std::string expected =
      "; expected host:port or [ipv6]:port, e.g. \"127.0.0.1:7301\" or "
      "\"[::1]:7301\"";
  CHECK(errors_of("bad_values.toml") ==
        std::vector<std::string>{
            f + ":1:11: 'workers' must be between 0 and 1024, got -1",
            f + ":4:9: 'level' must be one of \"trace\", \"debug\", \"info\", \"warn\", "
                "\"error\", \"critical\", \"off\", got \"verbose\"",
            f + ":7:8: 'type' must be one of \"tcp\", \"directory\", \"feed\", \"http\", "
                "\"jetstream\", got \"udp\"",
            f + ":8:10: invalid address in 'listen': missing port in \"localhost\"" + expected,
            f + ":9:18: 'max_line_bytes' must be between 1024 and 1073741824, got 100",
            f + ":12:12: 'headline' must be a JSON Pointer starting with '/', e.g. headline = "
                "\"/title\"; got \"title\"",
            f + ":13:13: 'body_text' is not a valid JSON Pointer: '~' must be followed by 0 or 1 "
                "(~0 means '~', ~1 means '/'), e.g. body_text = \"/content/text\"; got \"/a~2b\"",
            f + ":17:8: 'path' must not be empty; e.g. path = "
                "\"/var/lib/newshound/alerts.ndjson\"",
            f + ":18:8: 'name' must not be empty; e.g. name = \"archive\"",
            f + ":22:11: invalid address in 'connect': port \"70000\" in \"127.0.0.1:70000\" is "
                "not a number from 1 to 65535",
            f + ":26:21: 'tags' must be an array of non-empty strings; element 2 is empty",
        });
}

TEST_CASE("keys that do not apply to the output type or input mode are errors", "[config]") {
  const std::string f = fixture("not_applicable.toml");
  CHECK(errors_of("not_applicable.toml") ==
        std::vector<std::string>{
            f + ":4:1: 'max_connections' does not apply to a connect input (only to listen "
                "and http inputs); remove it",
            f + ":9:1: 'reconnect_max_ms' does not apply to a listen input (only to connect "
                "and jetstream inputs); remove it",
            f + ":14:1: 'path' does not apply to a tcp output (only to file outputs); remove it",
            f + ":18:1: 'queue_bytes' does not apply to a stdout output (only to file, tcp, "
                "webhook and jetstream outputs); remove it",
        });
}

TEST_CASE("missing required keys point at the table that lacks them", "[config]") {
  const std::string f = fixture("missing_required.toml");
  CHECK(errors_of("missing_required.toml") ==
        std::vector<std::string>{
            f + ":1:1: [[input]] is missing 'type'; add e.g. type = \"tcp\"",
            f + ":4:1: [[input]] needs 'listen' (accept connections) or 'connect' (dial a feed "
                "server); add e.g. listen = \"127.0.0.1:7301\"",
            f + ":8:1: [[output]] of type \"file\" is missing 'path'; add e.g. path = "
                "\"/var/lib/newshound/alerts.ndjson\"",
            f + ":11:1: [[output]] of type \"tcp\" is missing 'connect'; add e.g. connect = "
                "\"127.0.0.1:7302\"",
            f + ":15:1: [[output]] is missing 'type'; add e.g. type = \"stdout\"",
            f + ":18:1: [[watchlist]] is missing 'path'; add e.g. path = "
                "\"watchlists/people.names\"",
        });
}

TEST_CASE("duplicate names among inputs, outputs and watch-lists", "[config]") {
  const std::string f = fixture("duplicates.toml");
  CHECK(errors_of("duplicates.toml") ==
        std::vector<std::string>{
            f + ":7:8: duplicate [[input]] name \"tcp-listen:127.0.0.1:7301\" (first used at line "
                "1); give one of them a distinct name = \"...\"",
            f + ":13:1: duplicate [[output]] name \"stdout\" (first used at line 10); give one of "
                "them a distinct name = \"...\"",
            f + ":19:1: duplicate [[watchlist]] name \"heads-of-state\" (first used at line 16); "
                "give one of them a distinct name = \"...\"",
        });
}

TEST_CASE("at least one watch-list is required, inputs and outputs may be empty", "[config]") {
  CHECK(errors_of("no_watchlist.toml") ==
        std::vector<std::string>{fixture("no_watchlist.toml") +
                                 ": no [[watchlist]] table; add at least one, e.g. [[watchlist]] "
                                 "with path = \"watchlists/people.names\""});
}

TEST_CASE("sections written with the wrong shape", "[config]") {
  const std::string f = fixture("shapes.toml");
  CHECK(errors_of("shapes.toml") ==
        std::vector<std::string>{
            f + ":1:7: 'log' must be a table; write [log] and level = \"info\" below it",
            f + ":2:13: 'watchlist' must be an array of tables; write each watch-list as a "
                "[[watchlist]] table",
            f + ":4:1: 'input' must be an array of tables; write each input as an [[input]] table",
        });
}

TEST_CASE("checks across keys: listen xor connect, backoff order, field mapping", "[config]") {
  const std::string f = fixture("cross_checks.toml");
  CHECK(errors_of("cross_checks.toml") ==
        std::vector<std::string>{
            f + ":1:1: [[input]] has both 'listen' and 'connect'; keep exactly one",
            f + ":6:1: 'reconnect_initial_ms' (5000) must not exceed 'reconnect_max_ms' (1000)",
            f + ":12:1: [input.fields] has ninjs = false but maps none of 'headline', "
                "'body_text', 'body_html', 'description', so nothing could be matched; map at "
                "least one, e.g. "
                "headline = \"/title\"",
            f + ":19:10: 'fields' must be a table; write [input.fields] below the [[input]] it "
                "belongs to",
        });
}

TEST_CASE("a feed input reads its urls, timing, size bound and headers", "[config][feed]") {
  const Config cfg = load_ok(fixture("feed_input.toml"));
  REQUIRE(cfg.inputs.size() == 1);
  const newshound::InputConfig& in = cfg.inputs[0];
  CHECK(in.type == "feed");
  CHECK(in.name == "feed:http://news.example.net/rss.xml");
  CHECK(in.feed.urls == std::vector<std::string>{"http://news.example.net/rss.xml",
                                                 "http://a.example:8080/atom.xml"});
  CHECK(in.feed.interval == std::chrono::milliseconds(500));
  CHECK(in.feed.timeout == std::chrono::milliseconds(2000));
  CHECK(in.feed.max_bytes == 65536);
  CHECK(in.feed.headers ==
        std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer x"}});
}

TEST_CASE("a feed input refuses other schemes, addresses and a missing url", "[config][feed]") {
  const std::string f = fixture("bad_feed.toml");
  CHECK(errors_of("bad_feed.toml") ==
        std::vector<std::string>{
            f + ":3:7: invalid feed URL \"ftp://news.example.net/rss.xml\": not an http:// or "
                "https:// URL",
            f + ":5:1: a feed input needs 'url', 'urls' or 'opml_file'; add e.g. url = "
                "\"http://news.example.net/rss.xml\"",
            f + ":8:10: 'listen' does not apply to a feed input; remove it",
            f + ":9:1: 'max_connections' does not apply to a feed input (only to listen and http "
                "inputs); remove it"});
}

TEST_CASE("[[watchlist]] transliterate is read per watch-list", "[config]") {
  const fs::path dir =
      fs::temp_directory_path() / ("nh-translit-cfg-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "people.names") << "Sergey Lavrov|Lavrov\n";
    std::ofstream(dir / "firms.names") << "Acme\n";
    std::ofstream(dir / "n.toml")
        << "[[watchlist]]\npath = \"people.names\"\ntransliterate = true\n"
           "[[watchlist]]\npath = \"firms.names\"\n";
  }
  const Config cfg = load_ok(dir / "n.toml");
  REQUIRE(cfg.watchlists.size() == 2);
  CHECK(cfg.watchlists[0].transliterate);
  CHECK_FALSE(cfg.watchlists[1].transliterate);
  fs::remove_all(dir);
}
