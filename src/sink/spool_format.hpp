// Stage: sink (private). The spool's on-disk format and the small I/O helpers its
// files share: little-endian integers, CRC32C framing, segment names, whole reads
// and writes at an offset.
//
// On disk, in the spool directory:
//   NNNNNNNNNNNNNNNN.seg  segment: 16-byte header ("NHSPOOL\0", u32 version,
//                         u32 CRC32C of the first 12 bytes), then records
//                         [u32 length][u32 CRC32C of length bytes + payload][payload]
//   cursor                release position: "NHCURSR\0", u32 version, u32 0,
//                         u64 segment, u64 offset, u32 CRC32C of the first 32 bytes
//   lock                  flock()ed while a process uses the directory
// Integers are little-endian. A new process never appends to an old segment: it
// starts a new one, so a damaged tail can never sit in the middle of new data.
#pragma once

#include <sys/types.h>

#include <boost/crc.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace newshound::spool_format {

inline constexpr char kSegMagic[8] = {'N', 'H', 'S', 'P', 'O', 'O', 'L', '\0'};
inline constexpr char kCurMagic[8] = {'N', 'H', 'C', 'U', 'R', 'S', 'R', '\0'};
inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::size_t kCursorBytes = 36;
inline constexpr std::size_t kReadChunk = 64 * 1024;

using Crc32c = boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;

inline void put_u32(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
inline void put_u64(char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
inline std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
inline std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

inline std::uint32_t record_crc(const char* len_bytes, std::string_view payload) {
  Crc32c c;
  c.process_bytes(len_bytes, 4);
  c.process_bytes(payload.data(), payload.size());
  return c.checksum();
}

// "0000000000000042.seg" -> 42; 0 when the name is not a segment's.
inline std::uint64_t seq_of(const std::string& name) {
  if (name.size() != 20 || name.compare(16, 4, ".seg") != 0) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    v = v * 10 + std::uint64_t(name[i] - '0');
  }
  return v;
}

/// Writes all n bytes at off (pwrite, EINTR retried); false with errno on failure.
bool write_all(int fd, const char* p, std::size_t n, std::uint64_t off);

/// Reads up to n bytes at off; returns bytes read (short at end of file), -1 on error.
ssize_t read_at(int fd, char* p, std::size_t n, std::uint64_t off);

/// Opens `seq`'s segment (at `path`) for a buffered reader if `fd` is not already
/// that file (closing the old one, forgetting the buffer); false if it cannot be opened.
bool open_reader(int& fd, std::uint64_t& fd_seq, std::size_t& buf_len,
                 const std::filesystem::path& path, std::uint64_t seq);

}  // namespace newshound::spool_format
