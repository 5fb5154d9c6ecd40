// Stage: sink. FileSink: batches alerts and appends them to a file from a task
// posted to the event loop; syncs per the fsync policy; reopens on demand
// (logrotate) and after write errors.
#include "newshound/sink/file_sink.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "newshound/sink/alert_queue.hpp"
#include "newshound/util/rate_limit.hpp"
#include "newshound/util/regular_file.hpp"

namespace newshound {

struct FileSink::Impl : std::enable_shared_from_this<Impl> {
  boost::asio::io_context& io;
  std::string name;
  std::filesystem::path path;
  FsyncPolicy policy;
  std::chrono::milliseconds interval;
  AlertQueue queue;
  boost::asio::steady_timer sync_timer;
  std::vector<std::shared_ptr<const Alert>> written;  ///< reused: alerts of one write
  SinkStats st;
  std::uint64_t syncs = 0;
  int fd = -1;
  bool flush_posted = false;
  bool sync_armed = false;
  bool dirty = false;  ///< written since the last fdatasync
  bool stopped = false;
  RateLimiter log_limit;

  Impl(boost::asio::io_context& i, std::string n, FileSinkOptions o)
      : io(i),
        name(std::move(n)),
        path(std::move(o.path)),
        policy(o.fsync),
        interval(o.fsync_interval),
        queue(name, o.queue.queue_bytes),
        sync_timer(i) {}
  ~Impl() { close(); }

  void warn(const char* what, const std::string& detail) {
    std::uint64_t quiet = 0;
    if (log_limit.allow(&quiet))
      spdlog::warn("sink {}: {} {}: {} ({} similar suppressed)", name, what, path.string(), detail,
                   quiet);
  }

  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
    dirty = false;
  }

  bool open() {
    if (fd >= 0) return true;
    if (path.has_parent_path()) {
      std::error_code ec;
      std::filesystem::create_directories(path.parent_path(), ec);
      if (ec) {
        ++st.failed;
        warn("cannot create the folder of", ec.message());
        return false;
      }
    }
    // Never blocks the event loop: a FIFO (or device) here is refused, not opened.
    std::string why;
    fd = open_append_regular(path, 0644, why);
    if (fd < 0) {
      ++st.failed;
      warn("cannot open", why);
      return false;
    }
    return true;
  }

  /// fdatasync() if anything was written since the last one. False on failure
  /// (counted, logged, the file closed so the next write reopens it).
  bool sync() {
    if (fd < 0 || !dirty) return true;
    if (::fdatasync(fd) != 0) {
      ++st.failed;
      warn("fdatasync failed on", std::strerror(errno));
      close();
      return false;
    }
    ++syncs;
    dirty = false;
    return true;
  }

  void arm_sync_timer() {
    if (sync_armed) return;
    sync_armed = true;
    sync_timer.expires_after(interval);
    sync_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      self->sync_armed = false;
      if (!ec) self->sync();
    });
  }

  void flush() {
    flush_posted = false;
    if (queue.empty() || !open()) return;
    written.clear();
    const int err = queue.write_to(fd, &st.sent, &written);
    if (!written.empty()) dirty = true;
    if (err != 0) {
      ++st.failed;
      warn("write failed on", std::strerror(err));
    }
    // With `always`, an alert counts as delivered only once it is on disk. A
    // failed sync cannot un-write the bytes: they are reported as sent anyway
    // (the error is counted and logged) rather than written twice.
    if (policy == FsyncPolicy::always) sync();
    if (policy == FsyncPolicy::interval && dirty) arm_sync_timer();
    for (const auto& a : written) on_sent(a);
    written.clear();
    if (err != 0) close();  // reopened (maybe recreated) on the next submit
  }

  void schedule() {
    if (flush_posted) return;
    flush_posted = true;
    boost::asio::post(io, [self = shared_from_this()] { self->flush(); });
  }

  // Set by FileSink: forwards to Sink::notify_sent (protected there).
  std::function<void(const std::shared_ptr<const Alert>&)> on_sent;
};

FileSink::FileSink(boost::asio::io_context& io, const std::string& name, FileSinkOptions opts)
    : impl_(std::make_shared<Impl>(io, name, std::move(opts))) {
  impl_->on_sent = [this](const std::shared_ptr<const Alert>& a) { Sink::notify_sent(a); };
}

FileSink::~FileSink() {
  impl_->on_sent = [](const std::shared_ptr<const Alert>&) {};
  impl_->sync_timer.cancel();
  if (impl_->policy != FsyncPolicy::never) impl_->sync();
}

const std::string& FileSink::name() const {
  return impl_->name;
}

void FileSink::start() {
  impl_->open();
}

bool FileSink::submit(std::shared_ptr<const Alert> alert) {
  if (!impl_->queue.offer(std::move(alert), !impl_->stopped, impl_->st)) return false;
  impl_->schedule();
  return true;
}

void FileSink::stop(std::chrono::milliseconds, std::function<void()> done) {
  impl_->stopped = true;
  impl_->flush();
  impl_->sync_timer.cancel();
  if (impl_->policy != FsyncPolicy::never) impl_->sync();
  impl_->close();
  if (done) boost::asio::post(impl_->io, std::move(done));
}

void FileSink::reopen() {
  if (impl_->policy != FsyncPolicy::never) impl_->sync();
  impl_->close();
  if (impl_->stopped) return;
  impl_->open();
  if (!impl_->queue.empty()) impl_->schedule();
}

SinkStats FileSink::stats() const {
  SinkStats s = impl_->st;
  s.queued = impl_->queue.size();
  s.queued_bytes = impl_->queue.bytes();
  return s;
}

std::uint64_t FileSink::syncs() const {
  return impl_->syncs;
}

}  // namespace newshound
