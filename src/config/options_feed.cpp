// Config: the option table's entries of a polled-feed input ([[input]] type =
// "feed"), stored into InputConfig::feed (FeedInputOptions).
#include <chrono>
#include <string>
#include <vector>

#include "option_sections.hpp"

namespace newshound::config_table {

void add_feed_input_options(std::vector<OptionSpec>& t) {
  using S = ConfigSection;
  using T = OptionType;
  auto add = [&t](OptionSpec s) { t.push_back(std::move(s)); };
  add({.section = S::input,
       .key = "url",
       .type = T::string,
       .default_doc = "none",
       .applies_to = {"feed", "jetstream"},
       .example = "\"https://news.example.net/rss.xml\"",
       .help = "Feed input: the RSS or Atom feed to poll, `http://` or `https://` (TLS as the "
               "input's `tls` table says). At least one of `url`, `urls` and `opml_file`. "
               "JetStream input (required): the NATS server, `nats://host:4222`, or several "
               "comma-separated (a cluster).",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.jetstream.connect.url = as_str(v);
         c.feed.urls.insert(c.feed.urls.begin(), as_str(v));
       }});
  add({.section = S::input,
       .key = "urls",
       .type = T::string_array,
       .default_doc = "none",
       .applies_to = {"feed"},
       .example = "[\"http://a.example/rss\", \"http://b.example/atom.xml\"]",
       .help = "Feed input: several feeds to poll, one request at a time per host.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         for (const auto& u : as_strs(v)) c.feed.urls.push_back(u);
       }});
  add({.section = S::input,
       .key = "opml_file",
       .type = T::path,
       .default_doc = "none",
       .applies_to = {"feed"},
       .example = "\"feeds.opml\"",
       .help = "Feed input: an OPML 1.0/2.0 export (nested folders read); every outline's "
               "`xmlUrl` is polled. Read when the input starts (a reload that changes the "
               "input's settings starts it again).",
       .set = +[](InputConfig& c, const OptionValue& v) { c.feed.opml_file = as_str(v); }});
  add({.section = S::input,
       .key = "interval_ms",
       .type = T::integer,
       .default_value = std::int64_t{60000},
       .min = 10,
       .max = 24 * kHourMs,
       .applies_to = {"feed"},
       .example = "60000",
       .help = "Feed input: time between polls of each feed, +/- 10 % jitter (longer after "
               "429/503 or as Retry-After asks).",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.feed.interval = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::input,
       .key = "timeout_ms",
       .type = T::integer,
       .default_value = std::int64_t{30000},
       .min = 10,
       .max = kHourMs,
       .applies_to = {"feed"},
       .example = "30000",
       .help = "Feed input: the longest one request may take, connect to last byte.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.feed.timeout = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::input,
       .key = "max_bytes",
       .type = T::integer,
       .default_value = std::int64_t{16 * kMiB},
       .min = kKiB,
       .max = kGiB,
       .applies_to = {"feed"},
       .example = "16777216",
       .help = "Feed input: the largest feed document read (after gunzip); a longer one (or an "
               "endless body) is cut off and counted as `too_large`.",
       .set = +[](InputConfig& c, const OptionValue& v) {
         c.feed.max_bytes = std::size_t(as_int(v));
       }});
  add({.section = S::input,
       .key = "headers",
       .type = T::string_table,
       .default_doc = "none",
       .applies_to = {"feed"},
       .example = "{ Authorization = \"Bearer ...\" }",
       .help = "Feed input: extra HTTP request headers sent with every poll.",
       .set =
           +[](InputConfig& c, const OptionValue& v) { c.feed.headers = std::get<StringTable>(v); },
       .check_entry = header_problem});
}

}  // namespace newshound::config_table
