// Stage: sink (private). Dead-letter records and their file (see dead_letter.hpp).
#include "dead_letter.hpp"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "newshound/util/utf8.hpp"

namespace newshound::detail {

void append_json_string_body(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const utf8::Decoded d = utf8::decode(p + i, s.size() - i);
      if (d.valid) {
        out.append(s.data() + i, d.len);
      } else {
        out += "\\ufffd";
      }
      i += d.len;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

std::string dead_letter_record(std::chrono::system_clock::time_point at, std::string_view url,
                               int status, std::string_view response, std::size_t max_body,
                               const std::vector<std::shared_ptr<const Alert>>& alerts) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  ::gmtime_r(&secs, &tm);
  char stamp[40];
  const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(stamp + n, sizeof stamp - n, ".%03dZ", static_cast<int>(ms % 1000));

  const bool truncated = response.size() > max_body;
  if (truncated) response = response.substr(0, max_body);
  std::string r = "{\"time\":\"";
  r += stamp;
  r += "\",\"url\":\"";
  append_json_string_body(url, r);
  r += "\",\"status\":" + std::to_string(status) + ",\"response\":\"";
  append_json_string_body(response, r);  // a cut multi-byte character becomes U+FFFD
  r += truncated ? "\",\"response_truncated\":true" : "\",\"response_truncated\":false";
  r += ",\"alerts\":[";
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    std::string_view j = alerts[i]->json;
    while (!j.empty() && (j.back() == '\n' || j.back() == '\r')) j.remove_suffix(1);
    if (i != 0) r += ',';
    r += j;
  }
  r += "]}\n";
  return r;
}

std::string append_dead_letter(const std::filesystem::path& path, std::string_view record) {
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return "cannot create the folder of " + path.string() + ": " + ec.message();
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot open " + path.string() + ": " + std::strerror(errno);
  std::size_t done = 0;
  std::string error;
  while (done < record.size()) {
    const ssize_t w = ::write(fd, record.data() + done, record.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      error = "cannot write " + path.string() + ": " + std::strerror(errno);
      break;
    }
    done += static_cast<std::size_t>(w);
  }
  ::close(fd);
  return error;
}

}  // namespace newshound::detail
