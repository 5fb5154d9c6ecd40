// Stage: source. The drop folder: files dropped into a folder, one article (or
// one NDJSON file of articles) each, picked up via inotify plus a rescan at
// start, handed to the consumer as one acknowledged batch per file, and moved to
// done_dir (or deleted) once every record is settled, or to failed_dir with a
// `.reason` file beside it when a record cannot be decoded.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "newshound/source/input.hpp"
#include "newshound/source/line_batch.hpp"

namespace newshound {

struct DirectoryInputOptions {
  std::string name;
  std::uint32_t input = 0;           ///< index of this [[input]]
  std::filesystem::path path;        ///< the drop folder
  std::filesystem::path done_dir;    ///< accepted files go here (load_config: <path>/.done)
  std::filesystem::path failed_dir;  ///< refused files go here (load_config: <path>/.failed)
  bool delete_done = false;          ///< `delete`: remove accepted files instead
  std::size_t max_file_bytes = 0;  ///< larger files are failed unread (load_config: max_line_bytes)
  std::size_t max_files_inflight = 16;       ///< files read and not yet settled; then pick-up waits
  std::size_t max_inflight_bytes = 4 << 20;  ///< their bytes (one file is always allowed)
  std::vector<std::string> ignore{".*", "*.tmp"};  ///< fnmatch(3) patterns of names never read
  std::chrono::milliseconds retry{
      5000};  ///< a file whose records were not all accepted: again after
  bool operator==(const DirectoryInputOptions&) const = default;
};

/// Counters of one drop folder, updated on the event-loop thread.
struct DirectoryInputStats {
  std::atomic<std::uint64_t> files{0};        ///< picked up (read, or refused unread)
  std::atomic<std::uint64_t> done{0};         ///< accepted and moved to done_dir (or deleted)
  std::atomic<std::uint64_t> failed{0};       ///< moved to failed_dir
  std::atomic<std::uint64_t> retried{0};      ///< left in place to be read again
  std::atomic<std::uint64_t> move_errors{0};  ///< renames or deletes that failed (retried)
  std::atomic<std::uint64_t> rescans{0};      ///< full scans of the folder (start, overflow)
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> records{0};
  std::atomic<std::uint64_t> in_flight{0};  ///< files read and not yet settled and moved
};

/// One drop folder. Runs entirely on the io_context it was given; never blocks
/// on a file (only regular files of bounded size are read) and never throws after
/// construction: folder errors are logged (rate-limited) and retried.
class DirectoryInput final : public Input {
 public:
  DirectoryInput(boost::asio::io_context& io, DirectoryInputOptions options,
                 LineConsumer& consumer);
  ~DirectoryInput() override;
  DirectoryInput(const DirectoryInput&) = delete;
  DirectoryInput& operator=(const DirectoryInput&) = delete;

  /// Checks the folders (drop_folder_problem), creates done_dir and failed_dir
  /// when missing, and sets up the inotify watch. Returns an error message, "" on
  /// success.
  std::string bind() override;
  /// Rescans the folder, then follows inotify.
  void start() override;
  /// Stops picking files up; files in flight still move once settled.
  void stop() override;
  void set_index(std::uint32_t input) override;
  std::uint64_t bytes_in() const override { return stats().bytes.load(); }
  void report_metrics(MetricsExposition& out, std::string_view name) const override;
  const DirectoryInputOptions& options() const;
  const DirectoryInputStats& stats() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace newshound
