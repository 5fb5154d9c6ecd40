// Stage: sink. FileSink: batches alerts and appends them to a file from a task
// posted to the event loop; reopens on demand and after write errors.
#include "newshound/sink/file_sink.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "alert_queue.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

struct FileSink::Impl : std::enable_shared_from_this<Impl> {
  boost::asio::io_context& io;
  std::string name;
  std::filesystem::path path;
  detail::AlertQueue queue;
  SinkStats st;
  int fd = -1;
  bool flush_posted = false;
  bool stopped = false;
  RateLimiter log_limit;

  Impl(boost::asio::io_context& i, std::string n, FileSinkOptions o)
      : io(i), name(std::move(n)), path(std::move(o.path)), queue(o.queue_bytes) {}
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
    fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      ++st.failed;
      warn("cannot open", std::strerror(errno));
      return false;
    }
    return true;
  }

  void flush() {
    flush_posted = false;
    if (queue.empty() || !open()) return;
    const int err = queue.write_to(fd, &st.sent);
    if (err != 0) {
      ++st.failed;
      warn("write failed on", std::strerror(err));
      close();  // reopened (maybe recreated) on the next submit
    }
  }

  void schedule() {
    if (flush_posted) return;
    flush_posted = true;
    boost::asio::post(io, [self = shared_from_this()] { self->flush(); });
  }
};

FileSink::FileSink(boost::asio::io_context& io, const std::string& name, FileSinkOptions opts)
    : impl_(std::make_shared<Impl>(io, name, std::move(opts))) {}

FileSink::~FileSink() = default;

const std::string& FileSink::name() const {
  return impl_->name;
}

void FileSink::start() {
  impl_->open();
}

bool FileSink::submit(std::shared_ptr<const Alert> alert) {
  if (impl_->stopped || !impl_->queue.push(std::move(alert))) {
    ++impl_->st.rejected;
    return false;
  }
  ++impl_->st.accepted;
  impl_->schedule();
  return true;
}

void FileSink::stop(std::chrono::milliseconds, std::function<void()> done) {
  impl_->stopped = true;
  impl_->flush();
  impl_->close();
  if (done) boost::asio::post(impl_->io, std::move(done));
}

void FileSink::reopen() {
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

}  // namespace newshound
