// Stage: source. The drop folder's file operations (see drop_files.hpp): folder
// checks, a never-blocking bounded read, and moves by rename that never replace.
#include "newshound/source/drop_files.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "newshound/util/regular_file.hpp"

namespace newshound {

namespace fs = std::filesystem;

namespace {
/// What is wrong with `dir` as a folder the daemon writes into on the device
/// `dev` (0: any), "" if nothing. A missing folder is judged by its parent.
std::string folder_problem(const fs::path& dir, dev_t dev, bool may_be_missing) {
  struct stat st {};
  fs::path at = dir;
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT || !may_be_missing) return dir.string() + ": " + std::strerror(errno);
    at = dir.parent_path();
    if (::stat(at.c_str(), &st) != 0)
      return dir.string() + " does not exist and neither does its parent folder " + at.string();
  }
  if (!S_ISDIR(st.st_mode)) return at.string() + " is not a folder";
  if (::access(at.c_str(), W_OK | X_OK | R_OK) != 0)
    return at.string() + ": " + std::strerror(errno) + " (the daemon must read and write it)";
  if (dev != 0 && st.st_dev != dev)
    return at.string() + " is on another filesystem than the drop folder, so files could not " +
           "be moved by rename; put it on the same filesystem";
  return {};
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return a.lexically_normal() == b.lexically_normal() || fs::equivalent(a, b, ec);
}
}  // namespace

std::string drop_folder_problem(const DirectoryInputOptions& o) {
  if (auto p = folder_problem(o.path, 0, false); !p.empty()) return "path: " + p;
  struct stat st {};
  if (::stat(o.path.c_str(), &st) != 0)
    return "path: " + o.path.string() + ": " + std::strerror(errno);
  std::vector<std::pair<const char*, const fs::path*>> dirs{{"failed_dir", &o.failed_dir}};
  if (!o.delete_done) dirs.insert(dirs.begin(), {"done_dir", &o.done_dir});
  for (const auto& [key, dir] : dirs) {
    if (dir->empty()) return std::string(key) + ": not set";
    if (same_folder(*dir, o.path))
      return std::string(key) + ": " + dir->string() +
             " is the drop folder itself; use a folder of its own";
    if (auto p = folder_problem(*dir, st.st_dev, true); !p.empty())
      return std::string(key) + ": " + p;
  }
  return {};
}

bool ignored_name(std::string_view name, const std::vector<std::string>& patterns) {
  const std::string n(name);
  for (const auto& p : patterns)
    if (::fnmatch(p.c_str(), n.c_str(), 0) == 0) return true;
  return false;
}

DroppedFile read_dropped_file(const fs::path& file, std::size_t max_bytes) {
  DroppedFile out;
  std::string error;
  const int fd = open_read_regular(file, error);
  if (fd < 0) {
    out.missing = errno == ENOENT;
    out.refused = std::move(error);
    return out;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && std::size_t(st.st_size) > max_bytes) {
    out.refused = std::to_string(st.st_size) + " bytes, over max_file_bytes (" +
                  std::to_string(max_bytes) + ")";
    ::close(fd);
    return out;
  }
  out.content.resize(std::size_t(st.st_size) + 1);  // one more: a file that grew shows it
  std::size_t got = 0;
  for (;;) {
    if (got == out.content.size()) {
      if (got > max_bytes) break;
      out.content.resize(std::min(max_bytes + 1, got * 2 + 4096));
    }
    const ssize_t n = ::read(fd, out.content.data() + got, out.content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out.refused = std::string("cannot read: ") + std::strerror(errno);
      break;
    }
    if (n == 0) break;
    got += std::size_t(n);
  }
  ::close(fd);
  if (out.refused.empty() && got > max_bytes)
    out.refused = "grew over max_file_bytes (" + std::to_string(max_bytes) + ") while read";
  out.content.resize(out.refused.empty() ? got : 0);
  return out;
}

std::string move_into(const fs::path& from_dir, std::string_view name, const fs::path& to_dir,
                      std::string& error) {
  const fs::path from = from_dir / name;
  std::string target(name);
  for (int n = 1; n <= 1000; ++n) {
    const fs::path to = to_dir / target;
    int rc = ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE);
    if (rc != 0 && errno == EINVAL) {  // a filesystem without RENAME_NOREPLACE
      struct stat st {};
      rc =
          ::lstat(to.c_str(), &st) == 0 ? (errno = EEXIST, -1) : ::rename(from.c_str(), to.c_str());
    }
    if (rc == 0) return target;
    if (errno != EEXIST) {
      error =
          "cannot move " + from.string() + " to " + to_dir.string() + ": " + std::strerror(errno);
      return {};
    }
    target = std::string(name) + "." + std::to_string(n);
  }
  error = "cannot move " + from.string() + ": 1000 files of that name in " + to_dir.string();
  return {};
}

std::string fail_file(const fs::path& from_dir, std::string_view name, const fs::path& failed_dir,
                      std::string_view reason) {
  std::string error;
  const std::string moved = move_into(from_dir, name, failed_dir, error);
  if (moved.empty()) return error;
  std::ofstream f(failed_dir / (moved + ".reason"), std::ios::binary | std::ios::trunc);
  f << reason;
  if (!reason.ends_with('\n')) f << '\n';
  f.close();
  if (!f) return "moved " + moved + " to " + failed_dir.string() + " but cannot write its .reason";
  return {};
}

}  // namespace newshound
