// Stage: sink (private). The webhook sink's dead-letter file: one NDJSON record per
// request the receiver refused for good (a 4xx other than 429).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/encode/alert.hpp"

namespace newshound::detail {

/// One dead-letter record, '\n'-terminated:
/// {"time":"2026-01-02T03:04:05.678Z","url":"...","status":400,"response":"...",
///  "response_truncated":false,"alerts":[<alert>,...]}
/// The response body is cut at `max_body` bytes; response_truncated says so, and
/// also when `response_cut` (the caller read only a prefix of the body). Invalid
/// UTF-8 in the url and response becomes U+FFFD. Built with Boost.JSON.
std::string dead_letter_record(std::chrono::system_clock::time_point at, std::string_view url,
                               int status, std::string_view response, std::size_t max_body,
                               const std::vector<std::shared_ptr<const Alert>>& alerts,
                               bool response_cut = false);

/// Appends `record` to `path` (O_APPEND|O_CREAT, mode 0640 like the spool: alerts are not
/// for every local user; missing folders
/// created), opening and closing the file each time: rejections are rare, and a
/// rotated file is followed without a reopen. Returns "" or what went wrong.
std::string append_dead_letter(const std::filesystem::path& path, std::string_view record);

}  // namespace newshound::detail
