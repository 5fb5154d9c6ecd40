// Config: the option table's entries only NATS JetStream inputs and outputs have
// (see config/options.hpp for what an entry holds): the credentials both share
// (written once, for each section, by add_nats_credentials), the output's
// subject and publish window, and the input's stream, consumer and ack settings.
// `url`, `tls` and the queue and spool keys are the ones other types share.
#include <string>
#include <vector>

#include "option_sections.hpp"

namespace newshound::config_table {

namespace {

nats::ConnectOptions& output_nats(OutputConfig& c) {
  return c.jetstream.connect;
}
nats::ConnectOptions& input_nats(InputConfig& c) {
  return c.jetstream.connect;
}

/// creds_file, token_file (unless the section has one already, shared with
/// another type), user and password_file for `section`'s jetstream type.
template <class Cfg, nats::ConnectOptions& (*Nats)(Cfg&)>
void add_nats_credentials(std::vector<OptionSpec>& t, ConfigSection section, bool token_key) {
  using T = OptionType;
  t.push_back({.section = section,
               .key = "creds_file",
               .type = T::path,
               .default_doc = "none",
               .applies_to = {"jetstream"},
               .example = "\"/etc/newshound/nats.creds\"",
               .help = "NATS credentials file (JWT and NKey seed) to connect with.",
               .set = +[](Cfg& c, const OptionValue& v) { Nats(c).creds_file = as_str(v); }});
  if (token_key)
    t.push_back({.section = section,
                 .key = "token_file",
                 .type = T::path,
                 .default_doc = "none",
                 .applies_to = {"jetstream"},
                 .example = "\"/etc/newshound/nats.token\"",
                 .help = "File holding the NATS server's authorization token (one line).",
                 .set = +[](Cfg& c, const OptionValue& v) { Nats(c).token_file = as_str(v); }});
  t.push_back({.section = section,
               .key = "user",
               .type = T::string,
               .default_doc = "none",
               .applies_to = {"jetstream"},
               .example = "\"newshound\"",
               .help = "NATS user name, with `password_file`.",
               .set = +[](Cfg& c, const OptionValue& v) { Nats(c).user = as_str(v); }});
  t.push_back({.section = section,
               .key = "password_file",
               .type = T::path,
               .default_doc = "none",
               .applies_to = {"jetstream"},
               .example = "\"/etc/newshound/nats.password\"",
               .help = "File holding `user`'s NATS password (one line).",
               .set = +[](Cfg& c, const OptionValue& v) { Nats(c).password_file = as_str(v); }});
}

}  // namespace

void add_jetstream_output_options(std::vector<OptionSpec>& t) {
  using S = ConfigSection;
  using T = OptionType;
  auto add = [&t](OptionSpec s) { t.push_back(std::move(s)); };
  add({.section = S::output,
       .key = "subject",
       .type = T::string,
       .default_value = std::string("newshound.alerts"),
       .applies_to = {"jetstream"},
       .example = "\"alerts.{list}\"",
       .help = "NATS subject each alert is published to; `{list}` is replaced by the name of "
               "the alert's first list. A JetStream stream must capture it.",
       .set = +[](OutputConfig& c, const OptionValue& v) { c.jetstream.subject = as_str(v); }});
  add({.section = S::output,
       .key = "max_pending",
       .type = T::integer,
       .default_value = std::int64_t{4096},
       .min = 1,
       .max = 1 << 20,
       .applies_to = {"jetstream"},
       .example = "4096",
       .help = "Alerts published and awaiting the server's publish ack at most.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.jetstream.max_pending = std::size_t(as_int(v));
       }});
  add({.section = S::output,
       .key = "ack_wait_ms",
       .type = T::integer,
       .default_value = std::int64_t{10000},
       .min = 100,
       .max = kHourMs,
       .applies_to = {"jetstream"},
       .example = "10000",
       .help = "A publish without its ack after this long counts as failed: the output "
               "reconnects and publishes every unacknowledged alert again (the server drops "
               "duplicates by Nats-Msg-Id).",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.jetstream.ack_wait = std::chrono::milliseconds(as_int(v));
       }});
  add_nats_credentials<OutputConfig, output_nats>(t, S::output, true);
}

void add_jetstream_input_options(std::vector<OptionSpec>& t) {
  using S = ConfigSection;
  using T = OptionType;
  auto add = [&t](OptionSpec s) { t.push_back(std::move(s)); };
  add({.section = S::input,
       .key = "stream",
       .type = T::string,
       .required = true,
       .applies_to = {"jetstream"},
       .example = "\"ARTICLES\"",
       .help = "The JetStream stream the articles are in (one article per message).",
       .set = +[](InputConfig& c, const OptionValue& v) { c.jetstream.stream = as_str(v); }});
  add({.section = S::input,
       .key = "subject",
       .type = T::string,
       .default_doc = "the whole stream",
       .applies_to = {"jetstream"},
       .example = "\"articles.>\"",
       .help = "Only the stream's messages on this subject (the consumer's filter).",
       .set = +[](InputConfig& c, const OptionValue& v) { c.jetstream.subject = as_str(v); }});
  add({.section = S::input,
       .key = "durable",
       .type = T::string,
       .default_value = std::string("newshound"),
       .applies_to = {"jetstream"},
       .example = "\"newshound\"",
       .help = "The durable pull consumer's name: created if missing, bound to if it exists. "
               "Daemons with the same `durable` share the stream's articles.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.jetstream.durable = as_str(v); }});
  add({.section = S::input,
       .key = "batch",
       .type = T::integer,
       .default_value = std::int64_t{64},
       .min = 1,
       .max = 10000,
       .applies_to = {"jetstream"},
       .example = "64",
       .help = "Messages fetched at a time (one batch for the matching workers).",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.jetstream.batch = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "max_ack_pending",
       .type = T::integer,
       .default_value = std::int64_t{1024},
       .min = 1,
       .max = 1000000,
       .applies_to = {"jetstream"},
       .example = "1024",
       .help = "Messages delivered to this consumer and not yet acknowledged, at most; this "
               "daemon also keeps at most max(1, max_ack_pending / batch) fetches in flight, so "
               "a stalled output slows the consumer instead of growing memory. With "
               "`memory_budget_bytes`, max_ack_pending x max_line_bytes counts against it.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.jetstream.max_ack_pending = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "ack_wait_ms",
       .type = T::integer,
       .default_value = std::int64_t{30000},
       .min = 100,
       .max = kHourMs,
       .applies_to = {"jetstream"},
       .example = "30000",
       .help = "A message not acknowledged this long is delivered again (to any daemon on the "
               "consumer); `in progress` is sent for held ones every third of it.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.jetstream.ack_wait = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::input,
       .key = "max_deliver",
       .type = T::integer,
       .default_value = std::int64_t{5},
       .min = 1,
       .max = 1000000,
       .applies_to = {"jetstream"},
       .example = "5",
       .help = "Deliveries of one message at most; then the server gives up on it.",
       .set = +[](InputConfig& c, const OptionValue& v) { c.jetstream.max_deliver = as_int(v); }});
  add({.section = S::input,
       .key = "dead_letter_subject",
       .type = T::string,
       .default_doc = "none (only terminated and counted)",
       .applies_to = {"jetstream"},
       .example = "\"articles.dead\"",
       .help = "A message that does not decode, or is longer than `max_line_bytes`, is "
               "terminated (never redelivered) and published here, with the header "
               "`Newshound-Refused` giving the reason.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.jetstream.dead_letter_subject = as_str(v);
       }});
  add_nats_credentials<InputConfig, input_nats>(t, S::input, false);
}

}  // namespace newshound::config_table
