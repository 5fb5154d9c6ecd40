// Stage: stories. One article version as the lifecycle needs it: a view, an owned
// copy, and a batch's log of them (see article_version.hpp).
#include "newshound/stories/article_version.hpp"

#include <algorithm>
#include <cstring>

#include "newshound/util/feed_date.hpp"

namespace newshound {

ArticleVersionView ArticleVersionView::of(const Article& article, std::uint64_t match_fingerprint,
                                          bool has_alert) {
  ArticleVersionView v;
  v.article_id = article.id;
  v.version = lifecycle_version(article);
  v.versioncreated = article.versioncreated;
  v.headline = article.headline;
  v.pubstatus = article.pubstatus;
  v.embargo = article.embargoed.empty() ? std::nullopt : parse_feed_date(article.embargoed);
  v.urgency = article.urgency;
  v.matches = match_fingerprint;
  v.received_at = article.received_at;
  v.alert = has_alert;
  return v;
}

Arrival ArticleVersionView::arrival(std::string_view alert_id, std::string_view payload) const {
  Arrival a;
  a.article_id = article_id;
  a.version = version;
  a.pubstatus = pubstatus;
  a.embargo = embargo;
  a.matches = matches;
  a.alert_id = alert_id;
  a.payload = payload;
  a.rules_in_matches = true;  // match_hash() with the rules version (pipeline_worker.cpp)
  return a;
}

void ArticleVersion::assign(const ArticleVersionView& v) {
  article_id.assign(v.article_id);
  version.assign(v.version);
  versioncreated.assign(v.versioncreated);
  headline.assign(v.headline);
  pubstatus = v.pubstatus;
  embargo = v.embargo;
  urgency = v.urgency;
  matches = v.matches;
  received_at = v.received_at;
  alert = v.alert;
}

ArticleVersion::operator ArticleVersionView() const {
  return {article_id, version, versioncreated, headline,    pubstatus,
          embargo,    urgency, matches,        received_at, alert};
}

void VersionLog::add(const ArticleVersionView& v) {
  Entry& e = entries_.emplace_back();
  e.v = v;
  e.v.article_id = e.v.version = e.v.versioncreated = e.v.headline = {};  // in bytes_
  const std::string_view strings[] = {v.article_id, v.version, v.versioncreated, v.headline};
  std::size_t total = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    e.sizes[k] = static_cast<std::uint32_t>(strings[k].size());  // decoded lines are < 4 GiB
    total += strings[k].size();
  }
  char* out = extend(total);
  e.at = static_cast<std::size_t>(out - bytes_.get());
  for (const std::string_view str : strings) {
    if (!str.empty()) std::memcpy(out, str.data(), str.size());
    out += str.size();
  }
}

char* VersionLog::extend(std::size_t n) {
  if (used_ + n > capacity_) {
    const std::size_t capacity = std::max(used_ + n, 2 * capacity_);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (used_ > 0) std::memcpy(bigger.get(), bytes_.get(), used_);
    bytes_ = std::move(bigger);
    capacity_ = capacity;
  }
  char* at = bytes_.get() + used_;
  used_ += n;
  return at;
}

void VersionLog::reserve(std::size_t entries, std::size_t bytes) {
  entries_.reserve(entries);
  if (bytes > capacity_) {
    const std::size_t used = used_;
    extend(bytes - used_);
    used_ = used;
  }
}

void VersionLog::clear() {
  entries_.clear();
  used_ = 0;
}

ArticleVersionView VersionLog::operator[](std::size_t i) const {
  const Entry& e = entries_[i];
  ArticleVersionView v = e.v;
  const char* p = bytes_.get() + e.at;
  std::string_view* strings[] = {&v.article_id, &v.version, &v.versioncreated, &v.headline};
  for (std::size_t k = 0; k < 4; ++k) {
    *strings[k] = std::string_view(p, e.sizes[k]);
    p += e.sizes[k];
  }
  return v;
}

}  // namespace newshound
