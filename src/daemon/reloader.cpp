// Daemon: rules reload off the event loop (see reloader.hpp).
#include "newshound/daemon/reloader.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "newshound/daemon/rules_loader.hpp"

namespace newshound {

Reloader::Reloader(boost::asio::io_context& io, std::filesystem::path config, Loaded on_loaded,
                   Failed on_failed)
    : io_(io),
      config_(std::move(config)),
      on_loaded_(std::move(on_loaded)),
      on_failed_(std::move(on_failed)) {}

Reloader::~Reloader() {
  *alive_ = false;
  if (thread_.joinable()) thread_.join();
}

bool Reloader::request() {
  if (running_) {
    const bool fresh = !pending_;
    pending_ = true;
    return fresh;
  }
  start();
  return true;
}

void Reloader::start() {
  running_ = true;
  pending_ = false;
  if (thread_.joinable()) thread_.join();  // the previous load has finished
  thread_ = std::thread([this, alive = alive_] {
    Diagnostics diags;
    auto loaded = load_config_and_rules(config_, diags, /*cached=*/true);
    boost::asio::post(
        io_, [this, alive, loaded = std::move(loaded), diags = std::move(diags)]() mutable {
          if (!*alive) return;
          running_ = false;
          if (loaded) {
            for (const auto& w : loaded->warnings) spdlog::warn("reload: {}", w.format());
            on_loaded_(std::move(loaded->config), std::move(loaded->rules));
          } else
            on_failed_(diags);
          if (pending_) start();
        });
  });
}

}  // namespace newshound
