// Utility: read_stable_file, a whole-file read that notices a file being rewritten
// in place (size or modification time changing under the read, a last line still
// growing) and reads again.
#include "newshound/util/stable_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

namespace newshound {

namespace {

bool same_version(const struct stat& a, const struct stat& b) {
  return a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
         a.st_mtim.tv_nsec == b.st_mtim.tv_nsec && a.st_ino == b.st_ino;
}

/// One read of the open file `fd` into `text`; false with `error` set on failure.
bool read_all(int fd, std::string& text, int& error) {
  text.clear();
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      return false;
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
}

/// How long ago the file described by `st` was last modified (0 if in the future).
std::chrono::milliseconds age_of(const struct stat& st) {
  using namespace std::chrono;
  const auto mtime = system_clock::time_point(duration_cast<system_clock::duration>(
      seconds(st.st_mtim.tv_sec) + nanoseconds(st.st_mtim.tv_nsec)));
  const auto age = duration_cast<milliseconds>(system_clock::now() - mtime);
  return age.count() > 0 ? age : milliseconds(0);
}

enum class Attempt { done, failed, unsettled };

/// One attempt: open, stat, read, stat; for an empty text or one without a final
/// line end modified less than `settle` ago, also a wait until then and a third stat.
Attempt read_once(const std::filesystem::path& path, std::chrono::milliseconds settle,
                  StableRead& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    out.error = errno;
    return Attempt::failed;
  }
  struct stat before {};
  if (::fstat(fd, &before) != 0 || !S_ISREG(before.st_mode)) {
    out.error = ::fstat(fd, &before) != 0 ? errno : S_ISDIR(before.st_mode) ? EISDIR : EINVAL;
    ::close(fd);
    return Attempt::failed;
  }
  out.text.reserve(static_cast<std::size_t>(before.st_size));
  if (!read_all(fd, out.text, out.error)) {
    ::close(fd);
    out.text.clear();
    return Attempt::failed;
  }
  struct stat after {};
  bool stable = ::fstat(fd, &after) == 0 && same_version(before, after) &&
                static_cast<std::size_t>(after.st_size) == out.text.size();
  if (stable && (out.text.empty() || out.text.back() != '\n')) {  // truncated, or mid-line?
    // Only a file left alone for the settle time counts: a writer may be between writes.
    if (const auto quiet = settle - age_of(after); quiet.count() > 0) {
      std::this_thread::sleep_for(quiet);
      struct stat later {};
      stable = ::fstat(fd, &later) == 0 && same_version(after, later);
    }
  }
  ::close(fd);
  return stable ? Attempt::done : Attempt::unsettled;
}

}  // namespace

StableRead read_stable_file(const std::filesystem::path& path, const StableReadOptions& options) {
  StableRead out;
  std::chrono::milliseconds wait = options.settle;
  const unsigned attempts = options.attempts == 0 ? 1 : options.attempts;
  for (out.attempts = 1;; ++out.attempts) {
    switch (read_once(path, options.settle, out)) {
      case Attempt::done:
        return out;
      case Attempt::failed:
        return out;
      case Attempt::unsettled:
        break;
    }
    if (out.attempts >= attempts) {
      out.changed = true;
      return out;
    }
    std::this_thread::sleep_for(wait);
    wait *= 2;
  }
}

Diagnostic changed_while_read(const std::string& file, const StableRead& read) {
  std::uint32_t lines = 1;
  for (const char c : read.text) lines += c == '\n';
  if (!read.text.empty() && read.text.back() == '\n') --lines;
  return Diagnostic{file, lines, 0,
                    "the file changed while it was read (" + std::to_string(read.attempts) +
                        " tries; this was the last line read, perhaps half-written): do not "
                        "rewrite it in place, write a temporary file in the same folder and "
                        "rename it over this one, then load again"};
}

}  // namespace newshound
