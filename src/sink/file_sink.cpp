// Stage: sink. FileSink's link (see file_sink.hpp): opens the file (QueuedSink
// retries that with backoff), appends each batch with gathered writes, cuts a
// failed batch off again so the file holds only whole alerts, and runs
// fdatasync on a disk thread (SpoolWorker), the result posted back to the loop.
#include "newshound/sink/file_sink.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>
#include <vector>

#include "newshound/sink/spool_worker.hpp"
#include "newshound/util/rate_limit.hpp"
#include "newshound/util/regular_file.hpp"

namespace newshound {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kBatchAlerts = 256;
constexpr std::size_t kBatchBytes = 1u << 20;
constexpr mode_t kFileMode = 0640;  ///< like the spool's files
using AlertPtr = std::shared_ptr<const Alert>;
using Clock = std::chrono::steady_clock;

/// An open output file, closed when its last holder (the link, a pending sync)
/// lets go, so a reopen() never closes a descriptor a sync is using.
struct OpenFile {
  int fd;
  explicit OpenFile(int f) : fd(f) {}
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile() { ::close(fd); }
};

/// What the link shares with syncs on the disk thread and their completions
/// posted to the loop (either may outlive the link). Event-loop thread only.
struct SyncState {
  std::uint64_t syncs = 0;       ///< successful fdatasync calls
  std::uint64_t failed = 0;      ///< failed background syncs (interval, reopen, close)
  int in_flight = 0;             ///< background syncs running
  LinkOutbox* outbox = nullptr;  ///< woken after a background sync; null once the link is gone
  RateLimiter log{std::chrono::seconds(10)};
};

/// Writes all of `batch` to `fd` (gathered; a short write continues at the next
/// byte). 0, or the errno of the write that failed.
int write_all(int fd, const std::vector<AlertPtr>& batch) {
  constexpr std::size_t kMaxIov = 64;
  iovec iov[kMaxIov];
  std::size_t i = 0, off = 0;  // next alert, bytes of it already written
  for (;;) {
    while (i < batch.size() && batch[i]->json.size() == off) ++i, off = 0;
    if (i == batch.size()) return 0;
    int n = 0;
    for (std::size_t j = i; j < batch.size() && n < int(kMaxIov); ++j, ++n) {
      const std::string& s = batch[j]->json;
      const std::size_t skip = j == i ? off : 0;
      iov[n].iov_base = const_cast<char*>(s.data() + skip);
      iov[n].iov_len = s.size() - skip;
    }
    const ssize_t w = ::writev(fd, iov, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return w < 0 ? errno : EIO;
    for (auto left = std::size_t(w); left > 0;) {
      const std::size_t rest = batch[i]->json.size() - off;
      if (left < rest) {
        off += left;
        break;
      }
      left -= rest;
      ++i, off = 0;
    }
  }
}

/// Cuts the file back to `size` bytes (its size before a failed batch). "" when
/// done or nothing beyond it is there, else why not.
std::string cut_back(int fd, off_t size) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::strerror(errno);
  if (st.st_size <= size) return {};  // nothing of ours (or someone truncated it)
  if (::ftruncate(fd, size) != 0) return std::strerror(errno);
  return {};
}

class FileLink final : public SinkLink {
 public:
  FileLink(asio::io_context& io, std::string sink, FileSinkOptions o)
      : io_(io), sink_(std::move(sink)), opt_(std::move(o)), where_(opt_.path.string()) {}
  ~FileLink() override {
    sync_->outbox = nullptr;
    worker_.stop();  // a sync in progress finishes first
  }

  Style style() const override { return Style::stream; }
  const std::string& where() const override { return where_; }
  bool connected() const override { return file_ != nullptr; }
  asio::awaitable<std::string> connect() override { co_return open_now(); }

  std::size_t batch_size(const AlertQueue& q) const override {
    std::size_t n = 0, bytes = 0;
    while (n < q.waiting() && n < kBatchAlerts && (n == 0 || bytes < kBatchBytes))
      bytes += q[n++].alert->json.size();
    return n;
  }

  asio::awaitable<Delivery> deliver(const std::vector<AlertPtr>& batch) override {
    std::shared_ptr<OpenFile> f = file_;  // this file, even if reopen() comes meanwhile
    if (!f) co_return Delivery::retry("no open file " + where_);
    const off_t start = ::lseek(f->fd, 0, SEEK_END);
    if (start < 0) co_return Delivery::retry("cannot seek " + where_ + ": " + std::strerror(errno));
    if (const int err = write_all(f->fd, batch); err != 0)
      co_return failed(*f, start, "cannot write " + where_ + ": " + std::strerror(err));
    if (opt_.fsync == FsyncPolicy::always) {
      const int err = co_await sync_now(f);
      if (err != 0)
        co_return failed(*f, start, "fdatasync failed on " + where_ + ": " + std::strerror(err));
      ++sync_->syncs;
    } else if (opt_.fsync == FsyncPolicy::interval) {
      if (!dirty_) due_ = Clock::now() + opt_.fsync_interval;
      dirty_ = true;
      tick();
    }
    co_return Delivery::delivered();
  }

  /// With `interval`: when the pending sync is due (none while one runs).
  Clock::time_point tick_at() const override {
    return dirty_ && sync_->in_flight == 0 ? due_ : Clock::time_point::max();
  }
  void tick() override {
    if (dirty_ && sync_->in_flight == 0 && Clock::now() >= due_) sync_dirty();
  }

  /// Final (stop, destruction, give-up): the disk thread is joined first, so
  /// nothing is posted to the loop after this (it may be shutting down), and the
  /// last sync of the file runs here, on the calling thread.
  void close() override {
    worker_.stop();
    if (dirty_ && file_) {
      dirty_ = false;
      if (opt_.datasync(file_->fd) == 0) {
        ++sync_->syncs;
      } else {
        ++sync_->failed;
        spdlog::warn("sink {}: fdatasync failed on {} while closing: {}", sink_, where_,
                     std::strerror(errno));
      }
    }
    file_.reset();
  }
  void add_stats(SinkStats& st) const override { st.failed += sync_->failed; }

  void attach_outbox() { sync_->outbox = &outbox(); }
  std::uint64_t syncs() const { return sync_->syncs; }

  void reopen() {
    sync_dirty();
    file_.reset();
    if (const std::string err = open_now(); !err.empty()) {
      std::uint64_t quiet = 0;
      if (sync_->log.allow(&quiet))
        spdlog::warn("sink {}: {} ({} similar suppressed)", sink_, err, quiet);
    }
    outbox().wake();  // not open: the loop retries the open with its backoff
  }

 private:
  std::string open_now() {
    if (file_) return {};
    if (opt_.path.has_parent_path()) {
      std::error_code ec;
      std::filesystem::create_directories(opt_.path.parent_path(), ec);
      if (ec) return "cannot create the folder of " + where_ + ": " + ec.message();
    }
    // Never blocks the event loop: a FIFO (or device) here is refused, not opened.
    std::string why;
    const int fd = open_append_regular(opt_.path, kFileMode, why);
    if (fd < 0) return "cannot open " + where_ + ": " + why;
    file_ = std::make_shared<OpenFile>(fd);
    return {};
  }

  /// A write or sync of the batch that began at `start` failed: cut the file
  /// back so no part of the batch stays (the whole batch is written again).
  Delivery failed(const OpenFile& f, off_t start, std::string why) {
    if (const std::string err = cut_back(f.fd, start); !err.empty())
      why += "; cannot cut the partial batch off (" + err + "), the file may hold a torn line";
    return Delivery::retry(std::move(why));
  }

  /// Runs opt_.datasync(f) on the disk thread; `done(errno or 0)` is posted to the loop.
  void run_sync(std::shared_ptr<OpenFile> f, std::function<void(int)> done) {
    worker_.run([f = std::move(f), done = std::move(done), sync = opt_.datasync, &io = io_] {
      const int err = sync(f->fd) == 0 ? 0 : errno;
      asio::post(io, [done = std::move(done), err] { done(err); });
    });
  }

  /// The same, awaited (fsync = always).
  asio::awaitable<int> sync_now(std::shared_ptr<OpenFile> f) {
    return asio::async_initiate<decltype(asio::use_awaitable), void(int)>(
        [this, f = std::move(f)](auto handler) mutable {
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          run_sync(std::move(f), [h](int err) { std::move (*h)(err); });
        },
        asio::use_awaitable);
  }

  /// Starts a background sync of the open file if anything was written since
  /// the last one (interval; at reopen and close). A failure is counted and
  /// logged; those alerts were reported sent already.
  void sync_dirty() {
    if (!dirty_ || !file_) return;
    dirty_ = false;
    ++sync_->in_flight;
    run_sync(file_, [s = sync_, sink = sink_, where = where_](int err) {
      --s->in_flight;
      if (err == 0) {
        ++s->syncs;
      } else {
        ++s->failed;
        std::uint64_t quiet = 0;
        if (s->log.allow(&quiet))
          spdlog::warn("sink {}: fdatasync failed on {}: {} ({} similar suppressed)", sink, where,
                       std::strerror(err), quiet);
      }
      if (s->outbox != nullptr) s->outbox->wake();
    });
  }

  asio::io_context& io_;
  std::string sink_;
  FileSinkOptions opt_;
  std::string where_;
  std::shared_ptr<OpenFile> file_;
  std::shared_ptr<SyncState> sync_ = std::make_shared<SyncState>();
  bool dirty_ = false;  ///< interval: written since the last sync
  Clock::time_point due_{};
  SpoolWorker worker_;  ///< the disk thread (last: stopped first)
};

}  // namespace

FileSink::FileSink(asio::io_context& io, const std::string& name, FileSinkOptions opts)
    : QueuedSink(io, name, opts.queue, std::make_unique<FileLink>(io, name, opts)) {
  static_cast<FileLink&>(link()).attach_outbox();
}

void FileSink::reopen() {
  static_cast<FileLink&>(link()).reopen();
}

std::uint64_t FileSink::syncs() const {
  return static_cast<FileLink&>(link()).syncs();
}

}  // namespace newshound
