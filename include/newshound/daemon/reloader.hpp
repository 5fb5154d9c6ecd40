// Daemon: rules reload off the event loop. Re-reads the config and every
// watch-list on a helper thread, compiles, and hands the result back to the
// event loop; a failed load leaves the running rules untouched.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "newshound/config/config.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/util/diagnostic.hpp"

namespace newshound {

/// Coalesces reload requests: while one load runs, any number of further requests
/// cause exactly one more load after it. Callbacks run on the event-loop thread.
/// Construct, use and destroy on the event-loop thread; the destructor waits for
/// a running load to finish. Never throws after construction.
class Reloader {
 public:
  using Loaded = std::function<void(Config, std::shared_ptr<const Rules>)>;
  using Failed = std::function<void(const Diagnostics&)>;

  Reloader(boost::asio::io_context& io, std::filesystem::path config, Loaded on_loaded,
           Failed on_failed);
  ~Reloader();
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  /// Starts a load now, or after the running one. Returns false when a further
  /// load was already pending (this request is merged into it), else true.
  bool request();
  bool busy() const { return running_; }

 private:
  void start();

  boost::asio::io_context& io_;
  std::filesystem::path config_;
  Loaded on_loaded_;
  Failed on_failed_;
  bool running_ = false;
  bool pending_ = false;
  std::thread thread_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace newshound
