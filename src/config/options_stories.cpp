// Config: the option table's entries for [stories], the near-duplicate stage
// (StoriesConfig, embedding the index's StoryOptions), and the `stories` policy of
// each [[output]] with its digests and throttle (see config/options.hpp for what an entry holds;
// docs/stories.md).
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "option_sections.hpp"

namespace newshound::config_table {

void add_stories_options(std::vector<OptionSpec>& t) {
  using S = ConfigSection;
  using T = OptionType;
  auto add = [&t](OptionSpec s) { t.push_back(std::move(s)); };

  // ---- [stories] -------------------------------------------------------------
  add({.section = S::stories,
       .key = "enabled",
       .type = T::boolean,
       .default_value = true,
       .example = "true",
       .help = "Group the copies of one story (docs/stories.md): every alert names its "
               "`story_id`, `duplicate_of` and `copies`, and an [[output]] with `stories = "
               "\"first\"` gets only a story's first copy. `false`: no story stage; those "
               "fields are null and every output gets every alert. Takes effect at the next "
               "restart.",
       .set = +[](Config& c, const OptionValue& v) { c.stories.enabled = as_bool(v); }});
  add({.section = S::stories,
       .key = "window",
       .type = T::duration,
       .default_value = std::int64_t{48 * kHourMs},
       .min = 1000,
       .max = 365 * 24 * kHourMs,
       .example = "\"48h\"",
       .help = "How long a story stays open for copies after its last copy, by the time the "
               "articles were received (48 hours by default). The same as `window_ms`; set "
               "one of them.",
       .set = +[](Config& c, const OptionValue& v) {
         c.stories.index.window =
             std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(as_int(v)));
       }});
  add({.section = S::stories,
       .key = "window_ms",
       .type = T::integer,
       .default_value = std::int64_t{48 * kHourMs},
       .min = 1000,
       .max = 365 * 24 * kHourMs,
       .example = "172800000",
       .help = "`window` in milliseconds (kept for existing configs); set one of them.",
       .set = +[](Config& c, const OptionValue& v) {
         c.stories.index.window =
             std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(as_int(v)));
       }});
  add({.section = S::stories,
       .key = "max_stories",
       .type = T::integer,
       .default_value = std::int64_t{100000},
       .min = 1,
       .max = 100 * 1000 * 1000,
       .example = "100000",
       .help = "Most stories kept (about 300 bytes each in memory and on disk); beyond it the "
               "least recently joined story is forgotten.",
       .set = +[](Config& c, const OptionValue& v) {
         c.stories.index.max_stories = std::size_t(as_int(v));
       }});
  add({.section = S::stories,
       .key = "threshold",
       .type = T::integer,
       .default_value = std::int64_t{kDefaultStoryThreshold},
       .min = 0,
       .max = kMaxStoryThreshold,
       .example = "10",
       .help = "How many of the 64 signature bits a copy may differ in and still join a story "
               "(chosen on the evaluation set: docs/stories.md, Results). Lower is stricter.",
       .set = +[](Config& c, const OptionValue& v) {
         c.stories.index.threshold = unsigned(as_int(v));
       }});

  add({.section = S::stories,
       .key = "versions_window",
       .type = T::duration,
       .default_value = std::int64_t{7 * 24 * kHourMs},
       .min = 1000,
       .max = 365 * 24 * kHourMs,
       .example = "\"7d\"",
       .help = "How long an article's versions are remembered after its last version arrived "
               "(7 days by default): a newer version, correction or kill arriving later is "
               "taken as a first version (docs/stories.md, Versions and lifecycle). A held "
               "embargo is kept until its time plus this window. The same as "
               "`versions_window_ms`; set one of them.",
       .set = +[](Config& c, const OptionValue& v) {
         c.stories.lifecycle.window =
             std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(as_int(v)));
       }});
  add({.section = S::stories,
       .key = "versions_window_ms",
       .type = T::integer,
       .default_value = std::int64_t{7 * 24 * kHourMs},
       .min = 1000,
       .max = 365 * 24 * kHourMs,
       .example = "604800000",
       .help = "`versions_window` in milliseconds (kept for existing configs); set one of them.",
       .set = +[](Config& c, const OptionValue& v) {
         c.stories.lifecycle.window =
             std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(as_int(v)));
       }});
  add({.section = S::stories,
       .key = "max_articles",
       .type = T::integer,
       .default_value = std::int64_t{200000},
       .min = 1,
       .max = 100 * 1000 * 1000,
       .example = "200000",
       .help = "Most articles whose versions are remembered (about 500 bytes each in memory and "
               "300 on disk; only articles that matched or were killed are); beyond it the least "
               "recently seen is forgotten, a held embargo with it (counted in /metrics).",
       .set = +[](Config& c, const OptionValue& v) {
         c.stories.lifecycle.max_articles = std::size_t(as_int(v));
       }});

  // ---- [[output]] stories ----------------------------------------------------
  add({.section = S::output,
       .key = "stories",
       .type = T::choice,
       .default_value = std::string("first"),
       .choices = {"first", "all", "digest"},
       .example = "\"first\"",
       .help = "Which alerts of a story this output gets: `first` (the default), only the alert "
               "of the story's first copy (sent again when that article is sent again), the "
               "later copies counted, not sent; `all`, every alert, copies marked by "
               "`duplicate_of`; `digest`, nothing at once: one digest per story per "
               "`digest_interval_ms` listing its copies (docs/stories.md, Policies).",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         // A choice: the loader has checked it is one of them.
         c.stories = parse_story_policy(as_str(v)).value_or(StoryPolicy::first);
       }});
  add({.section = S::output,
       .key = "digest_interval_ms",
       .type = T::integer,
       .default_value = std::int64_t{10 * 60 * 1000},
       .min = 1000,
       .max = 24 * kHourMs,
       .example = "600000",
       .help = "How long a digest collects before it is sent: a story's copies with `stories = "
               "\"digest\"`, a list's excess alerts with `max_alerts_per_minute` (10 minutes "
               "by default). Pending digests are sent at shutdown.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.digest_interval = std::chrono::milliseconds(as_int(v));
       }});
  add({.section = S::output,
       .key = "max_alerts_per_minute",
       .type = T::integer,
       .default_value = std::int64_t{0},
       .min = 0,
       .max = 1000000,
       .example = "60",
       .help = "Most alerts per watch-list per minute sent to this output at once; the excess "
               "of a noisy list is folded into one digest of that list per "
               "`digest_interval_ms`, never dropped (docs/stories.md, Policies). 0: no "
               "throttle.",
       .set = +[](OutputConfig& c, const OptionValue& v) {
         c.max_alerts_per_minute = std::uint32_t(as_int(v));
       }});
}

}  // namespace newshound::config_table
