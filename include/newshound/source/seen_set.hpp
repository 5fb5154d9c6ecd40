// Stage: source. The feed poller's memory of items already alerted: an
// append-only log under state_dir, fsynced per flush, compacted on open,
// bounded by age and count; a torn last line (SIGKILL mid-write) is ignored.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace newshound {

/// Owns its file descriptor. Not thread-safe (the event-loop thread uses it).
/// Why a log and not SQLite: the data is a set of fixed-size (key, version,
/// time) rows written in bursts; one append + fdatasync per burst is crash-safe
/// (a torn tail fails its checksum-free format check and is dropped), needs no
/// new dependency and compaction is a rewrite + rename at start.
class SeenSet {
 public:
  struct Options {
    std::filesystem::path file;  ///< empty: in memory only (nothing survives a restart)
    std::size_t max_entries = 100000;
    std::chrono::seconds max_age{std::chrono::hours(24 * 30)};
  };
  SeenSet() = default;
  ~SeenSet();
  SeenSet(const SeenSet&) = delete;
  SeenSet& operator=(const SeenSet&) = delete;

  /// Loads the log (dropping expired entries, keeping the newest max_entries),
  /// rewrites it compacted (temporary file, fsync, rename) and opens it for
  /// appending; creates its folder. Returns "" or an error sentence (then the set
  /// works in memory only).
  std::string open(Options options, std::chrono::system_clock::time_point now);

  /// True when `key` was recorded with this `version`.
  bool contains(std::string_view key, std::string_view version) const;
  /// True when `key` was recorded more than half of max_age before `now`
  /// (re-record it while its item is still in the feed, so it does not expire).
  bool stale(std::string_view key, std::chrono::system_clock::time_point now) const;

  /// Records an entry in memory and queues it for the next flush().
  void add(std::string_view key, std::string_view version,
           std::chrono::system_clock::time_point now);
  /// Appends the queued entries and fdatasyncs. Returns "" or an error sentence
  /// (the entries stay in memory; a restart may alert them again).
  std::string flush();
  bool pending() const { return !queued_.empty(); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string version;  ///< hash of the version
    std::int64_t time = 0;
  };
  static std::string line(std::string_view key, const Entry& e);
  void trim(std::int64_t now);
  Options opt_;
  std::unordered_map<std::string, Entry> entries_;  ///< key hash -> entry
  std::string queued_;
  int fd_ = -1;
  std::size_t lines_ = 0;  ///< lines in the file: compacted again past 2 x max_entries
};

}  // namespace newshound
