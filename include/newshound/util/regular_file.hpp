// Utility: where a regular file is meant (config, watch-lists, file outputs,
// dead-letter files), refuse anything else (a FIFO, a device, a folder) without
// ever blocking on it: a FIFO opened plainly blocks until its other end opens.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace newshound {

/// What `path` is when it is a special file, one whose open or read can block
/// or never end, for messages: "a FIFO (named pipe)", "a character device", "a
/// block device", "a socket". "" for a regular file, a folder (its open or read
/// fails at once with a clear error) and a path that does not exist (yet).
/// Follows symbolic links; never opens the path, so never blocks. Never throws
/// but std::bad_alloc.
std::string special_file_kind(const std::filesystem::path& path);

/// Opens `path` for appending, creating it with `mode`, and never blocks: the
/// open is O_NONBLOCK and anything but a regular file is closed and refused
/// (O_NONBLOCK is then cleared). Returns the descriptor (O_CLOEXEC), or -1 with
/// `error` set ("it is a FIFO (named pipe), not a regular file", or strerror).
/// Never throws but std::bad_alloc.
int open_append_regular(const std::filesystem::path& path, mode_t mode, std::string& error);

/// Opens `path` for reading the same way: never blocks (a FIFO opens at once and
/// is refused), anything but a regular file is refused. Returns the descriptor
/// (O_CLOEXEC, blocking again), or -1 with `error` set (strerror, e.g. "No such
/// file or directory", or what the special file is). Never throws but std::bad_alloc.
int open_read_regular(const std::filesystem::path& path, std::string& error);

}  // namespace newshound
