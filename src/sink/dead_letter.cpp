// Stage: sink (private). Dead-letter records and their file (see dead_letter.hpp).
#include "dead_letter.hpp"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "newshound/util/regular_file.hpp"
#include "newshound/util/utf8.hpp"

namespace newshound::detail {

namespace {

// `s` with every invalid UTF-8 sequence (e.g. a multi-byte character cut by the
// truncation) replaced by U+FFFD, so that the JSON record stays valid.
std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
  while (i < s.size()) {
    if (p[i] < 0x80) {
      out += s[i++];
      continue;
    }
    const utf8::Decoded d = utf8::decode(p + i, s.size() - i);
    if (d.valid) {
      out.append(s.data() + i, d.len);
    } else {
      out += "\xEF\xBF\xBD";
    }
    i += d.len;
  }
  return out;
}

}  // namespace

std::string dead_letter_record(std::chrono::system_clock::time_point at, std::string_view url,
                               int status, std::string_view response, std::size_t max_body,
                               const std::vector<std::shared_ptr<const Alert>>& alerts,
                               bool response_cut) {
  namespace json = boost::json;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  ::gmtime_r(&secs, &tm);
  char stamp[40];
  const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(stamp + n, sizeof stamp - n, ".%03dZ", static_cast<int>(ms % 1000));

  const bool truncated = response_cut || response.size() > max_body;
  if (response.size() > max_body) response = response.substr(0, max_body);
  json::array list;
  list.reserve(alerts.size());
  for (const auto& a : alerts) {
    boost::system::error_code ec;
    json::value v = json::parse(a->json, ec);
    if (ec) v = valid_utf8(a->json);  // never happens with our encoder; kept readable
    list.push_back(std::move(v));
  }
  // Insertion order is kept: time, url, status, response, response_truncated, alerts.
  const json::object record{{"time", stamp},
                            {"url", valid_utf8(url)},
                            {"status", status},
                            {"response", valid_utf8(response)},
                            {"response_truncated", truncated},
                            {"alerts", std::move(list)}};
  return json::serialize(record) + "\n";
}

std::string append_dead_letter(const std::filesystem::path& path, std::string_view record) {
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return "cannot create the folder of " + path.string() + ": " + ec.message();
  }
  std::string why;
  const int fd = open_append_regular(path, 0640, why);
  if (fd < 0) return "cannot open " + path.string() + ": " + why;
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
