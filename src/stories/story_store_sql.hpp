// Stage: stories. Small SQLite helpers the store's files share (story_store.cpp,
// story_store_digests.cpp): times as nanoseconds since the epoch, hashes as their
// 64 bits in a signed INTEGER, text columns, running a bound statement. Internal.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "newshound/util/clock.hpp"

namespace newshound::story_sql {

// The pending digests (schema 2): one row per digest, its items' JSON lines
// joined by '\n' (an item is one JSON line).
inline constexpr const char* kDigestsSchemaSql =
    "CREATE TABLE digests(output TEXT NOT NULL, list TEXT NOT NULL, grp TEXT NOT NULL,"
    " story_id TEXT NOT NULL, opened_ns INTEGER NOT NULL, due_ns INTEGER NOT NULL,"
    " copies INTEGER NOT NULL, left_out INTEGER NOT NULL, items TEXT NOT NULL,"
    " PRIMARY KEY(output, list, grp)) WITHOUT ROWID;";

inline std::int64_t ns_of(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
inline Clock::time_point time_of(std::int64_t ns) {
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}
inline std::int64_t i64(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}
inline std::uint64_t u64(sqlite3_stmt* s, int col) {
  return static_cast<std::uint64_t>(sqlite3_column_int64(s, col));
}
inline std::string text(sqlite3_stmt* s, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, col))) : std::string();
}
inline void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
inline bool is_corrupt(int code) {
  code &= 0xff;
  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB || code == SQLITE_FORMAT;
}

// Steps a bound statement to completion and resets it; true on success.
inline bool run(sqlite3_stmt* s) {
  const int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE;
}

}  // namespace newshound::story_sql
