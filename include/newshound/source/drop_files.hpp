// Stage: source. The file operations of the drop folder, none of which can
// block on a special file: checking the folders, reading one dropped file, and
// moving it to done_dir or failed_dir (with its `.reason`) by rename.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/source/directory_input.hpp"

namespace newshound {

/// What is wrong with the folders of `o`, "" when nothing: `path` must be a
/// folder the daemon can read and write; `done_dir` (unless delete_done) and
/// `failed_dir` folders other than `path`, writable and on the same filesystem as
/// `path` (so a move is a rename), or missing with such a parent (bind() creates
/// them). Never opens anything. Never throws but std::bad_alloc.
std::string drop_folder_problem(const DirectoryInputOptions& o);

/// Whether `name` matches one of the fnmatch(3) `patterns` (a leading '.' is an
/// ordinary character: ".*" matches dot-files).
bool ignored_name(std::string_view name, const std::vector<std::string>& patterns);

/// A dropped file read whole, or why it was refused unread.
struct DroppedFile {
  std::string content;
  std::string refused;   ///< "" when read: "it is a FIFO (named pipe), not a regular file", ...
  bool missing = false;  ///< gone before it could be opened (moved away, deleted): nothing to do
};

/// Reads `file` without ever blocking: opened O_NONBLOCK (a FIFO opens at once),
/// anything but a regular file refused after fstat, and so is a file over
/// `max_bytes` (also one that grows past it while read). Never throws but
/// std::bad_alloc.
DroppedFile read_dropped_file(const std::filesystem::path& file, std::size_t max_bytes);

/// Renames `from_dir`/`name` into `to_dir`, never over a file there: a taken name
/// gets ".1", ".2", ... appended. Returns the name it got, or "" with `error` set.
std::string move_into(const std::filesystem::path& from_dir, std::string_view name,
                      const std::filesystem::path& to_dir, std::string& error);

/// Moves `name` into `failed_dir` and writes `<moved name>.reason` there holding
/// `reason` (one or more lines). Returns "" or the error.
std::string fail_file(const std::filesystem::path& from_dir, std::string_view name,
                      const std::filesystem::path& failed_dir, std::string_view reason);

}  // namespace newshound
