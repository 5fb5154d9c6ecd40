// Config: the option table's entries for the top level, [log], [admin] and
// [[watchlist]] (see config/options.hpp for what an entry holds).
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "newshound/match/stem.hpp"
#include "option_sections.hpp"

namespace newshound::config_table {

void add_general_options(std::vector<OptionSpec>& t) {
  using S = ConfigSection;
  using T = OptionType;
  auto add = [&t](OptionSpec s) { t.push_back(std::move(s)); };

  // ---- top level -------------------------------------------------------------
  add({.section = S::top,
       .key = "workers",
       .type = T::integer,
       .default_value = std::int64_t{0},
       .min = 0,
       .max = 1024,
       .example = "4",
       .help = "Matching threads. 0 means one per CPU core.",
       .set = +[](Config& c, const OptionValue& v) { c.workers = unsigned(as_int(v)); }});
  add({.section = S::top,
       .key = "shutdown_grace_ms",
       .type = T::integer,
       .default_value = std::int64_t{5000},
       .min = 0,
       .max = 10 * 60 * 1000,
       .example = "5000",
       .help = "On SIGTERM/SIGINT, how long to keep matching what was received and delivering "
               "alerts before exiting; matching still queued then is abandoned, unacknowledged "
               "(see docs/operations.md, Stopping).",
       .set = +[](Config& c, const OptionValue& v) {
         c.shutdown_grace = std::chrono::milliseconds(as_int(v));
       }});

  add({.section = S::top,
       .key = "state_dir",
       .type = T::path,
       .default_value = std::string("/var/lib/newshound"),
       .example = "\"/var/lib/newshound\"",
       .help = "Folder for the daemon's state: output spools go to `spool/<output name>` in it "
               "unless `spool_dir` says otherwise. Relative to the config's folder.",
       .set = +[](Config& c, const OptionValue& v) { c.state_dir = as_str(v); }});

  add({.section = S::top,
       .key = "memory_budget_bytes",
       .type = T::integer,
       .default_value = std::int64_t{0},
       .min = 0,
       .max = 1024 * kGiB,
       .example = "1073741824",
       .help = "If not 0, refuse a config whose inputs and outputs could together hold more "
               "than this many bytes (see docs/operations.md, Backpressure and memory).",
       .set = +[](Config& c, const OptionValue& v) { c.memory_budget = std::size_t(as_int(v)); }});

  // ---- alert bounds (AlertLimits; docs/alerts.md, Bounds) --------------------
  add({.section = S::top,
       .key = "max_matches_per_alert",
       .type = T::integer,
       .default_value = std::int64_t{1000},
       .min = 1,
       .max = 1000 * 1000,
       .example = "1000",
       .help = "Most matches (entity matches and topic hits) one alert lists, the first in "
               "reading order; the rest are counted in its `truncated` field. Also bounds the "
               "matching work kept per article (see docs/alerts.md, Bounds). An [[output]] may "
               "set its own.",
       .set = +[](Config& c, const OptionValue& v) {
         c.alert_limits.max_matches = std::size_t(as_int(v));
       }});
  add({.section = S::top,
       .key = "max_alert_bytes",
       .type = T::integer,
       .default_value = kMiB,
       .min = 4 * kKiB,
       .max = kGiB,
       .example = "1048576",
       .help = "Most bytes of one alert's JSON line: matches that do not fit are left out and "
               "counted in `truncated` (the first match is always kept, so only a headline "
               "near this size makes a larger alert). An [[output]] may set its own.",
       .set = +[](Config& c, const OptionValue& v) {
         c.alert_limits.max_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::top,
       .key = "max_spans_per_topic",
       .type = T::integer,
       .default_value = std::int64_t{100},
       .min = 1,
       .max = 1000 * 1000,
       .example = "100",
       .help = "Most spans one topic hit lists in `spans`, the first in reading order (a topic "
               "over a common word could otherwise list every occurrence).",
       .set = +[](Config& c, const OptionValue& v) {
         c.alert_limits.max_spans_per_topic = std::size_t(as_int(v));
       }});

  // ---- [log] -----------------------------------------------------------------
  add({.section = S::log,
       .key = "level",
       .type = T::choice,
       .default_value = std::string("info"),
       .choices = {"trace", "debug", "info", "warn", "error", "critical", "off"},
       .example = "\"info\"",
       .help = "Least severe log messages that are written.",
       .set = +[](Config& c, const OptionValue& v) { c.log_level = as_str(v); }});

  // ---- [admin] ---------------------------------------------------------------
  add({.section = S::admin,
       .key = "listen",
       .type = T::endpoint,
       .default_value = Endpoint{"127.0.0.1", 7380},
       .example = "\"127.0.0.1:7380\"",
       .help = "Admin HTTP endpoint (/metrics, /healthz, /readyz, /v1/rules, POST /v1/reload). "
               "`\"\"` disables it. Without `token_file` it must be a loopback address.",
       .set =
           +[](Config& c, const OptionValue& v) {
             if (const auto* ep = std::get_if<Endpoint>(&v)) {
               c.admin_listen = *ep;
             } else {
               c.admin_listen.reset();  // "" disables the endpoint
             }
           },
       .allow_empty = true});
  add({.section = S::admin,
       .key = "allowed_hosts",
       .type = T::string_array,
       .default_value = std::vector<std::string>{},
       .example = "[\"newshound.internal\"]",
       .help = "Host names the admin endpoint answers to besides its listen address (and "
               "`localhost` when that is loopback, any IP address when it is a wildcard). "
               "Requests naming another Host get 421 and requests from a foreign `Origin` "
               "(a web page) 403, against DNS rebinding and cross-site requests.",
       .set = +[](Config& c, const OptionValue& v) {
         c.admin_allowed_hosts = std::get<std::vector<std::string>>(v);
       }});
  add({.section = S::admin,
       .key = "token_file",
       .type = T::path,
       .default_doc = "none: no token, and `listen` must then be loopback",
       .example = "\"/etc/newshound/admin.token\"",
       .help = "File holding the admin endpoint's bearer token, one line of at least 16 "
               "printable bytes. Every request but GET/HEAD /healthz and /readyz must then send "
               "`Authorization: Bearer <token>` (else 401). Re-read on reload. Relative to the "
               "config's folder (see docs/operations.md, Admin endpoint).",
       .set = +[](Config& c, const OptionValue& v) { c.admin_token_file = as_str(v); }});
}

namespace {

/// The codes of kStemLanguages, for the `language` choice.
std::vector<std::string_view> stem_language_codes() {
  std::vector<std::string_view> codes;
  for (const auto& l : kStemLanguages) codes.push_back(l.code);
  return codes;
}

}  // namespace

void add_watchlist_options(std::vector<OptionSpec>& t) {
  using S = ConfigSection;
  using T = OptionType;
  auto add = [&t](OptionSpec s) { t.push_back(std::move(s)); };

  // ---- [[watchlist]] ---------------------------------------------------------
  add({.section = S::watchlist,
       .key = "path",
       .type = T::path,
       .required = true,
       .example = "\"watchlists/people.names\"",
       .help = "Watch-list file: `.names` (one entity and its aliases per line) or `.topics` "
               "(one topic query per line, see docs/query-language.md). Relative to the config's "
               "folder.",
       .set = +[](WatchlistConfig& c, const OptionValue& v) { c.path = as_str(v); }});
  add({.section = S::watchlist,
       .key = "name",
       .type = T::string,
       .default_doc = "the file's stem (`people` for `people.names`)",
       .example = "\"people\"",
       .help = "Name reported in alerts (`list`), and the list name `@name/Entity` refers to; "
               "unique among watch-lists.",
       .set = +[](WatchlistConfig& c, const OptionValue& v) { c.name = as_str(v); }});
  add({.section = S::watchlist,
       .key = "tags",
       .type = T::string_array,
       .default_value = std::vector<std::string>{},
       .example = "[\"desk:politics\"]",
       .help = "Labels copied into every alert raised by this watch-list.",
       .set = +[](WatchlistConfig& c, const OptionValue& v) {
         c.tags = std::get<std::vector<std::string>>(v);
       }});
  add({.section = S::watchlist,
       .key = "transliterate",
       .type = T::boolean,
       .default_value = false,
       .example = "true",
       .help = "`.names` lists only: the aliases also match text in Cyrillic, Greek, Arabic, "
               "Hebrew and other scripts, spelled in Latin by ICU (`Lavrov` matches `Лавров`, "
               "and `Sergey`, `Sergej` and `Sergei` all match `Сергей`); the alert's `text` is "
               "the original bytes. Costs only on articles with non-Latin letters; see "
               "docs/matching.md, Other scripts.",
       .set = +[](WatchlistConfig& c, const OptionValue& v) { c.transliterate = as_bool(v); }});
  add({.section = S::watchlist,
       .key = "language",
       .type = T::choice,
       .default_doc = "none: an article's own `language`, else English",
       .choices = stem_language_codes(),
       .example = "\"ru\"",
       .help = "`.topics` only (an error on a `.names` list): the language (ISO 639-1 code) in "
               "which `~` terms (word forms, "
               "see docs/query-language.md) are stemmed for an article whose `language` is "
               "missing or one Snowball does not stem. An article's own language wins.",
       .set = +[](WatchlistConfig& c, const OptionValue& v) { c.language = as_str(v); }});
}

}  // namespace newshound::config_table
