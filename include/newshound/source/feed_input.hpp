// Stage: source. FeedInput: polls RSS/Atom feeds over HTTP, turns each new item
// (or new version of an item) into one ninjs record and hands them to the
// LineConsumer; an item is remembered as seen (SeenSet, under state_dir) once
// every alert of it was delivered or spooled.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "newshound/source/feed_options.hpp"
#include "newshound/source/feed_parse.hpp"
#include "newshound/source/input.hpp"
#include "newshound/source/line_batch.hpp"

namespace newshound {

/// The health of one feed, for /metrics. Updated on the event-loop thread.
struct FeedHealth {
  std::string url;                ///< as configured
  std::int64_t last_success = 0;  ///< Unix seconds; 0 = never
  std::uint64_t consecutive_failures = 0;
  std::uint64_t polls = 0;
  std::uint64_t items = 0;         ///< new items and versions handed on
  std::uint64_t not_modified = 0;  ///< 304 answers
  std::uint64_t failures = 0;
};

/// Input-wide counters (event-loop thread, like /metrics).
struct FeedInputStats {
  std::uint64_t bytes = 0;          ///< feed document bytes received (after gunzip)
  std::uint64_t records = 0;        ///< ninjs records handed on
  std::uint64_t duplicates = 0;     ///< items skipped as already seen (or still in flight)
  std::uint64_t skipped_items = 0;  ///< items with neither title, body nor link
  /// Failed polls by reason: FetchResult kinds (failed, http_error, too_large,
  /// bad_gzip, tls), "redirect_loop", "too_many_redirects", "bad_redirect",
  /// "insecure_redirect" (https to http), and
  /// FeedError names (not_xml, xml_dtd, too_deep, invalid_utf8, not_a_feed).
  std::map<std::string, std::uint64_t, std::less<>> failures;
};

/// The ninjs record of `item` of the feed at `feed_url`: uri (the item's id),
/// headline, body_html or body_text, description_html/_text (a summary beside
/// the body), versioncreated (RFC 3339 UTC), firstcreated, and the link as ninjs
/// 2.x `links: [{"href": ..., "rel": "alternate"}]`. One line, no newline.
std::string feed_record(const FeedItem& item, std::string_view feed_url);

class FeedInput final : public Input {
 public:
  FeedInput(boost::asio::io_context& io, FeedInputOptions options, LineConsumer& consumer);
  ~FeedInput() override;
  FeedInput(const FeedInput&) = delete;
  FeedInput& operator=(const FeedInput&) = delete;

  /// Opens the seen set and reads opml_file. Returns "" or an error (an
  /// unreadable OPML file, a URL that is not http:// or https://, TLS settings
  /// that do not build a context); a seen set that cannot be written is logged
  /// and kept in memory.
  std::string bind() override;
  /// Starts one polling loop per host (one request at a time per host).
  void start() override;
  void stop() override;
  void set_index(std::uint32_t input) override;
  std::uint64_t bytes_in() const override;
  void report_metrics(MetricsExposition& out, std::string_view name) const override;

  const FeedInputOptions& options() const;
  const FeedInputStats& stats() const;
  /// Every feed's health, in configuration order (OPML feeds after the urls).
  std::vector<FeedHealth> health() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// Declares the feed families (newshound_feed_*), also when no feed input runs.
void declare_feed_metrics(MetricsExposition& out);

}  // namespace newshound
