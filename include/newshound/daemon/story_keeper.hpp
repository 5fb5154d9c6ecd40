// Daemon: the story stage's life in the daemon: the StoryStage the workers share
// (built at start from [stories]), its store under state_dir/stories/ (opened at
// start, committed every second on the event loop and once more at shutdown) and
// its /metrics families.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newshound/config/config.hpp"
#include "newshound/stories/story_stage.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound {

/// Event-loop thread only (the stage itself is shared with the workers). Never
/// throws except std::bad_alloc: a store that cannot be opened or written is
/// logged and the stage runs on in memory.
class StoryKeeper {
 public:
  /// With `config.enabled`, builds the stage and opens its store under
  /// `state_dir/stories/` (a corrupt store is moved aside, a missing or
  /// unusable one logged: the stage starts empty), then commits every
  /// `commit_every`. Disabled: stage() is null and nothing else happens.
  StoryKeeper(boost::asio::io_context& io, const StoriesConfig& config,
              const std::filesystem::path& state_dir,
              std::chrono::milliseconds commit_every = std::chrono::seconds(1));
  ~StoryKeeper();
  StoryKeeper(const StoryKeeper&) = delete;
  StoryKeeper& operator=(const StoryKeeper&) = delete;

  /// The stage to hand to the dispatcher; null when [stories] is disabled.
  const std::shared_ptr<StoryStage>& stage() const { return stage_; }
  /// Stops the timer, commits what is left and closes the store. Call once the
  /// workers have stopped (nothing is filed any more). Idempotent.
  void close();

  /// The stories families (also when disabled: they read 0).
  static void declare_metrics(MetricsExposition& out);
  /// The stage's counters and, per output, the duplicates skipped for it.
  void report_metrics(MetricsExposition& out,
                      std::span<const std::pair<std::string_view, std::uint64_t>> skipped) const;

 private:
  void arm();
  void commit();

  std::shared_ptr<StoryStage> stage_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds every_;
  bool closed_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for the timer's handler
};

}  // namespace newshound
