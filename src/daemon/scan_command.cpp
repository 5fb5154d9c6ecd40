// Daemon: `newshound scan`, the one-shot grep-like filter: stdin -> pipeline -> stdout.
#include <unistd.h>
#include <chrono>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "newshound/daemon/cli.hpp"
#include "newshound/daemon/commands.hpp"
#include "newshound/daemon/rules_loader.hpp"
#include "newshound/dispatch/pipeline_worker.hpp"
#include "newshound/dispatch/story_filer.hpp"
#include "newshound/dispatch/stream_sequencer.hpp"
#include "newshound/dispatch/worker_pool.hpp"
#include "newshound/source/line_framer.hpp"
#include "scan_jetstream.hpp"

namespace newshound {

namespace {
constexpr std::uint64_t max_reported_bad_lines = 20;
/// Input bytes per read, and so per batch handed to a worker: large enough that the
/// hand-off costs nothing measurable, small enough that a live pipe flows.
constexpr std::size_t scan_read_chunk = 256 * 1024;

struct ScanCounts {
  std::uint64_t lines = 0, articles = 0, alerts = 0, matches = 0, bad = 0, engine_errors = 0;
  void add(const ScanCounts& o) {
    lines += o.lines, articles += o.articles, alerts += o.alerts, matches += o.matches;
    bad += o.bad, engine_errors += o.engine_errors;
  }
};

/// A line that `scan` reports on stderr (bad line or matcher failure).
struct ScanNote {
  std::uint64_t line_no = 0;
  bool engine_error = false;
  std::string_view reason;  ///< a string literal
};

/// The lines of one read and, once processed, what they became. Reused from one
/// read to the next (its buffers keep their capacity).
struct ScanBatch {
  struct Line {
    std::uint64_t line_no;
    std::size_t offset, size;
    bool oversize;
  };
  std::uint64_t seq = 0;
  Clock::time_point read_at;
  std::string bytes;  ///< the lines, back to back
  std::vector<Line> lines;
  ScanCounts counts;  ///< result
  /// Result: the alerts, in input order, and their articles' signatures (the
  /// writer files them in the story stage, in input order, then writes them).
  std::vector<std::shared_ptr<const Alert>> alerts;
  std::vector<Signature> signatures;
  /// Result: every decoded article's version, in input order (the lifecycle's).
  VersionLog versions;
  std::vector<ScanNote> notes;  ///< result: what to report, in input order

  void clear() {
    bytes.clear(), lines.clear(), alerts.clear(), signatures.clear(), notes.clear();
    versions.clear();
    counts = ScanCounts{};
  }
  void add(std::uint64_t line_no, LineFramer::Event ev, std::string_view line) {
    const bool oversize = ev == LineFramer::Event::oversize;
    lines.push_back({line_no, bytes.size(), oversize ? 0 : line.size(), oversize});
    if (!oversize) bytes.append(line);
  }
};

/// Runs one batch through a worker (any thread): fills counts, out and notes. A
/// null worker (its matcher could not be prepared) fails every line.
void process_batch(PipelineWorker* worker, ScanBatch& b) {
  for (const auto& l : b.lines) {
    if (l.oversize) {
      ++b.counts.bad;
      b.notes.push_back({l.line_no, false, "too_large (raise --max-line-bytes)"});
      continue;
    }
    if (!worker) {
      ++b.counts.engine_errors;
      b.notes.push_back({l.line_no, true, {}});
      continue;
    }
    Outcome o = worker->process(std::string_view(b.bytes).substr(l.offset, l.size), b.read_at);
    switch (o.kind) {
      case Outcome::Kind::skipped:
        break;
      case Outcome::Kind::bad_line:
        ++b.counts.lines, ++b.counts.bad;
        b.notes.push_back({l.line_no, false, to_string(o.error)});
        break;
      case Outcome::Kind::engine_error:
        ++b.counts.lines, ++b.counts.articles, ++b.counts.engine_errors;
        b.notes.push_back({l.line_no, true, {}});
        break;
      case Outcome::Kind::no_match:
        ++b.counts.lines, ++b.counts.articles;
        if (o.version) b.versions.add(*o.version);
        break;
      case Outcome::Kind::alert:
        ++b.counts.lines, ++b.counts.articles, ++b.counts.alerts;
        b.counts.matches += o.matches;
        b.alerts.push_back(std::move(o.alert));
        b.signatures.push_back(o.signature);
        if (o.version) b.versions.add(*o.version);
        break;
    }
  }
}

/// Emits processed batches, strictly in input order (the caller guarantees the
/// order): files each article version in the story stage (stories and version
/// lifecycle, in memory), then writes the alerts it sends to stdout (with
/// `--stories first`, a story's first copy only; retractions always) and the notes
/// to stderr (bad lines up to a limit). Embargoed alerts are held by the time
/// the input was read and released at the end of the input (finish()).
class ScanWriter {
 public:
  /// `stage` false: the alerts are written as encoded, without the story stage.
  ScanWriter(ScanCounts& totals, StoryPolicy policy, bool stage, std::shared_ptr<const Rules> rules)
      : totals_(totals),
        policy_(policy),
        stage_(stage),
        rules_(std::move(rules)),
        stories_(StoryOptions{}) {}
  /// False once writing stdout failed (errno kept in error()).
  bool write(ScanBatch& b) {
    out_.clear();
    if (!stage_) {
      for (const auto& a : b.alerts) out_.append(a->json);
      totals_.add(b.counts);
      return flush(b.notes);
    }
    std::size_t i = 0;
    for (const ArticleVersionView v : b.versions) {
      const bool has_alert = v.alert && i < b.alerts.size();
      const FiledVersion f = filer_.file(stories_, has_alert ? b.alerts[i] : nullptr,
                                         has_alert ? &b.signatures[i] : nullptr, v, rules_,
                                         rules_->version(), v.received_at);
      if (has_alert) ++i;
      if (!f.send) {
        if (has_alert) --b.counts.alerts;  // held, unchanged: counted as matched, not written
        continue;
      }
      if (f.retraction && has_alert) --b.counts.alerts;  // a kill that still matches
      append(f, b.counts);
    }
    totals_.add(b.counts);
    return flush(b.notes);
  }
  /// The end of the input: the held alerts are released (decided now, in the order
  /// of their embargoes) and written.
  bool finish() {
    out_.clear();
    ScanCounts c;
    while (const auto due = stories_.next_due()) {
      filer_.release(stories_, *due, released_);
      for (const ReleasedAlert& r : released_) {
        if (!r.filed.retraction) ++c.alerts;
        append(r.filed, c);
      }
    }
    totals_.add(c);
    return flush({});
  }
  bool failed() const { return failed_.load(); }
  int error() const { return errno_; }

 private:
  void append(const FiledVersion& f, ScanCounts& counts) {
    if (!f.retraction && policy_ == StoryPolicy::first && f.send->duplicate) {
      --counts.alerts;  // a later copy: counted as matched, not written
      return;
    }
    out_.append(f.send->json);
  }
  bool flush(const std::vector<ScanNote>& notes) {
    for (const auto& n : notes) {
      if (n.engine_error) {
        std::fprintf(stderr, "stdin:%llu: matcher failed on this article\n",
                     static_cast<unsigned long long>(n.line_no));
      } else if (++reported_ <= max_reported_bad_lines) {
        std::fprintf(stderr, "stdin:%llu: skipped: %.*s\n",
                     static_cast<unsigned long long>(n.line_no), static_cast<int>(n.reason.size()),
                     n.reason.data());
      } else if (reported_ == max_reported_bad_lines + 1) {
        std::fprintf(stderr, "stdin: further bad lines are counted, not shown (see --stats)\n");
      }
    }
    if (failed_) return false;
    if (!out_.empty() && (std::fwrite(out_.data(), 1, out_.size(), stdout) != out_.size() ||
                          std::fflush(stdout) != 0)) {
      errno_ = errno;
      failed_ = true;
    }
    return !failed_;
  }

  ScanCounts& totals_;
  const StoryPolicy policy_;
  const bool stage_;
  std::shared_ptr<const Rules> rules_;
  StoryStage stories_;  // the stories of this scan's input, by the time it was read
  StoryFiler filer_;
  std::vector<ReleasedAlert> released_;
  std::string out_;  // one batch's alerts, written at once
  std::uint64_t reported_ = 0;
  std::atomic<bool> failed_ = false;  // read by the reading thread
  int errno_ = 0;
};

/// The batches of `scan` on the shared WorkerPool (one PipelineWorker, so one
/// Hyperscan scratch, per thread), fed by the reading thread. Whichever pool thread
/// completes the next batch in input order writes it and any completed successors
/// (InOrder), so output keeps input order and flows without a writer thread. A
/// fixed set of batches (2 per worker + 2) bounds memory: acquire() blocks while
/// all are in flight.
class OrderedScan {
 public:
  OrderedScan(unsigned workers, const std::shared_ptr<const Rules>& rules, bool reference,
              bool signing, const AlertBounds& bounds, ScanWriter& writer)
      : writer_(writer), pool_(workers, {FieldMap{}}, rules, reference) {
    pool_.set_signing(signing);
    pool_.set_limits(bounds);
    const std::size_t n = 2 * std::size_t{workers} + 2;
    for (std::size_t i = 0; i < n; ++i) {
      batches_.push_back(std::make_unique<ScanBatch>());
      free_.push_back(batches_.back().get());
    }
  }
  OrderedScan(const OrderedScan&) = delete;
  OrderedScan& operator=(const OrderedScan&) = delete;

  /// An empty batch; blocks while every batch is queued, running or unwritten.
  ScanBatch* acquire() {
    std::unique_lock lock(m_);
    free_cv_.wait(lock, [&] { return !free_.empty(); });
    ScanBatch* b = free_.back();
    free_.pop_back();
    lock.unlock();
    b->clear();
    return b;
  }
  /// Queues a batch for the workers (it is written and recycled by them).
  void submit(ScanBatch* b) {
    {
      std::lock_guard lock(m_);
      b->seq = submitted_++;
    }
    pool_.submit([this, b](const WorkerContext& ctx) {
      process_batch(ctx.worker, *b);
      complete(b);
    });
  }
  /// Waits until every submitted batch was written.
  void drain() {
    std::unique_lock lock(m_);
    free_cv_.wait(lock, [&] { return written_ == submitted_ && !writing_; });
  }
  bool failed() {
    std::lock_guard lock(m_);
    return writer_.failed();
  }

 private:
  void complete(ScanBatch* b) {
    std::unique_lock lock(m_);
    order_.put(b->seq, b);
    if (writing_) return;  // the thread writing now picks this one up
    writing_ = true;
    for (ScanBatch* next; order_.pop(next);) {
      lock.unlock();
      writer_.write(*next);
      lock.lock();
      ++written_;
      free_.push_back(next);
      free_cv_.notify_all();
    }
    writing_ = false;
    free_cv_.notify_all();
  }

  ScanWriter& writer_;
  std::mutex m_;
  std::condition_variable free_cv_;
  std::vector<std::unique_ptr<ScanBatch>> batches_;
  std::vector<ScanBatch*> free_;
  InOrder<ScanBatch*> order_;
  std::uint64_t submitted_ = 0, written_ = 0;
  bool writing_ = false;
  WorkerPool pool_;  // last: its threads stop before the rest goes
};

/// Where scan's bytes come from: read(2)-like, 0 at the end, -1 on an error it
/// has reported. stdin by default; a JetStream stream with --jetstream.
using ReadFn = std::function<long(char*, std::size_t)>;

long read_stdin_bytes(char* buf, std::size_t n) {
  for (;;) {
    const ssize_t got = ::read(STDIN_FILENO, buf, n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0)
      std::fprintf(stderr, "newshound scan: reading stdin failed: %s\n", std::strerror(errno));
    return long(got);
  }
}

/// Reads `read` to its end, handing each read's lines to `sink(batch)`;
/// `acquire()` supplies the batch to fill. Returns exit_ok or exit_error.
template <class Acquire, class Sink>
int read_stdin(const ReadFn& read, std::size_t max_line_bytes, Acquire acquire, Sink sink) {
  LineFramer framer(max_line_bytes, scan_read_chunk);
  std::uint64_t line_no = 0;
  for (;;) {
    auto space = framer.prepare();
    const long n = read(space.data(), space.size());
    if (n < 0) return exit_error;
    ScanBatch* b = acquire();
    b->read_at = Clock::now();
    std::string_view line;
    LineFramer::Event ev;
    if (n == 0) {
      while ((ev = framer.finish(line)) != LineFramer::Event::need_more)
        b->add(++line_no, ev, line);
    } else {
      framer.commit(static_cast<std::size_t>(n));
      while ((ev = framer.next(line)) != LineFramer::Event::need_more) b->add(++line_no, ev, line);
    }
    if (!sink(b)) return exit_error;
    if (n == 0) return exit_ok;
  }
}

/// The alerts' bounds: the defaults, without snippets for `--no-snippets`.
AlertBounds scan_bounds(const ScanOptions& options) {
  AlertBounds b;
  b.widest.snippets = options.snippets;
  return b;
}

/// One worker, on this thread: read, process, write, in turn.
int scan_inline(const ReadFn& read, const ScanOptions& options,
                const std::shared_ptr<const Rules>& rules, ScanCounts& totals) {
  PipelineWorker worker({FieldMap{}}, rules, options.reference);
  worker.set_signing(options.story_stage);
  worker.set_limits(scan_bounds(options));
  ScanWriter writer(totals, options.stories, options.story_stage, rules);
  ScanBatch batch;
  int rc = read_stdin(
      read, options.max_line_bytes,
      [&] {
        batch.clear();
        return &batch;
      },
      [&](ScanBatch* b) {
        process_batch(&worker, *b);
        return writer.write(*b);
      });
  writer.finish();
  if (writer.failed())
    std::fprintf(stderr, "newshound scan: writing stdout failed: %s\n",
                 std::strerror(writer.error()));
  return writer.failed() ? exit_error : rc;
}

/// `workers` threads match; this thread only reads and frames.
int scan_parallel(const ReadFn& read, const ScanOptions& options,
                  const std::shared_ptr<const Rules>& rules, unsigned workers, ScanCounts& totals) {
  ScanWriter writer(totals, options.stories, options.story_stage, rules);
  int rc = exit_ok;
  {
    OrderedScan scan(workers, rules, options.reference, options.story_stage, scan_bounds(options),
                     writer);
    rc = read_stdin(
        read, options.max_line_bytes, [&] { return scan.acquire(); },
        [&](ScanBatch* b) {
          scan.submit(b);
          return !scan.failed();
        });
    scan.drain();
  }
  writer.finish();
  if (writer.failed())
    std::fprintf(stderr, "newshound scan: writing stdout failed: %s\n",
                 std::strerror(writer.error()));
  return writer.failed() ? exit_error : rc;
}

/// `--workers 0` (the default) means one per core.
unsigned scan_workers(unsigned requested) {
  if (requested > 0) return std::min(requested, 256u);
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 0 ? cores : 1;
}
}  // namespace

int run_scan(const ScanOptions& options) {
  std::vector<WatchlistConfig> lists;
  for (const auto& p : options.watchlists) {
    WatchlistConfig wl;  // a --watchlist path: every other key at its default
    wl.path = p;
    wl.transliterate = options.transliterate && !is_topics_path(p);
    lists.push_back(std::move(wl));
  }
  Diagnostics diags;
  using Seconds = std::chrono::duration<double>;
  const auto t0 = std::chrono::steady_clock::now();
  CompileOptions compile;
  if (options.shard_literals > 0) compile.shard_literals = options.shard_literals;
  auto rules = load_rules(lists, diags, compile);
  if (!rules) {
    print_diagnostics(diags, stderr);
    return exit_config;  // like check and explain: a broken watch-list is EX_CONFIG
  }
  const auto t1 = std::chrono::steady_clock::now();
  const unsigned workers = scan_workers(options.workers);
  ReadFn read = read_stdin_bytes;
  JetStreamScanReader stream;
  if (!options.jetstream.url.empty()) {
    if (std::string why = stream.open(options.jetstream); !why.empty()) {
      std::fprintf(stderr, "newshound scan: %s\n", why.c_str());
      return exit_error;
    }
    read = [&stream](char* buf, std::size_t n) {
      const long got = stream.read(buf, n);
      if (got < 0) std::fprintf(stderr, "newshound scan: %s\n", stream.error().c_str());
      return got;
    };
  }
  std::uint64_t bytes = 0;  // for --stats' MB/s
  ReadFn counted = [&read, &bytes](char* buf, std::size_t n) {
    const long got = read(buf, n);
    if (got > 0) bytes += std::uint64_t(got);
    return got;
  };
  ScanCounts c;
  const int rc = workers <= 1 ? scan_inline(counted, options, rules, c)
                              : scan_parallel(counted, options, rules, workers, c);
  if (rc != exit_ok) return rc;
  const auto t2 = std::chrono::steady_clock::now();
  // The two times let a benchmark separate start-up from throughput (tools/bench).
  const double secs = std::max(Seconds(t2 - t1).count(), 1e-9);
  if (options.stats)
    std::fprintf(
        stderr,
        "lines %llu, articles %llu, alerts %llu, matches %llu, bad lines %llu, matcher "
        "failures %llu; rules version %s, %zu database shard(s); %.0f articles/s, %.1f MB/s; "
        "load+compile %.3f s, scan %.3f s\n",
        static_cast<unsigned long long>(c.lines), static_cast<unsigned long long>(c.articles),
        static_cast<unsigned long long>(c.alerts), static_cast<unsigned long long>(c.matches),
        static_cast<unsigned long long>(c.bad), static_cast<unsigned long long>(c.engine_errors),
        rules->version().c_str(), rules->databases().size(), double(c.articles) / secs,
        double(bytes) / 1e6 / secs, Seconds(t1 - t0).count(), Seconds(t2 - t1).count());
  return c.alerts > 0 ? exit_ok : exit_no_alert;
}

}  // namespace newshound
