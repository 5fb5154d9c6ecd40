// Stage: stories. Small SQLite helpers the store's files share (story_store.cpp,
// story_store_digests.cpp): times as nanoseconds since the epoch, hashes as their
// 64 bits in a signed INTEGER, text columns, running a bound statement, an
// alert's outputs as one column. Internal.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/stories/lifecycle.hpp"
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

// A list of names or JSON lines as one column: joined by '\n' into `out`, and back.
inline void join_lines(const std::vector<std::string>& lines, std::string& out) {
  out.clear();
  for (const std::string& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
}
inline std::vector<std::string> split_lines(const std::string& joined) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < joined.size();) {
    const std::size_t nl = std::min(joined.find('\n', at), joined.size());
    out.push_back(joined.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

// An alert's outputs (`alerts.outputs`, schema 2): NULL when not known (a
// retraction goes to every output), else their names joined ("": none).
inline void bind_outputs(sqlite3_stmt* s, int i, const AlertOutputs& o, std::string& scratch) {
  if (!o.known()) {
    sqlite3_bind_null(s, i);
    return;
  }
  join_lines(o.names, scratch);
  sqlite3_bind_text(s, i, scratch.data(), static_cast<int>(scratch.size()), SQLITE_TRANSIENT);
}
inline AlertOutputs outputs_of(sqlite3_stmt* s, int col) {
  AlertOutputs o;
  if (sqlite3_column_type(s, col) == SQLITE_NULL) {
    o.state = AlertOutputs::State::unknown;
    return o;
  }
  o.state = AlertOutputs::State::known;
  o.names = split_lines(text(s, col));
  return o;
}
}  // namespace newshound::story_sql
