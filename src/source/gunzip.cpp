// Stage: source. gunzip (http_fetch.hpp): a small zlib inflate wrapper for
// gzip-encoded feed bodies, bounded on its output (a gzip bomb stops at max_bytes).
#include <zlib.h>

#include <algorithm>
#include <limits>

#include "newshound/source/http_fetch.hpp"

namespace newshound {

bool gunzip(std::string_view in, std::size_t max_bytes, std::string& out, bool& cut) {
  out.clear();
  cut = false;
  if (in.size() > std::numeric_limits<uInt>::max()) return false;
  z_stream z{};
  // 15 + 32: zlib or gzip, told apart by the header.
  if (inflateInit2(&z, 15 + 32) != Z_OK) return false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char chunk[64 * 1024];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    const std::size_t got = sizeof chunk - z.avail_out;
    if (out.size() + got > max_bytes) {
      cut = true;
      break;
    }
    out.append(chunk, got);
    if (rc == Z_OK && got == 0 && z.avail_in == 0) break;  // truncated input
  }
  inflateEnd(&z);
  return cut || rc == Z_STREAM_END;
}

}  // namespace newshound
