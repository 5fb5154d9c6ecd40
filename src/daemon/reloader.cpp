// Daemon: rules reload off the event loop (see reloader.hpp).
#include "newshound/daemon/reloader.hpp"

#include <boost/asio/post.hpp>

#include "newshound/daemon/config.hpp"
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

void Reloader::request() {
  if (running_) {
    pending_ = true;
    return;
  }
  start();
}

void Reloader::start() {
  running_ = true;
  pending_ = false;
  if (thread_.joinable()) thread_.join();  // the previous load has finished
  thread_ = std::thread([this, alive = alive_] {
    Diagnostics diags;
    std::shared_ptr<const Rules> rules;
    auto config = load_config(config_, diags);
    if (config) rules = load_rules(config->watchlists, diags);
    boost::asio::post(io_, [this, alive, config = std::move(config), rules = std::move(rules),
                            diags = std::move(diags)]() mutable {
      if (!*alive) return;
      running_ = false;
      if (rules)
        on_loaded_(std::move(*config), std::move(rules));
      else
        on_failed_(diags);
      if (pending_) start();
    });
  });
}

}  // namespace newshound
