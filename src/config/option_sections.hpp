// Config: internal to the option table. The per-section builders that
// config_options() concatenates in documentation order, and the value accessors
// and size constants their setters share. Private to src/config/: include only
// from options*.cpp and reference.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "newshound/config/options.hpp"

namespace newshound::config_table {

inline std::int64_t as_int(const OptionValue& v) {
  return std::get<std::int64_t>(v);
}
inline bool as_bool(const OptionValue& v) {
  return std::get<bool>(v);
}
inline const std::string& as_str(const OptionValue& v) {
  return std::get<std::string>(v);
}
inline const std::vector<std::string>& as_strs(const OptionValue& v) {
  return std::get<std::vector<std::string>>(v);
}
inline const Endpoint& as_endpoint(const OptionValue& v) {
  return std::get<Endpoint>(v);
}

inline constexpr std::int64_t kKiB = 1024;
inline constexpr std::int64_t kMiB = 1024 * kKiB;
inline constexpr std::int64_t kGiB = 1024 * kMiB;
inline constexpr std::int64_t kHourMs = 3600 * 1000;

/// Appends the options of the top level, [log] and [admin]. Never throws but std::bad_alloc.
void add_general_options(std::vector<OptionSpec>& t);
/// Appends the options of [[input]] and [input.fields].
void add_input_options(std::vector<OptionSpec>& t);
/// An HTTP request header of a webhook output or feed input: an HTTP field name
/// newshound does not set itself, with a value that cannot end the header line.
EntryProblem header_problem(std::string_view name, std::string_view value);
/// Appends the keys only a jetstream output has (subject, credentials, window),
/// from add_output_options.
void add_jetstream_output_options(std::vector<OptionSpec>& t);
/// Appends the keys only a jetstream input has (stream, consumer, credentials),
/// from add_input_options.
void add_jetstream_input_options(std::vector<OptionSpec>& t);
/// Appends the options of a feed input (type = "feed"), from add_input_options.
void add_feed_input_options(std::vector<OptionSpec>& t);
/// Appends the options of [[output]].
void add_output_options(std::vector<OptionSpec>& t);
/// Appends the options of [[watchlist]].
void add_watchlist_options(std::vector<OptionSpec>& t);
/// Appends the keys of a `tls` table (options_tls.cpp).
void add_tls_options(std::vector<OptionSpec>& t);
/// Appends the options of [stories] and the `stories` key of [[output]].
void add_stories_options(std::vector<OptionSpec>& t);

}  // namespace newshound::config_table
