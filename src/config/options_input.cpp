// Config: the option table's entries for [[input]] and its field mapping
// [input.fields] (see config/options.hpp for what an entry holds).
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "option_sections.hpp"

namespace newshound::config_table {
namespace {

/// `listen` or `connect`: the mode and the address of a tcp input. With both
/// (an error the loader reports), `connect` is kept whatever the key order, so
/// the default name is "tcp-connect:..." as it always was.
void set_address(InputConfig& c, TcpInput::Mode mode, const Endpoint& ep) {
  if (mode == TcpInput::Mode::listen && c.mode == TcpInput::Mode::connect) return;
  c.mode = mode;
  c.tcp.host = ep.host;
  c.tcp.port = ep.port;
}

}  // namespace

void add_input_options(std::vector<OptionSpec>& t) {
  using S = ConfigSection;
  using T = OptionType;
  auto add = [&t](OptionSpec s) { t.push_back(std::move(s)); };

  // ---- [[input]] -------------------------------------------------------------
  add({.section = S::input,
       .key = "type",
       .type = T::choice,
       .required = true,
       .choices = {"tcp", "directory", "feed", "http", "jetstream"},
       .example = "\"tcp\"",
       .help = "Input kind. `tcp`: newline-delimited JSON articles over TCP. `directory`: a "
               "drop folder, one file per article (see docs/operations.md, Drop folder). "
               "`feed`: RSS/Atom feeds polled over HTTP (see Feeds (RSS/Atom)). `http`: "
               "articles POSTed over HTTP (NDJSON, JSON, NewsML-G2), answered once accepted. "
               "`jetstream`: a NATS JetStream stream through a durable pull consumer several "
               "daemons may share (docs/scaling.md).",
       .set = +[](InputConfig& c, const OptionValue& v) { c.type = as_str(v); }});
  add({.section = S::input,
       .key = "name",
       .type = T::string,
       .default_doc = "`tcp-listen:HOST:PORT`, `tcp-connect:HOST:PORT`, `directory:PATH` or "
                      "`http:HOST:PORT`",
       .example = "\"wire-main\"",
       .help = "Name used in logs and metrics; unique among inputs.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.name = as_str(v); }});
  add({.section = S::input,
       .key = "listen",
       .type = T::endpoint,
       .default_doc = "none",
       .example = "\"127.0.0.1:7301\"",
       .help = "Accept feed connections on this address. A tcp input has exactly one of `listen` "
               "and `connect`.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         set_address(c, TcpInput::Mode::listen, as_endpoint(v));
       }});
  add({.section = S::input,
       .key = "connect",
       .type = T::endpoint,
       .default_doc = "none",
       .example = "\"wire.example.net:7301\"",
       .help = "Connect to a feed server at this address, reconnecting when the link drops.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         set_address(c, TcpInput::Mode::connect, as_endpoint(v));
       }});
  add({.section = S::input,
       .key = "max_line_bytes",
       .type = T::integer,
       .default_value = std::int64_t{kMiB},
       .min = kKiB,
       .max = kGiB,
       .example = "1048576",
       .help = "Longer lines are dropped and counted as `too_large`; the connection stays up. "
               "Directory inputs: the default of `max_file_bytes`. `http`: the largest article "
               "of a body, larger ones are rejected as `too_large`. `jetstream`: a longer message "
               "is terminated, counted as oversize and dead-lettered like one that does not "
               "decode.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.tcp.max_line_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "max_connections",
       .type = T::integer,
       .default_value = std::int64_t{256},
       .min = 1,
       .max = 65536,
       .applies_to = {"listen", "http"},
       .example = "256",
       .help = "Clients beyond this many at once are refused.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.tcp.max_connections = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "max_inflight_bytes",
       .type = T::integer,
       .default_value = std::int64_t{4 * kMiB},
       .min = 64 * kKiB,
       .max = kGiB,
       .example = "4194304",
       .help = "Per connection: line bytes read but not yet accepted by every output. Beyond "
               "this (or 4 batches) reading pauses, so TCP flow control slows the feed. `http`: "
               "for the whole input, with `max_body_bytes` as its least; a body that does not "
               "fit gets 503.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.tcp.max_inflight_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "idle_timeout_ms",
       .type = T::integer,
       .default_value = std::int64_t{300000},
       .min = 0,
       .max = 24 * kHourMs,
       .applies_to = {"listen", "http"},
       .example = "300000",
       .help = "Close a client that sent nothing for this long (counted); 0 never closes one.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.tcp.idle_timeout = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::input,
       .key = "ack",
       .type = T::boolean,
       .default_value = false,
       .applies_to = {"listen"},
       .example = "true",
       .help = "Acknowledged mode: write `{\"ack\":\"<article id>\"}` back on the connection, in "
               "order, once every alert of the article was delivered by every output it routes to.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.tcp.ack = as_bool(v); }});
  add({.section = S::input,
       .key = "accept_alerts",
       .type = T::boolean,
       .default_value = false,
       .example = "true",
       .help = "Read lines that are newshound alerts (top-level `rules_version` and `matches`) "
               "as articles. Off, they are skipped and counted as `looks_like_alert`: an "
               "output wired back into an input would otherwise loop for ever.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.fields.accept_alerts = as_bool(v); }});
  add({.section = S::input,
       .key = "reconnect_initial_ms",
       .type = T::integer,
       .default_value = std::int64_t{100},
       .min = 1,
       .max = kHourMs,
       .applies_to = {"connect", "jetstream"},
       .example = "100",
       .help = "First reconnect delay; doubles (with jitter) up to the maximum.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.jetstream.backoff.initial = std::chrono::milliseconds(as_int(v));
         c.tcp.reconnect.initial = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::input,
       .key = "reconnect_max_ms",
       .type = T::integer,
       .default_value = std::int64_t{30000},
       .min = 1,
       .max = kHourMs,
       .applies_to = {"connect", "jetstream"},
       .example = "30000",
       .help = "Longest reconnect delay.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.jetstream.backoff.max = std::chrono::milliseconds(as_int(v));
         c.tcp.reconnect.max = std::chrono::milliseconds(as_int(v));
       }});

  // ---- [[input]] type = "directory" (the drop folder) -------------------------
  const std::vector<std::string_view> dir = {"directory"};
  // `path` is the one key both take: a folder, or a URL path (read unresolved by
  // check_http_input); required for a directory input (load_drop_folder).
  add({.section = S::input,
       .key = "path",
       .type = T::path,
       .default_doc = "required for `directory`; `/v1/articles` for `http`",
       .applies_to = {"directory", "http"},
       .example = "\"/srv/newshound/drop\"",
       .help = "`directory`: the drop folder: every file written there (closed, or renamed in) "
               "is one article, a JSON array of articles, or NDJSON articles one per line. "
               "Must exist and be writable. "
               "`http`: the URL path articles are POSTed to; other paths get 404.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.directory.path = as_str(v); }});
  add({.section = S::input,
       .key = "done_dir",
       .type = T::path,
       .default_doc = "`<path>/.done`",
       .applies_to = dir,
       .example = "\"/srv/newshound/done\"",
       .help = "Accepted files (every alert delivered or spooled) move here; created if "
               "missing. On the same filesystem as `path` (moves are renames).",
       .set = +[](InputConfig& c, const OptionValue& v) { c.directory.done_dir = as_str(v); }});
  add({.section = S::input,
       .key = "failed_dir",
       .type = T::path,
       .default_doc = "`<path>/.failed`",
       .applies_to = dir,
       .example = "\"/srv/newshound/failed\"",
       .help = "Files that cannot be read or decoded move here with a `<name>.reason` file "
               "beside them; created if missing; same filesystem as `path`.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.directory.failed_dir = as_str(v); }});
  add({.section = S::input,
       .key = "delete",
       .type = T::boolean,
       .default_value = false,
       .applies_to = dir,
       .example = "true",
       .help = "Delete accepted files instead of moving them to `done_dir`.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.directory.delete_done = as_bool(v); }});
  add({.section = S::input,
       .key = "max_file_bytes",
       .type = T::integer,
       .default_doc = "`max_line_bytes`",
       .min = 1,
       .max = kGiB,
       .applies_to = dir,
       .example = "1048576",
       .help = "Larger files are moved to `failed_dir` unread.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.directory.max_file_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "max_files_inflight",
       .type = T::integer,
       .default_value = std::int64_t{16},
       .min = 1,
       .max = 4096,
       .applies_to = dir,
       .example = "16",
       .help = "Files read but not yet accepted by every output (also bounded by "
               "`max_inflight_bytes`); further files wait in the folder.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.directory.max_files_inflight = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "ignore",
       .type = T::string_array,
       .default_value = std::vector<std::string>{".*", "*.tmp"},
       .default_doc = "`[\".*\", \"*.tmp\"]`",
       .applies_to = dir,
       .example = "[\".*\", \"*.tmp\", \"*.part\"]",
       .help = "Names never read (fnmatch patterns): write a file as `*.tmp` or a dot-file and "
               "rename it when complete.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.directory.ignore = std::get<std::vector<std::string>>(v);
       }});
  add({.section = S::input,
       .key = "retry_ms",
       .type = T::integer,
       .default_value = std::int64_t{5000},
       .min = 10,
       .max = kHourMs,
       .applies_to = dir,
       .example = "5000",
       .help = "A file not wholly accepted (an output removed, a matcher failure) or that "
               "could not be moved is tried again after this long.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.directory.retry = std::chrono::milliseconds(as_int(v));
       }});

  // ---- [[input]] type = "http" ----------------------------------------------
  add({.section = S::input,
       .key = "max_body_bytes",
       .type = T::integer,
       .default_value = std::int64_t{16 * kMiB},
       .min = kKiB,
       .max = kGiB,
       .applies_to = {"http"},
       .example = "16777216",
       .help = "Larger request bodies get 413, unread. Counts toward `memory_budget_bytes`.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.http.max_body_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "accept_timeout_ms",
       .type = T::integer,
       .default_value = std::int64_t{30000},
       .min = 100,
       .max = kHourMs,
       .applies_to = {"http"},
       .example = "30000",
       .help = "How long a request waits for its articles to be accepted by every output "
               "before it gets 503 with Retry-After (the client sends them again).",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.http.accept_timeout = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::input,
       .key = "token_file",
       .type = T::path,
       .default_doc = "none (no token needed)",
       .applies_to = {"http", "jetstream"},
       .example = "\"/etc/newshound/push.token\"",
       .help = "http: file holding a bearer token (one line) every request must carry as "
               "`Authorization: Bearer <token>`, else 401; as `[admin] token_file`. jetstream: "
               "file holding the NATS server's authorization token (one line).",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.http.token_file = as_str(v);
         c.jetstream.connect.token_file = as_str(v);
       }});

  add_feed_input_options(t);
  add_jetstream_input_options(t);

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
    OptionType type = OptionType::json_pointer;
  };
  const Field fields[] = {
      {"id", "\"/guid\"", "Article id; without one, an id is made from the text.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.id = as_str(v); }},
      {"headline", "\"/title\"",
       "Headline text; several pointers: the first that resolves is the main headline, "
       "the others further headlines.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.headline = as_strs(v); },
       T::json_pointers},
      {"body_text", "\"/content/text\"",
       "Plain-text body; several pointers: the first that resolves (before body_html) is "
       "the main body, the others further bodies.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.body_text = as_strs(v); },
       T::json_pointers},
      {"body_html", "\"/content/html\"",
       "HTML body (tags and entities are stripped); several pointers as for body_text.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.body_html = as_strs(v); },
       T::json_pointers},
      {"description", "[\"/summary\", \"/media/0/caption\"]",
       "Descriptions (summaries, captions), matched as `description`; HTML when a value "
       "starts with a tag.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.description = as_strs(v); },
       T::json_pointers},
      {"versioncreated", "\"/published\"", "Publication time, copied into alerts.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.versioncreated = as_str(v); }},
      {"language", "\"/lang\"", "Language tag, copied into alerts; topic filter `lang:`.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.language = as_str(v); }},
      {"source", "\"/publisher/name\"",
       "Who supplied the article (a string); topic filter `source:`.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.source = as_str(v); }},
      {"subject", "\"/category\"",
       "One subject code or name (a string), added to the article's subjects; topic filter "
       "`subject:`.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.subject = as_str(v); }},
      {"type", "\"/kind\"", "Item type (text, picture, ...); topic filter `type:`.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.type = as_str(v); }},
      {"located", "\"/dateline/city\"",
       "Where the story happened (the dateline's place); topic filter `located:`.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.located = as_str(v); }},
      {"urgency", "\"/priority\"",
       "Urgency, 1 (most urgent) to 9: an integer or a one-digit string; topic filter "
       "`urgency:`.",
       +[](InputConfig& c, const OptionValue& v) { c.fields.urgency = as_str(v); }},
  };
  for (const Field& f : fields) {
    add({.section = S::input_fields,
         .key = f.key,
         .type = f.type,
         .default_doc = "not mapped",
         .example = f.example,
         .help = f.help,
         .set = f.set});
  }
}

}  // namespace newshound::config_table
