// Utility: reading a whole user file (a watch-list, a topics file) that an operator
// may be rewriting in place while it is read, so that a half-written file is
// reported instead of loaded.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "newshound/util/diagnostic.hpp"

namespace newshound {

/// How hard read_stable_file tries: `attempts` reads at most; a file that is empty
/// or ends mid-line counts only once unmodified for `settle`; the wait before a
/// retry starts at `settle` and doubles each time.
struct StableReadOptions {
  unsigned attempts = 5;
  std::chrono::milliseconds settle{250};
};

/// What read_stable_file read. `error` is the errno of a failed open or read (or
/// EISDIR/EINVAL for a folder or another non-regular file), and `text` is then
/// empty. `changed` means the file was still changing after every attempt: `text`
/// holds the last attempt, which must not be used as the file's content.
struct StableRead {
  std::string text;
  int error = 0;
  bool changed = false;
  unsigned attempts = 0;  ///< reads made
};

/// Reads the regular file at `path` whole. A read counts only if the file's size
/// and modification time are the same before and after it and the size is what
/// was read; an empty text, or one whose last line has no line end, counts only if
/// the file was last modified at least `settle` ago, waiting (and checking again)
/// if need be: a writer may have just truncated it, or be in the middle of a line.
/// Otherwise it waits and reads again. Opens with O_NONBLOCK, so a FIFO is refused
/// (EINVAL), never waited on. Blocks the calling thread for at most about
/// settle * 2^attempts: call it off the event loop. Never throws except std::bad_alloc.
StableRead read_stable_file(const std::filesystem::path& path,
                            const StableReadOptions& options = {});

/// The diagnostic for a read that stayed `changed`: `file` at the last line read,
/// saying the file is being rewritten in place and how to replace it atomically.
Diagnostic changed_while_read(const std::string& file, const StableRead& read);

}  // namespace newshound
