// Config: the option table's entries for [[output]], every output type's keys
// (see config/options.hpp for what an entry holds).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "option_sections.hpp"

namespace newshound::config_table {

/// A webhook header must be an HTTP field name (RFC 9110 token) that newshound
/// does not set itself, with a value that cannot end the header line.
EntryProblem header_problem(std::string_view name, std::string_view value) {
  static constexpr std::string_view kReserved[] = {"host", "content-type", "content-length",
                                                   "connection", "transfer-encoding"};
  const std::string quoted = "\"" + std::string(name) + "\"";
  const bool token = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
  });
  if (!token)
    return {
        "header name " + quoted + " is not a valid HTTP field name; use letters, digits and '-'",
        true};
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (std::find(std::begin(kReserved), std::end(kReserved), lower) != std::end(kReserved))
    return {"header " + quoted + " is set by newshound itself; remove it", true};
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
    return {"header " + quoted + " must not contain line breaks; remove them", false};
  return {};
}

void add_output_options(std::vector<OptionSpec>& t) {
  using S = ConfigSection;
  using T = OptionType;
  auto add = [&t](OptionSpec s) { t.push_back(std::move(s)); };

  // ---- [[output]] ------------------------------------------------------------
  add({.section = S::output,
       .key = "type",
       .type = T::choice,
       .required = true,
       .choices = {"stdout", "file", "tcp", "webhook", "jetstream"},
       .example = "\"stdout\"",
       .help = "Where alerts go: `stdout`, `file` (append) or `tcp` (client), one NDJSON line "
               "each; `webhook` (HTTP POST of JSON); or `jetstream` (one NATS JetStream "
               "message per alert, de-duplicated by alert id: docs/scaling.md).",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.type = as_str(v); }});
  add({.section = S::output,
       .key = "name",
       .type = T::string,
       .default_doc = "`stdout`, `file:PATH`, `tcp:HOST:PORT`, `webhook:URL` or `jetstream:URL`",
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
       .set = +[](OutputConfig& c, const OptionValue& v) { c.file.path = as_str(v); }});
  add({.section = S::output,
       .key = "connect",
       .type = T::endpoint,
       .required = true,
       .applies_to = {"tcp"},
       .example = "\"127.0.0.1:7302\"",
       .help = "Address to send alerts to, reconnecting when the link drops.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.tcp.host = as_endpoint(v).host;
         c.tcp.port = as_endpoint(v).port;
       }});
  add({.section = S::output,
       .key = "queue_bytes",
       .type = T::integer,
       .default_value = std::int64_t{64 * kMiB},
       .min = 64 * kKiB,
       .max = 16 * kGiB,
       .applies_to = {"file", "tcp", "webhook", "jetstream"},
       .example = "67108864",
       .help = "Alerts held while the receiver is slow or away (or the disk full); when it is full "
               "the inputs pause "
               "(backpressure) until it has room again.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         for (QueueOptions* q :
              {&c.file.queue, &c.tcp.queue, &c.webhook.queue, &c.jetstream.queue, &c.stdout_.queue})
           q->queue_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::output,
       .key = "reconnect_initial_ms",
       .type = T::integer,
       .default_value = std::int64_t{100},
       .min = 1,
       .max = kHourMs,
       .applies_to = {"file", "tcp", "webhook", "jetstream"},
       .example = "100",
       .help = "First reconnect (tcp) or retry (webhook; file after a failed open, write or "
               "sync) delay; doubles (with jitter) up to the maximum.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.file.queue.backoff.initial = c.tcp.queue.backoff.initial =
             c.webhook.queue.backoff.initial = c.jetstream.queue.backoff.initial =
                 std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::output,
       .key = "reconnect_max_ms",
       .type = T::integer,
       .default_value = std::int64_t{30000},
       .min = 1,
       .max = kHourMs,
       .applies_to = {"file", "tcp", "webhook", "jetstream"},
       .example = "30000",
       .help = "Longest reconnect or retry delay.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.file.queue.backoff.max = c.tcp.queue.backoff.max = c.webhook.queue.backoff.max =
             c.jetstream.queue.backoff.max = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::output,
       .key = "url",
       .type = T::string,
       .required = true,
       .applies_to = {"webhook", "jetstream"},
       .example = "\"http://127.0.0.1:8080/alerts\"",
       .help = "webhook: where alerts are POSTed, `http://` or `https://` (TLS; see the `tls` "
               "table). jetstream: the NATS server, `nats://host:4222`, or several "
               "comma-separated (a cluster).",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.webhook.url_text = c.jetstream.connect.url = as_str(v);
       }});
  add({.section = S::output,
       .key = "headers",
       .type = T::string_table,
       .default_doc = "none",
       .applies_to = {"webhook"},
       .example = "{ Authorization = \"Bearer ...\" }",
       .help = "Extra HTTP request headers, names to values (or an `[output.headers]` table "
               "below the `[[output]]`). `Host`, `Content-Type`, `Content-Length`, `Connection` "
               "and `Transfer-Encoding` are set by newshound and refused here.",
       .set = +[](OutputConfig& c,
                  const OptionValue& v) { c.webhook.headers = std::get<StringTable>(v); },
       .check_entry = header_problem});
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
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.webhook.batch_max = std::size_t(as_int(v));
       }});
  add({.section = S::output,
       .key = "batch_bytes",
       .type = T::integer,
       .default_value = std::int64_t{kMiB},
       .min = kKiB,
       .max = 256 * kMiB,
       .applies_to = {"webhook"},
       .example = "1048576",
       .help = "Most alert bytes in one batched request (a larger alert still goes alone).",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.webhook.batch_bytes = std::size_t(as_int(v));
       }});
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
         c.webhook.timeout = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::output,
       .key = "ack",
       .type = T::boolean,
       .default_value = false,
       .applies_to = {"tcp"},
       .example = "true",
       .help = "Acknowledged delivery: the receiver answers each alert line with "
               "`{\"ack\":\"<alert id>\"}` once it has it for good; an alert counts as sent (and "
               "its article may be acknowledged to the feed) only then, and what is unacknowledged "
               "when the connection drops is sent again. See docs/operations.md.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.tcp.ack = as_bool(v); }});
  add({.section = S::output,
       .key = "max_unacked",
       .type = T::integer,
       .default_value = std::int64_t{4096},
       .min = 1,
       .max = 1 << 20,
       .applies_to = {"tcp"},
       .example = "4096",
       .help = "With `ack = true`: alerts written and not yet acknowledged at most; beyond it the "
               "output waits for acknowledgements (its queue, then spool or backpressure, takes "
               "the rest).",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.tcp.max_unacked = std::size_t(as_int(v));
       }});
  add({.section = S::output,
       .key = "dead_letter",
       .type = T::path,
       .default_doc = "none: refused alerts are only logged and counted",
       .applies_to = {"webhook"},
       .example = "\"/var/lib/newshound/webhook-dead.ndjson\"",
       .help = "NDJSON file for alerts the receiver refused with a 4xx other than 429 (not "
               "retried): the alerts, status, response (truncated) and time.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.webhook.dead_letter = as_str(v); }});
  add({.section = S::output,
       .key = "fsync",
       .type = T::choice,
       .default_value = std::string("interval"),
       .choices = {"always", "interval", "never"},
       .example = "\"interval\"",
       .help = "When written data is forced to disk (file outputs, spools): after every write, "
               "at most `fsync_interval_ms` after a write, or when the kernel decides.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         // A choice: the loader has checked it is one of the three.
         c.file.fsync = c.spool.options.fsync =
             parse_fsync_policy(as_str(v)).value_or(FsyncPolicy::interval);
       }});
  add({.section = S::output,
       .key = "fsync_interval_ms",
       .type = T::integer,
       .default_value = std::int64_t{1000},
       .min = 1,
       .max = kHourMs,
       .example = "1000",
       .help = "With `fsync = \"interval\"`: the longest time written data waits for its fsync.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.file.fsync_interval = c.spool.fsync_interval = std::chrono::milliseconds(as_int(v));
       }});

  add({.section = S::output,
       .key = "spool",
       .type = T::boolean,
       .default_value = false,
       .applies_to = {"file", "tcp", "webhook", "jetstream"},
       .example = "true",
       .help = "Keep alerts the output cannot take right now (down, or queue full) in an on-disk "
               "spool and deliver them in order later, also after a restart or SIGKILL. "
               "Recommended for tcp and webhook outputs.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.spool.enabled = as_bool(v); }});
  add({.section = S::output,
       .key = "spool_dir",
       .type = T::path,
       .default_doc = "`STATE_DIR/spool/NAME` (the output's name, characters other than letters, "
                      "digits, `.`, `-`, `_` replaced by `_`)",
       .applies_to = {"file", "tcp", "webhook", "jetstream"},
       .example = "\"/var/lib/newshound/spool/wire-out\"",
       .help = "With `spool = true`: the spool's folder (created if missing), one per output. "
               "Relative to the config's folder. An existing folder must hold only spool "
               "files (`check` refuses one with other files, such as the config's folder).",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.spool.options.dir = as_str(v); }});
  add({.section = S::output,
       .key = "spool_max_bytes",
       .type = T::integer,
       .default_value = std::int64_t{kGiB},
       .min = kMiB,
       .max = 1024 * kGiB,
       .applies_to = {"file", "tcp", "webhook", "jetstream"},
       .example = "1073741824",
       .help = "With `spool = true`: the most disk the spool uses. When it is full the inputs "
               "pause (backpressure) until delivered alerts make room.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.spool.options.max_bytes = std::uint64_t(as_int(v));
       }});
  add_jetstream_output_options(t);
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
  add({.section = S::output,
       .key = "max_matches_per_alert",
       .type = T::integer,
       .default_doc = "the top-level max_matches_per_alert",
       .min = 1,
       .max = 1000 * 1000,
       .example = "50",
       .help = "This output's own bound on the matches one alert lists (see the top-level key). "
               "An output with smaller bounds than the others gets the alert cut for it; a "
               "larger one raises how many matches are collected per article.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.max_matches_per_alert = std::size_t(as_int(v));
       }});
  add({.section = S::output,
       .key = "max_alert_bytes",
       .type = T::integer,
       .default_doc = "the top-level max_alert_bytes",
       .min = 4 * kKiB,
       .max = kGiB,
       .example = "65536",
       .help = "This output's own bound on the bytes of one alert's JSON line (see the top-level "
               "key), e.g. for a chat webhook that refuses large bodies.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.max_alert_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::output,
       .key = "snippets",
       .type = T::boolean,
       .default_value = true,
       .example = "false",
       .help = "Whether this output's alerts carry each match's `snippet` (the words around "
               "it). `false` for a consumer that does not read them: its alerts leave the field "
               "out, and when no output wants snippets they are not rendered at all, which "
               "makes articles with many matches much cheaper (docs/alerts.md, Snippets).",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.snippets = as_bool(v); }});
}

}  // namespace newshound::config_table
