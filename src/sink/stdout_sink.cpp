// Stage: sink. StdoutSink: batches alerts and writes them to a descriptor from a
// task posted to the event loop.
#include "newshound/sink/stdout_sink.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <cstring>
#include <functional>
#include <vector>

#include "newshound/sink/alert_queue.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

struct StdoutSink::Impl : std::enable_shared_from_this<Impl> {
  boost::asio::io_context& io;
  std::string name;
  int fd;
  AlertQueue queue;
  SinkStats st;
  bool flush_posted = false;
  bool stopped = false;
  RateLimiter log_limit;
  std::vector<std::shared_ptr<const Alert>> written;                 ///< reused by flush()
  std::function<void(const std::shared_ptr<const Alert>&)> on_sent;  ///< Sink::notify_sent

  Impl(boost::asio::io_context& i, std::string n, StdoutSinkOptions o)
      : io(i), name(std::move(n)), fd(o.fd), queue(name, o.queue.queue_bytes) {}

  void flush() {
    flush_posted = false;
    if (queue.empty()) return;
    const int err = queue.write_to(fd, &st.sent, &written);
    for (const auto& a : written)
      if (on_sent) on_sent(a);
    written.clear();
    if (err != 0) {
      ++st.failed;
      std::uint64_t quiet = 0;
      if (log_limit.allow(&quiet))
        spdlog::warn("sink {}: write failed: {} ({} similar suppressed)", name, std::strerror(err),
                     quiet);
    }
  }

  void schedule() {
    if (flush_posted) return;
    flush_posted = true;
    boost::asio::post(io, [self = shared_from_this()] { self->flush(); });
  }
};

StdoutSink::StdoutSink(boost::asio::io_context& io, const std::string& name, StdoutSinkOptions opts)
    : impl_(std::make_shared<Impl>(io, name, opts)) {
  impl_->on_sent = [this](const std::shared_ptr<const Alert>& a) { notify_sent(a); };
}

StdoutSink::~StdoutSink() {
  impl_->on_sent = nullptr;
}

const std::string& StdoutSink::name() const {
  return impl_->name;
}

void StdoutSink::start() {}

bool StdoutSink::submit(std::shared_ptr<const Alert> alert) {
  if (!impl_->queue.offer(std::move(alert), !impl_->stopped, impl_->st)) return false;
  impl_->schedule();
  return true;
}

void StdoutSink::stop(std::chrono::milliseconds, std::function<void()> done) {
  impl_->stopped = true;
  impl_->flush();
  if (done) boost::asio::post(impl_->io, std::move(done));
}

SinkStats StdoutSink::stats() const {
  SinkStats s = impl_->st;
  s.queued = impl_->queue.size();
  s.queued_bytes = impl_->queue.bytes();
  return s;
}

}  // namespace newshound
