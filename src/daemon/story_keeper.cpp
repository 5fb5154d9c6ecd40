// Daemon: the story stage's store and metrics in the daemon (see story_keeper.hpp).
#include "newshound/daemon/story_keeper.hpp"

#include <spdlog/spdlog.h>

namespace newshound {

namespace {
using enum MetricType;

constexpr MetricFamily kStories{"newshound_stories", gauge,
                                "Stories in the [stories] window now (their copies are grouped)."};
constexpr MetricFamily kCopies{"newshound_story_copies_total", counter,
                               "Articles that joined a story seen before as a copy (their alerts "
                               "carry duplicate_of)."};
constexpr MetricFamily kEvicted{"newshound_stories_evicted_total", counter,
                                "Stories forgotten, by reason: cap (max_stories, least recently "
                                "joined first) or window (window_ms passed since the last copy)."};
constexpr MetricFamily kStoreFailures{
    "newshound_story_store_failed_commits_total", counter,
    "Commits of the stories store (state_dir/stories/) that failed; the changes are retried."};
constexpr MetricFamily kStoreCommits{"newshound_story_store_commits_total", counter,
                                     "Transactions committed to the stories store."};
constexpr MetricFamily kStoreRows{"newshound_story_store_rows_total", counter,
                                  "Stories and articles written to or deleted from the stories "
                                  "store."};
constexpr MetricFamily kArticles{"newshound_story_articles", gauge,
                                 "Articles whose versions the lifecycle remembers now "
                                 "([stories] versions_window_ms, max_articles)."};
constexpr MetricFamily kHeld{"newshound_story_held", gauge,
                             "Alerts held now until their embargo passes."};
constexpr MetricFamily kArticlesDropped{
    "newshound_story_articles_evicted_total", counter,
    "Articles the lifecycle forgot, by reason: cap (max_articles) or window "
    "(versions_window_ms)."};
constexpr MetricFamily kHoldsDropped{"newshound_story_holds_dropped_total", counter,
                                     "Held alerts forgotten with their article by the cap, never "
                                     "sent."};
constexpr MetricFamily kReleased{"newshound_story_holds_released_total", counter,
                                 "Held alerts whose embargo passed (decided then)."};
constexpr MetricFamily kDecisions{
    "newshound_story_versions_total", counter,
    "Article versions the lifecycle decided, by event (new, update, retraction, hold, none) "
    "and reason (docs/stories.md, Versions and lifecycle)."};
constexpr MetricFamily kSkipped{"newshound_output_duplicates_skipped_total", counter,
                                "Alerts of a story's later copies not sent to an output with "
                                "stories = \"first\"."};
}  // namespace

StoryKeeper::StoryKeeper(boost::asio::io_context& io, const StoriesConfig& config,
                         const std::filesystem::path& state_dir,
                         std::chrono::milliseconds commit_every)
    : timer_(io), every_(commit_every) {
  if (!config.enabled) return;
  stage_ = std::make_shared<StoryStage>(config.index, config.lifecycle);
  // As the compiled-lists cache: a state_dir that does not exist means "keep no
  // state here" (systemd's StateDirectory= or the operator makes it).
  std::error_code ec;
  if (!std::filesystem::is_directory(state_dir, ec)) {
    spdlog::info("stories: state_dir {} does not exist; stories are kept in memory only",
                 state_dir.string());
    return;
  }
  const auto dir = state_dir / "stories";
  const StoryStoreOpened opened = stage_->open_store(dir);
  if (!opened.error.empty()) {
    spdlog::warn("stories: {}; grouping copies in memory only (a restart forgets the stories)",
                 opened.error);
    return;
  }
  if (!opened.warning.empty())
    spdlog::warn("stories: {}; starting with no stories", opened.warning);
  const LifecycleCounts lc = stage_->counts().lifecycle;
  spdlog::info("stories: {} stories, {} articles ({} held until their embargo) loaded from {}",
               opened.stories, opened.articles, lc.held, dir.string());
  arm();
}

StoryKeeper::~StoryKeeper() {
  *alive_ = false;
  close();
}

void StoryKeeper::arm() {
  timer_.expires_after(every_);
  timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    auto a = alive.lock();
    if (ec || !a || !*a || closed_) return;
    commit();
    arm();
  });
}

void StoryKeeper::commit() {
  if (auto err = stage_->commit(); !err.empty()) spdlog::warn("stories: {}", err);
}

void StoryKeeper::close() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  if (!stage_) return;
  if (auto err = stage_->close_store(); !err.empty()) spdlog::warn("stories: {}", err);
}

void StoryKeeper::declare_metrics(MetricsExposition& out) {
  out.declare(kStories);
  out.declare(kCopies);
  out.declare(kEvicted);
  out.declare(kStoreFailures);
  out.declare(kSkipped);
  out.declare(kStoreCommits);
  out.declare(kStoreRows);
  out.declare(kArticles);
  out.declare(kHeld);
  out.declare(kArticlesDropped);
  out.declare(kHoldsDropped);
  out.declare(kReleased);
  out.declare(kDecisions);
}

void StoryKeeper::report_metrics(
    MetricsExposition& out,
    std::span<const std::pair<std::string_view, std::uint64_t>> skipped) const {
  const StoryStageCounts c = stage_ ? stage_->counts() : StoryStageCounts{};
  out.add(kStories, {}, c.index.stories);
  out.add(kCopies, {}, c.copies);
  out.add(kEvicted, {{"reason", "cap"}}, c.index.evicted);
  out.add(kEvicted, {{"reason", "window"}}, c.index.expired);
  out.add(kStoreFailures, {}, c.store.failed_commits);
  for (const auto& [output, n] : skipped) out.add(kSkipped, {{"sink", output}}, n);
  out.add(kStoreCommits, {}, c.store.commits);
  out.add(kStoreRows, {}, c.store.rows);
  const LifecycleCounts& l = c.lifecycle;
  out.add(kArticles, {}, l.articles);
  out.add(kHeld, {}, l.held);
  out.add(kArticlesDropped, {{"reason", "cap"}}, l.evicted);
  out.add(kArticlesDropped, {{"reason", "window"}}, l.expired);
  out.add(kHoldsDropped, {}, l.holds_dropped);
  out.add(kReleased, {}, l.released);
  for (std::size_t r = 0; r < kLifecycleReasons; ++r)
    out.add(
        kDecisions,
        {{"event", lifecycle_event_name(lifecycle_reason_event(static_cast<LifecycleReason>(r)))},
         {"reason", lifecycle_reason_name(static_cast<LifecycleReason>(r))}},
        l.decisions[r]);
}

}  // namespace newshound
