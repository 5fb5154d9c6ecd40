// Stage: stories. Small SQLite helpers the store's files share (story_store.cpp,
// story_store_digests.cpp): times as nanoseconds since the epoch, hashes as their
// 64 bits in a signed INTEGER, text columns, running a bound statement, an
// article's alerts and their outputs as columns. Internal.
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

// An article's alerts in its row (schema 3): `alerts` holds their ids joined by
// '\n'; `outputs` one entry per alert, joined by '\x1e': 'k' and the names of the
// outputs that took it joined by '\n' (known), or 'u' (not known: a retraction of
// it goes to every output). A missing entry reads as not known.
inline void join_alert_outputs(const std::vector<AlertOutputs>& outputs, std::size_t alerts,
                               std::string& out) {
  out.clear();
  for (std::size_t n = 0; n < alerts; ++n) {
    if (n > 0) out += '\x1e';
    const bool known = n < outputs.size() && outputs[n].known();
    out += known ? 'k' : 'u';
    if (!known) continue;
    for (std::size_t i = 0; i < outputs[n].names.size(); ++i) {
      if (i > 0) out += '\n';
      out += outputs[n].names[i];
    }
  }
}
inline std::vector<AlertOutputs> split_alert_outputs(std::string_view joined, std::size_t alerts) {
  std::vector<AlertOutputs> out(alerts);
  for (AlertOutputs& o : out) o.state = AlertOutputs::State::unknown;
  std::size_t n = 0;
  for (std::size_t at = 0; at < joined.size() && n < alerts; ++n) {
    const std::size_t end = std::min(joined.find('\x1e', at), joined.size());
    const std::string_view entry = joined.substr(at, end - at);
    at = end + 1;
    if (entry.empty() || entry[0] != 'k') continue;
    out[n].state = AlertOutputs::State::known;
    if (entry.size() > 1) out[n].names = split_lines(std::string(entry.substr(1)));
  }
  return out;
}
// An alert's outputs in schema 2's `alerts.outputs` (read only to migrate):
// NULL when not known, else their names joined by '\n'.
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
