// Stage: source. The drop folder (see directory_input.hpp): inotify through an
// Asio stream_descriptor plus full rescans, one acknowledged batch per file, a
// bounded number of files in flight, and the move to done_dir or failed_dir once
// every record of a file is settled. A file whose records were not all accepted
// for a reason other than the decoder's (a matcher failure, an output removed by
// a reload) stays where it is and is read again after `retry`.
#include "newshound/source/directory_input.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <unordered_set>

#include "newshound/source/drop_files.hpp"
#include "newshound/source/record_splitter.hpp"
#include "newshound/source/warn_limited.hpp"

namespace newshound {

namespace asio = boost::asio;
namespace fs = std::filesystem;

struct DirectoryInput::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, DirectoryInputOptions o, LineConsumer& c)
      : io(io), opt(std::move(o)), consumer(c), watch(io), retry_timer(io) {}

  struct Job;
  asio::io_context& io;
  DirectoryInputOptions opt;
  LineConsumer& consumer;
  asio::posix::stream_descriptor watch;
  asio::steady_timer retry_timer;
  bool retry_armed = false;
  DirectoryInputStats stats;
  bool stopping = false;
  std::deque<std::string> queue;          // names waiting to be picked up
  std::unordered_set<std::string> known;  // queued, in flight, or waiting to move or retry
  std::size_t inflight_bytes = 0;
  std::vector<std::string> again;  // to read again at the next retry
  /// Settled files whose move failed: name -> nullopt (to done_dir) or the reason (failed_dir).
  std::map<std::string, std::optional<std::string>> moves;
  RateLimiter refuse_log, fail_log, move_log, retry_log, watch_log;
  std::array<char, 64 * 1024> events{};

  void offer(const std::string& name);
  void pump();
  void pick_up(const std::string& name);
  void finish(Job& job);
  void accept(const std::string& name);
  void fail(const std::string& name, const std::string& reason);
  void arm_retry();
  void rescan();
  void watch_loop();
  void read_events();
};

/// One file in flight: its records settle one by one (in order) through the
/// acknowledgement channel; the last one hands the file back to the input.
struct DirectoryInput::Impl::Job final : LineAcks {
  std::shared_ptr<Impl> impl;
  std::string name;
  std::uint64_t stream = 0;
  std::size_t bytes = 0;
  std::vector<FileRecord> records;
  std::size_t settled_count = 0;
  bool retry = false;                 // a record settled without acknowledgement or reason
  std::vector<std::string> refusals;  // "line 3: not_json"

  void settled(std::optional<std::string_view> article_id) override {
    if (!article_id) retry = true;
    next();
  }
  void refused(std::string_view reason) override {
    const std::size_t i = settled_count;
    refusals.push_back("line " + std::to_string(i < records.size() ? records[i].line : 0) + ": " +
                       std::string(reason));
    next();
  }
  void next() {
    if (++settled_count != records.size()) return;
    // Not from inside the consumer's settling loop: finish() ends the stream.
    asio::post(impl->io, [self = weak.lock()] { self->impl->finish(*self); });
  }
  std::weak_ptr<Job> weak;  // to itself, for the post above
};

DirectoryInput::DirectoryInput(asio::io_context& io, DirectoryInputOptions options,
                               LineConsumer& consumer)
    : impl_(std::make_shared<Impl>(io, std::move(options), consumer)) {}

DirectoryInput::~DirectoryInput() {
  stop();
}

const DirectoryInputOptions& DirectoryInput::options() const {
  return impl_->opt;
}
const DirectoryInputStats& DirectoryInput::stats() const {
  return impl_->stats;
}
void DirectoryInput::set_index(std::uint32_t input) {
  impl_->opt.input = input;
}

std::string DirectoryInput::bind() {
  const auto& opt = impl_->opt;
  if (auto problem = drop_folder_problem(opt); !problem.empty()) return problem;
  for (const fs::path* dir : {&opt.done_dir, &opt.failed_dir}) {
    if (dir == &opt.done_dir && opt.delete_done) continue;
    std::error_code ec;
    fs::create_directory(*dir, ec);
    if (ec) return "cannot create " + dir->string() + ": " + ec.message();
  }
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return std::string("cannot watch the drop folder: inotify: ") + std::strerror(errno);
  boost::system::error_code ec;
  impl_->watch.assign(fd, ec);
  if (ec) {
    ::close(fd);
    return "cannot watch the drop folder: " + ec.message();
  }
  const std::uint32_t mask =
      IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
  if (::inotify_add_watch(fd, opt.path.c_str(), mask) < 0)
    return "cannot watch " + opt.path.string() + ": " + std::strerror(errno) +
           (errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
  return {};
}

void DirectoryInput::start() {
  impl_->rescan();
  impl_->watch_loop();
}

void DirectoryInput::stop() {
  auto& i = *impl_;
  if (i.stopping) return;
  i.stopping = true;
  boost::system::error_code ec;
  i.watch.close(ec);
  i.retry_timer.cancel();
  i.queue.clear();
}

void DirectoryInput::Impl::offer(const std::string& name) {
  if (stopping || ignored_name(name, opt.ignore) || !known.insert(name).second) return;
  queue.push_back(name);
  pump();
}

void DirectoryInput::Impl::pump() {
  while (!stopping && !queue.empty() && stats.in_flight < opt.max_files_inflight &&
         (stats.in_flight == 0 || inflight_bytes < opt.max_inflight_bytes)) {
    std::string name = std::move(queue.front());
    queue.pop_front();
    pick_up(name);
  }
}

void DirectoryInput::Impl::pick_up(const std::string& name) {
  DroppedFile file = read_dropped_file(opt.path / name, opt.max_file_bytes);
  if (file.missing) {  // taken away again before we came to it
    known.erase(name);
    return;
  }
  ++stats.files;
  if (!file.refused.empty()) return fail(name, file.refused);
  std::vector<FileRecord> records = split_records(file.content);
  if (records.empty()) return fail(name, "empty: no article in the file");
  stats.bytes += file.content.size();
  stats.records += records.size();
  auto job = std::make_shared<Job>();
  job->weak = job;
  job->impl = shared_from_this();
  job->name = name;
  job->stream = new_stream_id();
  job->bytes = file.content.size();
  LineBatch batch;
  batch.bytes = std::move(file.content);
  for (const FileRecord& r : records) batch.lines.emplace_back(r.offset, r.length);
  job->records = std::move(records);
  batch.received_at = Clock::now();
  batch.input = opt.input;
  batch.stream = job->stream;
  batch.acks = job;
  ++stats.in_flight;
  inflight_bytes += job->bytes;
  consumer.consume(std::move(batch), [] {});
}

void DirectoryInput::Impl::finish(Job& job) {
  --stats.in_flight;
  inflight_bytes -= job.bytes;
  consumer.end_stream(job.stream);
  if (!job.refusals.empty()) {
    std::string reason;
    for (const auto& r : job.refusals) reason += job.name + ": " + r + "\n";
    if (job.refusals.size() < job.records.size())
      reason += job.name + ": the other " +
                std::to_string(job.records.size() - job.refusals.size()) +
                " record(s) were accepted\n";
    fail(job.name, reason);
  } else if (job.retry) {
    ++stats.retried;
    warn_limited(retry_log,
                 "input {}: {}: not every article was accepted; reading it again in {} ms",
                 opt.name, job.name, opt.retry.count());
    again.push_back(job.name);
    arm_retry();
  } else {
    accept(job.name);
  }
  pump();
}

void DirectoryInput::Impl::accept(const std::string& name) {
  std::string error;
  if (opt.delete_done) {
    std::error_code ec;
    fs::remove(opt.path / name, ec);
    if (ec) error = "cannot delete " + (opt.path / name).string() + ": " + ec.message();
  } else {
    move_into(opt.path, name, opt.done_dir, error);
  }
  if (error.empty()) {
    ++stats.done;
    known.erase(name);
    moves.erase(name);
    spdlog::debug("input {}: {} accepted", opt.name, name);
    return;
  }
  ++stats.move_errors;
  warn_limited(move_log, "input {}: {} (accepted; trying again in {} ms)", opt.name, error,
               opt.retry.count());
  moves[name] = std::nullopt;
  arm_retry();
}

void DirectoryInput::Impl::fail(const std::string& name, const std::string& reason) {
  std::string text = reason;
  if (!text.starts_with(name + ": ")) text = name + ": " + text;
  if (const std::string error = fail_file(opt.path, name, opt.failed_dir, text); !error.empty()) {
    ++stats.move_errors;
    warn_limited(move_log, "input {}: {} (trying again in {} ms)", opt.name, error,
                 opt.retry.count());
    moves[name] = reason;
    arm_retry();
    return;
  }
  ++stats.failed;
  known.erase(name);
  moves.erase(name);
  const auto first_line = text.substr(0, text.find('\n'));
  warn_limited(fail_log, "input {}: {}; moved to {}", opt.name, first_line,
               opt.failed_dir.string());
}

void DirectoryInput::Impl::arm_retry() {
  if (retry_armed || stopping) return;
  retry_armed = true;
  retry_timer.expires_after(opt.retry);
  retry_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    self->retry_armed = false;
    if (ec || self->stopping) return;
    auto moves = std::move(self->moves);
    self->moves.clear();
    for (auto& [name, reason] : moves) {
      if (reason)
        self->fail(name, *reason);
      else
        self->accept(name);
    }
    auto names = std::move(self->again);
    self->again.clear();
    for (const auto& name : names) {
      self->known.erase(name);
      self->offer(name);
    }
  });
}

void DirectoryInput::Impl::rescan() {
  ++stats.rescans;
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(opt.path, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code tec;
    if (it->symlink_status(tec).type() == fs::file_type::directory) continue;
    names.push_back(it->path().filename().string());
  }
  if (ec)
    warn_limited(watch_log, "input {}: cannot list {}: {}", opt.name, opt.path.string(),
                 ec.message());
  std::sort(names.begin(), names.end());
  for (const auto& n : names) offer(n);
}

void DirectoryInput::Impl::watch_loop() {
  if (stopping) return;
  watch.async_wait(asio::posix::descriptor_base::wait_read,
                   [self = shared_from_this()](boost::system::error_code ec) {
                     if (ec || self->stopping) return;
                     self->read_events();
                     self->watch_loop();
                   });
}

void DirectoryInput::Impl::read_events() {
  for (;;) {
    const ssize_t n = ::read(watch.native_handle(), events.data(), events.size());
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return;  // EAGAIN: drained
    }
    bool overflow = false;
    for (ssize_t at = 0; at < n;) {
      inotify_event ev{};
      std::memcpy(&ev, events.data() + at, sizeof ev);
      const char* name = events.data() + at + sizeof ev;
      at += ssize_t(sizeof ev + ev.len);
      if (ev.mask & IN_Q_OVERFLOW) overflow = true;
      if (ev.mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
        warn_limited(watch_log,
                     "input {}: the drop folder {} was removed or moved; no more files are picked "
                     "up until it is back and the daemon reloads or restarts",
                     opt.name, opt.path.string());
      if (ev.len > 0 && !(ev.mask & IN_ISDIR) && (ev.mask & (IN_CLOSE_WRITE | IN_MOVED_TO)))
        offer(std::string(name, ::strnlen(name, ev.len)));
    }
    if (overflow) {
      warn_limited(watch_log, "input {}: inotify queue overflowed; rescanning {}", opt.name,
                   opt.path.string());
      rescan();
    }
  }
}

}  // namespace newshound
