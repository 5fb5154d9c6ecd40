// Config: bearer token files ([admin] token_file, an http [[input]]'s
// token_file): one line, refused when missing, unreadable, empty, short, not one
// line of printable ASCII; a warning when every user may read it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "loader.hpp"
#include "newshound/util/regular_file.hpp"

namespace newshound::config_detail {

namespace {

namespace fs = std::filesystem;

/// Bounds of a token, in bytes.
constexpr std::size_t kMinToken = 16;
constexpr std::size_t kMaxToken = 4096;

constexpr std::string_view kMakeOne =
    "e.g. `openssl rand -hex 32 > FILE`, then chown root:newshound and chmod 0640 it";

/// What reading a token file gave: the token, or what is wrong and what to do.
struct TokenRead {
  std::string token;
  std::string error;
  bool world_readable = false;
};

/// Reads `path` without blocking on a special file; at most kMaxToken + 2 bytes.
TokenRead read_token(const fs::path& path) {
  TokenRead r;
  if (const std::string kind = special_file_kind(path); !kind.empty()) {
    r.error = "is " + kind + ", not a regular file; point it at a file holding the token";
    return r;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    r.error = "cannot be read: " + std::string(std::strerror(err));
    r.error += err == ENOENT ? std::string("; create it holding one line, the token (") +
                                   std::string(kMakeOne) + "), or remove token_file"
               : err == EACCES
                   ? "; let the daemon's user read it (group newshound, mode 0640) and run "
                     "`check` as that user"
                   : "";
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0) r.world_readable = (st.st_mode & S_IROTH) != 0;
  char buf[kMaxToken + 2];
  std::size_t got = 0;
  while (got < sizeof buf) {
    const ssize_t n = ::read(fd, buf + got, sizeof buf - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.error = "cannot be read: " + std::string(std::strerror(errno));
      break;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (!r.error.empty()) return r;
  std::string_view text(buf, got);
  while (text.ends_with('\n') || text.ends_with('\r')) text.remove_suffix(1);
  if (text.empty()) {
    r.error = std::string("is empty; write the token into it (") + std::string(kMakeOne) + ")";
  } else if (got > kMaxToken) {
    r.error =
        "holds more than " + std::to_string(kMaxToken) + " bytes; it must hold one line, the token";
  } else if (text.find_first_of("\r\n") != std::string_view::npos) {
    r.error = "holds more than one line; it must hold one line, the token";
  } else if (const auto bad = std::find_if(text.begin(), text.end(),
                                           [](char c) {
                                             return static_cast<unsigned char>(c) <= 0x20 ||
                                                    c == 0x7f ||
                                                    static_cast<unsigned char>(c) >= 0x80;
                                           });
             bad != text.end()) {
    r.error = "holds a space, control or non-ASCII byte at byte " +
              std::to_string(bad - text.begin() + 1) +
              " of the token; a bearer token is printable ASCII without spaces (" +
              std::string(kMakeOne) + ")";
  } else if (text.size() < kMinToken) {
    r.error = "holds a token of " + std::to_string(text.size()) + " bytes; use at least " +
              std::to_string(kMinToken) + " (" + std::string(kMakeOne) + ")";
  } else {
    r.token = text;
  }
  return r;
}

}  // namespace

bool ConfigLoader::load_token(const toml::source_region& where, std::string_view what,
                              std::string_view use, const std::filesystem::path& path,
                              std::string& token) {
  const std::string shown = dq(path.string());
  TokenRead r = read_token(path);
  if (!r.error.empty()) {
    error(where, std::string(what) + " token_file " + shown + " " + r.error);
    return false;
  }
  token = std::move(r.token);
  if (r.world_readable)
    warnings.push_back({file_, where.begin.line, where.begin.column,
                        "warning: " + std::string(what) + " token_file " + shown +
                            " can be read by every user of this host, who could then " +
                            std::string(use) + "; chmod o-r it (0640, group newshound)"});
  return true;
}

}  // namespace newshound::config_detail
