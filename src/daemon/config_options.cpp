// Daemon: the one table of configuration options (key, section, type, default,
// limits, help, setter) and its Markdown rendering for docs/configuration.md.
// Adding an option means adding one entry here; load_config, the docs test and
// the shipped-config test pick it up from this table.
#include "newshound/daemon/config_options.hpp"

#include <utility>

namespace newshound {
namespace {

std::int64_t as_int(const OptionValue& v) {
  return std::get<std::int64_t>(v);
}
bool as_bool(const OptionValue& v) {
  return std::get<bool>(v);
}
const std::string& as_str(const OptionValue& v) {
  return std::get<std::string>(v);
}
const Endpoint& as_endpoint(const OptionValue& v) {
  return std::get<Endpoint>(v);
}

constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMiB = 1024 * kKiB;
constexpr std::int64_t kGiB = 1024 * kMiB;
constexpr std::int64_t kHourMs = 3600 * 1000;

std::vector<OptionSpec> build_table() {
  using S = ConfigSection;
  using T = OptionType;
  std::vector<OptionSpec> t;
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
       .help = "On SIGTERM/SIGINT, how long to keep delivering queued alerts before exiting.",
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
               "`\"\"` disables it. It has no authentication: keep it on loopback.",
       .set =
           +[](Config& c, const OptionValue& v) {
             if (const auto* ep = std::get_if<Endpoint>(&v)) {
               c.admin_listen = *ep;
             } else {
               c.admin_listen.reset();  // "" disables the endpoint
             }
           },
       .allow_empty = true});

  // ---- [[input]] -------------------------------------------------------------
  add({.section = S::input,
       .key = "type",
       .type = T::choice,
       .required = true,
       .choices = {"tcp"},
       .example = "\"tcp\"",
       .help = "Input kind. `tcp`: newline-delimited JSON articles over TCP.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.type = as_str(v); }});
  add({.section = S::input,
       .key = "name",
       .type = T::string,
       .default_doc = "`tcp-listen:HOST:PORT` or `tcp-connect:HOST:PORT`",
       .example = "\"wire-main\"",
       .help = "Name used in logs and metrics; unique among inputs.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.name = as_str(v); }});
  add({.section = S::input,
       .key = "listen",
       .type = T::endpoint,
       .default_doc = "none",
       .example = "\"127.0.0.1:7301\"",
       .help = "Accept feed connections on this address. Exactly one of `listen` and `connect`.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.listen = as_endpoint(v); }});
  add({.section = S::input,
       .key = "connect",
       .type = T::endpoint,
       .default_doc = "none",
       .example = "\"wire.example.net:7301\"",
       .help = "Connect to a feed server at this address, reconnecting when the link drops.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.connect = as_endpoint(v); }});
  add({.section = S::input,
       .key = "max_line_bytes",
       .type = T::integer,
       .default_value = std::int64_t{kMiB},
       .min = kKiB,
       .max = kGiB,
       .example = "1048576",
       .help = "Longer lines are dropped and counted as `too_large`; the connection stays up.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.max_line_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "max_connections",
       .type = T::integer,
       .default_value = std::int64_t{256},
       .min = 1,
       .max = 65536,
       .applies_to = {"listen"},
       .example = "256",
       .help = "Clients beyond this many at once are refused.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.max_connections = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "max_inflight_bytes",
       .type = T::integer,
       .default_value = std::int64_t{4 * kMiB},
       .min = 64 * kKiB,
       .max = kGiB,
       .example = "4194304",
       .help = "Per connection: line bytes read but not yet accepted by every output. Beyond "
               "this (or 4 batches) reading pauses, so TCP flow control slows the feed.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.max_inflight_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "idle_timeout_ms",
       .type = T::integer,
       .default_value = std::int64_t{300000},
       .min = 0,
       .max = 24 * kHourMs,
       .applies_to = {"listen"},
       .example = "300000",
       .help = "Close a client that sent nothing for this long (counted); 0 never closes one.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.idle_timeout = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::input,
       .key = "ack",
       .type = T::boolean,
       .default_value = false,
       .applies_to = {"listen"},
       .example = "true",
       .help = "Acknowledged mode: write `{\"ack\":\"<article id>\"}` back on the connection, in "
               "order, once every alert of the article was delivered by every output it routes to.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.ack = as_bool(v); }});
  add({.section = S::input,
       .key = "reconnect_initial_ms",
       .type = T::integer,
       .default_value = std::int64_t{100},
       .min = 1,
       .max = kHourMs,
       .applies_to = {"connect"},
       .example = "100",
       .help = "First reconnect delay; doubles (with jitter) up to the maximum.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.reconnect.initial = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::input,
       .key = "reconnect_max_ms",
       .type = T::integer,
       .default_value = std::int64_t{30000},
       .min = 1,
       .max = kHourMs,
       .applies_to = {"connect"},
       .example = "30000",
       .help = "Longest reconnect delay.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.reconnect.max = std::chrono::milliseconds(as_int(v));
       }});

  // ---- [input.fields] --------------------------------------------------------
  add({.section = S::input_fields,
       .key = "ninjs",
       .type = T::boolean,
       .default_value = true,
       .example = "false",
       .help = "Read ninjs 1.x/2.x/3.x field names. Pointers below override the same role.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.fields.ninjs = as_bool(v); }});
  struct Field {
    std::string_view key, example, help;
    void (*set)(InputConfig&, const OptionValue&);
  };
  const Field fields[] = {
      {"id", "\"/guid\"", "Article id; without one, an id is made from the text.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.id = as_str(v); }},
      {"headline", "\"/title\"", "Headline text.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.headline = as_str(v); }},
      {"body_text", "\"/content/text\"", "Plain-text body.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.body_text = as_str(v); }},
      {"body_html", "\"/content/html\"", "HTML body (tags and entities are stripped).",
       +[](InputConfig& c, const OptionValue& v) { c.fields.body_html = as_str(v); }},
      {"versioncreated", "\"/published\"", "Publication time, copied into alerts.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.versioncreated = as_str(v); }},
      {"language", "\"/lang\"", "Language tag, copied into alerts.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.language = as_str(v); }},
  };
  for (const Field& f : fields) {
    add({.section = S::input_fields,
         .key = f.key,
         .type = T::json_pointer,
         .default_doc = "not mapped",
         .example = f.example,
         .help = f.help,
         .set = f.set});
  }

  // ---- [[output]] ------------------------------------------------------------
  add({.section = S::output,
       .key = "type",
       .type = T::choice,
       .required = true,
       .choices = {"stdout", "file", "tcp", "webhook"},
       .example = "\"stdout\"",
       .help = "Where alerts go: `stdout`, `file` (append) or `tcp` (client), one NDJSON line "
               "each; or `webhook` (HTTP POST of JSON).",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.type = as_str(v); }});
  add({.section = S::output,
       .key = "name",
       .type = T::string,
       .default_doc = "`stdout`, `file:PATH`, `tcp:HOST:PORT` or `webhook:URL`",
       .example = "\"archive\"",
       .help = "Name used in logs and metrics; unique among outputs.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.name = as_str(v); }});
  add({.section = S::output,
       .key = "path",
       .type = T::path,
       .required = true,
       .applies_to = {"file"},
       .example = "\"/var/lib/newshound/alerts.ndjson\"",
       .help = "File alerts are appended to; created if missing. Relative to the config's folder.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.path = as_str(v); }});
  add({.section = S::output,
       .key = "connect",
       .type = T::endpoint,
       .required = true,
       .applies_to = {"tcp"},
       .example = "\"127.0.0.1:7302\"",
       .help = "Address to send alerts to, reconnecting when the link drops.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.connect = as_endpoint(v); }});
  add({.section = S::output,
       .key = "queue_bytes",
       .type = T::integer,
       .default_value = std::int64_t{64 * kMiB},
       .min = 64 * kKiB,
       .max = 16 * kGiB,
       .applies_to = {"tcp", "webhook"},
       .example = "67108864",
       .help = "Alerts held while the receiver is slow or away; when it is full the inputs pause "
               "(backpressure) until it has room again.",
       .set =
           +[](OutputConfig& c, const OptionValue& v) { c.queue_bytes = std::size_t(as_int(v)); }});
  add({.section = S::output,
       .key = "reconnect_initial_ms",
       .type = T::integer,
       .default_value = std::int64_t{100},
       .min = 1,
       .max = kHourMs,
       .applies_to = {"tcp", "webhook"},
       .example = "100",
       .help = "First reconnect (tcp) or retry (webhook) delay; doubles (with jitter) up to the "
               "maximum.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.reconnect.initial = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::output,
       .key = "reconnect_max_ms",
       .type = T::integer,
       .default_value = std::int64_t{30000},
       .min = 1,
       .max = kHourMs,
       .applies_to = {"tcp", "webhook"},
       .example = "30000",
       .help = "Longest reconnect or retry delay.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.reconnect.max = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::output,
       .key = "url",
       .type = T::string,
       .required = true,
       .applies_to = {"webhook"},
       .example = "\"http://127.0.0.1:8080/alerts\"",
       .help = "Where alerts are POSTed (`http://` only; https is not supported yet). Extra "
               "request headers go in a `headers` table, e.g. `headers = { Authorization = "
               "\"Bearer ...\" }`.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.url = as_str(v); }});
  add({.section = S::output,
       .key = "batch_max",
       .type = T::integer,
       .default_value = std::int64_t{1},
       .min = 1,
       .max = 10000,
       .applies_to = {"webhook"},
       .example = "100",
       .help = "1: each request carries one alert object. More: a JSON array of up to this many "
               "queued alerts.",
       .set =
           +[](OutputConfig& c, const OptionValue& v) { c.batch_max = std::size_t(as_int(v)); }});
  add({.section = S::output,
       .key = "batch_bytes",
       .type = T::integer,
       .default_value = std::int64_t{kMiB},
       .min = kKiB,
       .max = 256 * kMiB,
       .applies_to = {"webhook"},
       .example = "1048576",
       .help = "Most alert bytes in one batched request (a larger alert still goes alone).",
       .set =
           +[](OutputConfig& c, const OptionValue& v) { c.batch_bytes = std::size_t(as_int(v)); }});
  add({.section = S::output,
       .key = "timeout_ms",
       .type = T::integer,
       .default_value = std::int64_t{10000},
       .min = 1,
       .max = kHourMs,
       .applies_to = {"webhook"},
       .example = "10000",
       .help = "Connecting, and each request until its answer, may take this long; then the "
               "request is retried.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.timeout = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::output,
       .key = "dead_letter",
       .type = T::path,
       .default_doc = "none: refused alerts are only logged and counted",
       .applies_to = {"webhook"},
       .example = "\"/var/lib/newshound/webhook-dead.ndjson\"",
       .help = "NDJSON file for alerts the receiver refused with a 4xx other than 429 (not "
               "retried): the alerts, status, response (truncated) and time.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.dead_letter = as_str(v); }});
  add({.section = S::output,
       .key = "fsync",
       .type = T::choice,
       .default_value = std::string("interval"),
       .choices = {"always", "interval", "never"},
       .example = "\"interval\"",
       .help = "When written data is forced to disk (file outputs, spools): after every write, "
               "at most `fsync_interval_ms` after a write, or when the kernel decides.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.fsync = as_str(v); }});
  add({.section = S::output,
       .key = "fsync_interval_ms",
       .type = T::integer,
       .default_value = std::int64_t{1000},
       .min = 1,
       .max = kHourMs,
       .example = "1000",
       .help = "With `fsync = \"interval\"`: the longest time written data waits for its fsync.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.fsync_interval = std::chrono::milliseconds(as_int(v));
       }});

  add({.section = S::output,
       .key = "spool",
       .type = T::boolean,
       .default_value = false,
       .applies_to = {"file", "tcp", "webhook"},
       .example = "true",
       .help = "Keep alerts the output cannot take right now (down, or queue full) in an on-disk "
               "spool and deliver them in order later, also after a restart or SIGKILL. "
               "Recommended for tcp and webhook outputs.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.spool = as_bool(v); }});
  add({.section = S::output,
       .key = "spool_dir",
       .type = T::path,
       .default_doc = "`STATE_DIR/spool/NAME` (the output's name, characters other than letters, "
                      "digits, `.`, `-`, `_` replaced by `_`)",
       .applies_to = {"file", "tcp", "webhook"},
       .example = "\"/var/lib/newshound/spool/wire-out\"",
       .help = "With `spool = true`: the spool's folder (created if missing), one per output. "
               "Relative to the config's folder.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.spool_dir = as_str(v); }});
  add({.section = S::output,
       .key = "spool_max_bytes",
       .type = T::integer,
       .default_value = std::int64_t{kGiB},
       .min = kMiB,
       .max = 1024 * kGiB,
       .applies_to = {"file", "tcp", "webhook"},
       .example = "1073741824",
       .help = "With `spool = true`: the most disk the spool uses. When it is full the inputs "
               "pause (backpressure) until delivered alerts make room.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.spool_max_bytes = std::uint64_t(as_int(v));
       }});
  add({.section = S::output,
       .key = "lists",
       .type = T::string_array,
       .default_doc = "every list",
       .example = "[\"sanctions\", \"people\"]",
       .help = "Routing: send alerts raised by one of these watch-lists (by name). With `tags` "
               "too, an alert matching either is sent; with neither, every alert is.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.lists = std::get<std::vector<std::string>>(v);
       }});
  add({.section = S::output,
       .key = "tags",
       .type = T::string_array,
       .default_doc = "every tag",
       .example = "[\"desk:sanctions\"]",
       .help = "Routing: send alerts carrying one of these tags (the tags of the lists that hit).",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.tags = std::get<std::vector<std::string>>(v);
       }});

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
  return t;
}

std::string_view doc_type(const OptionSpec& s) {
  switch (s.type) {
    case OptionType::integer:
      return "integer";
    case OptionType::boolean:
      return "boolean";
    case OptionType::string:
      return "string";
    case OptionType::choice:
      return "string";
    case OptionType::endpoint:
      return "`\"host:port\"`";
    case OptionType::path:
      return "path";
    case OptionType::json_pointer:
      return "JSON Pointer";
    case OptionType::string_array:
      return "array of strings";
  }
  return "";
}

std::string join(const std::vector<std::string_view>& items, std::string_view sep,
                 std::string_view quote = "") {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) s += sep;
    s += quote;
    s += items[i];
    s += quote;
  }
  return s;
}

std::string_view section_noun(ConfigSection s) {
  return s == ConfigSection::output ? "outputs" : "inputs";
}

}  // namespace

const std::vector<OptionSpec>& config_options() {
  static const std::vector<OptionSpec> table = build_table();
  return table;
}

std::string_view section_title(ConfigSection s) {
  switch (s) {
    case ConfigSection::top:
      return "the top level";
    case ConfigSection::log:
      return "[log]";
    case ConfigSection::admin:
      return "[admin]";
    case ConfigSection::input:
      return "[[input]]";
    case ConfigSection::input_fields:
      return "[input.fields]";
    case ConfigSection::output:
      return "[[output]]";
    case ConfigSection::watchlist:
      return "[[watchlist]]";
  }
  return "";
}

std::string_view option_type_text(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::integer:
      return "an integer";
    case OptionType::boolean:
      return "a boolean (true or false)";
    case OptionType::string:
      return "a string";
    case OptionType::choice:
      return "a string";
    case OptionType::endpoint:
      return "a \"host:port\" string";
    case OptionType::path:
      return "a path string";
    case OptionType::json_pointer:
      return "a JSON Pointer string";
    case OptionType::string_array:
      return "an array of strings";
  }
  return "";
}

std::string option_default_text(const OptionSpec& spec) {
  if (spec.required) return "required";
  if (!spec.default_doc.empty()) return std::string(spec.default_doc);
  const OptionValue& v = spec.default_value;
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    std::string s = "`" + std::to_string(*i) + "`";
    if (*i >= kMiB && *i % kMiB == 0) {
      s += " (" + std::to_string(*i / kMiB) + " MiB)";
    } else if (*i >= kKiB && *i % kKiB == 0 && spec.key.ends_with("_bytes")) {
      s += " (" + std::to_string(*i / kKiB) + " KiB)";
    }
    return s;
  }
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "`true`" : "`false`";
  if (const auto* str = std::get_if<std::string>(&v)) return "`\"" + *str + "\"`";
  if (const auto* ep = std::get_if<Endpoint>(&v)) return "`\"" + ep->to_string() + "\"`";
  if (std::holds_alternative<std::vector<std::string>>(v)) return "`[]`";
  return "none";
}

std::string config_reference_markdown() {
  const ConfigSection order[] = {ConfigSection::top,          ConfigSection::log,
                                 ConfigSection::admin,        ConfigSection::input,
                                 ConfigSection::input_fields, ConfigSection::output,
                                 ConfigSection::watchlist};
  std::string md;
  for (ConfigSection sec : order) {
    if (!md.empty()) md += '\n';
    md += sec == ConfigSection::top ? std::string("### Top level\n")
                                    : "### `" + std::string(section_title(sec)) + "`\n";
    md += "\n| Key | Type | Default | Description |\n|---|---|---|---|\n";
    for (const OptionSpec& s : config_options()) {
      if (s.section != sec) continue;
      std::string type(doc_type(s));
      if (s.type == OptionType::integer) {
        type += ", " + std::to_string(s.min) + " to " + std::to_string(s.max);
      } else if (s.type == OptionType::choice) {
        type += ": " + join(s.choices, ", ", "`");
      }
      std::string def = option_default_text(s);
      if (s.required) def = "**required**";
      std::string help(s.help);
      if (!s.applies_to.empty()) {
        help += " *Only for " + join(s.applies_to, ", ", "`") + " " +
                std::string(section_noun(sec)) + ".*";
      }
      for (std::size_t at = help.find('|'); at != std::string::npos; at = help.find('|', at + 2)) {
        help.insert(at, 1, '\\');  // a bare '|' would end the table cell
      }
      md += "| `" + std::string(s.key) + "` | " + type + " | " + def + " | " + help + " |\n";
    }
  }
  return md;
}

}  // namespace newshound
