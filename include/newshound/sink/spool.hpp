// Stage: sink. Spool: an output's on-disk backlog. A directory of append-only,
// sequence-numbered segment files holding length-prefixed, CRC32C-checked
// records, read and released strictly in order, with the release position kept
// in a small cursor file so a restart resumes where delivery stopped.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/sink/fsync_policy.hpp"

namespace newshound {

/// The disk syncs that make a spool's appended records durable, detached from the
/// spool so they can run on another thread (group commit off the event loop).
/// Owns its descriptors (closed by the destructor). Made by Spool::take_sync().
class SpoolSync {
 public:
  SpoolSync() = default;
  SpoolSync(SpoolSync&& o) noexcept;
  SpoolSync& operator=(SpoolSync&& o) noexcept;
  SpoolSync(const SpoolSync&) = delete;
  SpoolSync& operator=(const SpoolSync&) = delete;
  ~SpoolSync();

  /// fdatasync()s every file, then fsync()s the directory if a segment was created.
  /// Touches only its own descriptors, so any one thread may run it. On failure
  /// returns false with `error` ("cannot sync <path>: <strerror>") and keeps what
  /// was not synced, so running it again retries. Blocks on the disk.
  bool run(std::string& error);
  /// Takes over `other`'s unsynced files (e.g. a failed sync, to retry with this one).
  void merge(SpoolSync&& other);
  bool empty() const { return files_.empty() && dir_.empty(); }

 private:
  friend class Spool;
  struct File {
    int fd = -1;
    std::string path;
  };
  std::vector<File> files_;
  std::string dir_;  ///< directory to fsync (a segment was created); empty = none
};

struct SpoolOptions {
  std::filesystem::path dir;               ///< created (with parents) if missing
  std::uint64_t max_bytes = 256ull << 20;  ///< cap on the segment files' total size
  /// Segment rollover size; 0 = max_bytes / 16, clamped to [64 KiB, 64 MiB]. Never
  /// more than half of max_bytes (so released segments can always make room).
  std::uint64_t segment_bytes = 0;
  /// Only cursor syncs follow it here; syncing appended records, segment headers
  /// and the directory is the caller's call (Spool::sync, or Spool::take_sync on
  /// another thread), for group commit. Rollover never syncs.
  FsyncPolicy fsync = FsyncPolicy::interval;
  bool operator==(const SpoolOptions&) const = default;
};

/// Counters of one spool. Gauges describe the records not yet released.
struct SpoolStats {
  std::uint64_t records = 0;        ///< gauge: records appended, not yet released
  std::uint64_t bytes = 0;          ///< gauge: their bytes (8-byte record headers included)
  std::uint64_t disk_bytes = 0;     ///< gauge: size of all segment files
  std::uint64_t segments = 0;       ///< gauge: segment files
  std::uint64_t appended = 0;       ///< records appended by this process
  std::uint64_t released = 0;       ///< records released (delivered) by this process
  std::uint64_t recovered = 0;      ///< unreleased records found when opening
  std::uint64_t bad_records = 0;    ///< bad checksum or framing: skipped
  std::uint64_t torn_tails = 0;     ///< partial records at a segment's end: truncated
  std::uint64_t garbage_files = 0;  ///< unexpected or unreadable files: set aside
  std::uint64_t bad_cursors = 0;    ///< unreadable cursor files: delivery restarted at the oldest
  std::uint64_t write_errors = 0;   ///< failed appends and syncs
};

/// Outcome of an append.
enum class SpoolAppend {
  ok,
  full,      ///< the record would put the spool over max_bytes; nothing written
  io_error,  ///< write failed (see last_error()); nothing kept
};

/// One spool directory, used from one thread. Open with Spool::open(); the
/// directory is locked (flock) against a second user for the object's lifetime.
/// Appends go to the newest segment (a fresh one per process). read() returns
/// records oldest first; release() marks the oldest read record delivered, and
/// segments whose records are all released are deleted. Records with a bad
/// checksum are skipped and counted, never returned. No exceptions on the append,
/// read or release path except std::bad_alloc; errors are values.
class Spool {
 public:
  /// Opens `opts.dir` (creating it), locks it and recovers: torn tails are
  /// truncated, unreadable files renamed to `*.corrupt`, an unreadable cursor
  /// means delivery restarts at the oldest record; each is logged and counted.
  /// Returns nullptr and sets `error` (a sentence naming the path and what to do)
  /// when the directory cannot be created, read or locked.
  static std::unique_ptr<Spool> open(const SpoolOptions& opts, std::string& error);

  /// Saves the cursor, closes the files, releases the lock.
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  /// Appends one record (payload must be non-empty). An empty spool takes one
  /// record whatever its size, so an oversized record cannot block forever.
  SpoolAppend append(std::string_view payload);

  /// Copies the oldest record not yet read into `payload`; false when none is left.
  bool read(std::string& payload);

  /// Drops the record read last from delivery as undecodable: counted as bad and
  /// released together with the records before it.
  void discard_last_read();

  /// Releases the oldest record read and not yet released (its delivery is done).
  /// Does nothing if there is none.
  void release();

  /// Makes every record appended so far durable on this thread: runs take_sync();
  /// false (and last_error(), counted in write_errors) on failure, and the failed
  /// syncs are retried by the next call.
  bool sync();

  /// Detaches the syncs that cover every record appended so far (the segment
  /// written to, segments rolled over since the last sync, the directory when a
  /// segment was created), to run on another thread. A failed SpoolSync goes back
  /// through give_back() so that the next one retries it.
  SpoolSync take_sync();
  /// Takes back a SpoolSync whose run() failed with `error` (counted, last_error()).
  void give_back(SpoolSync failed, const std::string& error);

  /// Writes the cursor file if the release position moved since the last save
  /// (write, sync per policy, rename) on this thread; false (and last_error()) on failure.
  bool save_cursor();

  /// The cursor file's bytes if the release position moved since the last save
  /// (and marks it saved), else "". Write them with write_cursor(), possibly on
  /// another thread; on failure call cursor_failed().
  std::string take_cursor();
  /// Writes cursor bytes to `dir`/cursor (via cursor.tmp and rename; fdatasync
  /// first when `sync`). Thread-safe for one writer per directory at a time.
  /// "" or what went wrong ("cannot write spool cursor <path>: <strerror>").
  static std::string write_cursor(const std::filesystem::path& dir, std::string_view bytes,
                                  bool sync);
  /// A cursor taken with take_cursor() could not be written: counted, saved again later.
  void cursor_failed(const std::string& error);

  /// True when every record appended or recovered has been released.
  bool empty() const { return st_.records == 0; }
  /// True when read() would return a record.
  bool has_unread() const;
  /// Records read and not yet released.
  std::size_t outstanding() const { return outstanding_; }
  /// Whether the release position moved since the cursor was saved.
  bool cursor_dirty() const { return cursor_dirty_; }

  const SpoolStats& stats() const { return st_; }
  const std::filesystem::path& dir() const { return opts_.dir; }
  /// The last I/O error, as "what path: strerror".
  const std::string& last_error() const { return last_error_; }

  /// Largest record accepted by the reader; longer lengths are corruption.
  static constexpr std::uint32_t kMaxRecord = 64u << 20;
  static constexpr std::size_t kHeaderBytes = 16;  ///< segment header: magic, version
  static constexpr std::size_t kRecordHeader = 8;  ///< u32 length, u32 CRC32C

 private:
  struct Segment {
    std::uint64_t seq = 0;
    std::uint64_t size = 0;  ///< bytes known good (records end here)
    std::uint64_t disk = 0;  ///< the file's size
  };
  struct Pos {
    std::uint64_t seq = 0;
    std::uint64_t off = 0;
  };
  struct ReadRecord {
    Pos end;
    std::uint64_t bytes = 0;
    bool deliverable = true;
  };

  explicit Spool(SpoolOptions opts);
  bool recover(std::string& error);
  bool scan_segment(Segment& seg, std::uint64_t from, std::uint64_t* start_at);
  bool open_write_segment();
  void retire_write_fd();
  void normalize(Pos& p) const;
  void collect();
  void pop_released();
  std::filesystem::path seg_path(std::uint64_t seq) const;
  bool fill(std::uint64_t off, std::size_t need);
  void set_error(const std::string& what, int err);

  SpoolOptions opts_;
  SpoolStats st_;
  std::deque<Segment> segs_;  ///< oldest first; the back one is written to once open
  int lock_fd_ = -1;
  int write_fd_ = -1;
  std::uint64_t write_seq_ = 0;  ///< segment written to (0 = none yet)
  std::uint64_t next_seq_ = 1;
  Pos release_;  ///< everything before this is delivered
  Pos read_;     ///< next record to read
  bool cursor_dirty_ = false;
  std::deque<ReadRecord> read_records_;  ///< read, not released yet
  std::size_t outstanding_ = 0;          ///< deliverable entries in read_records_
  // Buffered reader over the segment `read_.seq`.
  int read_fd_ = -1;
  std::uint64_t read_fd_seq_ = 0;
  std::uint64_t buf_off_ = 0;  ///< file offset of buf_[0]
  std::vector<char> buf_;
  std::size_t buf_len_ = 0;
  std::string last_error_;
  std::string scratch_;  ///< append: header + payload, reused
  SpoolSync unsynced_;   ///< rolled-over segments and the directory, not yet synced
};

/// True if a file named `name` is one a spool folder holds: a segment
/// ("0000000000000042.seg"), `cursor`, `cursor.tmp`, `lock`, or a set-aside
/// `*.corrupt` file. Anything else in a spool folder is not the spool's.
bool is_spool_file_name(const std::string& name);

/// CRC32C (Castagnoli) of `data`, as stored in record headers.
std::uint32_t crc32c(std::string_view data);

}  // namespace newshound
