// Utility: regular-file checks and a non-blocking append open (see regular_file.hpp).
#include "newshound/util/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace newshound {

namespace {
std::string kind_of(mode_t mode) {
  if (S_ISREG(mode)) return {};
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}
}  // namespace

std::string special_file_kind(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};  // missing (or unreadable): the open says why
  if (S_ISDIR(st.st_mode)) return {};
  return kind_of(st.st_mode);
}

namespace {
/// open(2) with O_NONBLOCK, then fstat: anything but a regular file is refused.
int open_regular(const std::filesystem::path& path, int flags, mode_t mode, std::string& error) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, mode);
  if (fd < 0) {
    const int err = errno;
    // A FIFO without a reader refuses a non-blocking open (ENXIO): say what it is.
    const std::string kind = special_file_kind(path);
    error = kind.empty() ? std::strerror(err) : "it is " + kind + ", not a regular file";
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    error = "it is " + kind_of(st.st_mode) + ", not a regular file";
    ::close(fd);
    return -1;
  }
  const int now = ::fcntl(fd, F_GETFL);
  if (now >= 0) ::fcntl(fd, F_SETFL, now & ~O_NONBLOCK);
  return fd;
}
}  // namespace

int open_append_regular(const std::filesystem::path& path, mode_t mode, std::string& error) {
  return open_regular(path, O_WRONLY | O_APPEND | O_CREAT, mode, error);
}

int open_read_regular(const std::filesystem::path& path, std::string& error) {
  return open_regular(path, O_RDONLY, 0, error);
}

}  // namespace newshound
