// Stage: stories. What the version lifecycle needs of one article, taken out of
// the worker's reusable Article so it can cross to whoever decides in input order
// (the dispatcher on its event loop, `scan`'s writer): ids, version, pubstatus,
// the parsed embargo, urgency, the match fingerprint and what a retraction says.
// A batch keeps its articles' versions in one VersionLog (their strings back to
// back in one buffer: no allocation per article once it has grown); a held alert
// keeps its own ArticleVersion.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/stories/lifecycle.hpp"
#include "newshound/stories/match_hash.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// One article version; the strings are views into its owner (an Article, an
/// ArticleVersion or a VersionLog) and valid as long as it is unchanged.
struct ArticleVersionView {
  std::string_view article_id;
  std::string_view version;  ///< lifecycle_version()
  std::string_view versioncreated;
  std::string_view headline;  ///< what a retraction it raises shows
  PubStatus pubstatus = PubStatus::unknown;
  /// `embargoed` read as a time; none when absent or unreadable (not held).
  std::optional<Clock::time_point> embargo;
  std::uint8_t urgency = 0;
  std::uint64_t matches = kNoMatches;  ///< match_hash(); kNoMatches: matched nothing
  Clock::time_point received_at{};
  /// The article raised an alert (the next one of its batch, in order).
  bool alert = false;

  /// `article`'s part (views into it); `matches` is its match_hash(). Parses the
  /// embargo. Never throws.
  static ArticleVersionView of(const Article& article, std::uint64_t matches, bool alert);
  /// The lifecycle's view of it, with the alert id and hold payload given.
  Arrival arrival(std::string_view alert_id, std::string_view payload) const;
};

/// One article version, owned (a held alert's). Strings keep their capacity
/// when reassigned.
struct ArticleVersion {
  std::string article_id;
  std::string version;
  std::string versioncreated;
  std::string headline;
  PubStatus pubstatus = PubStatus::unknown;
  std::optional<Clock::time_point> embargo;
  std::uint8_t urgency = 0;
  std::uint64_t matches = kNoMatches;
  Clock::time_point received_at{};
  bool alert = false;

  /// Copies `v`. Never throws except std::bad_alloc.
  void assign(const ArticleVersionView& v);
  /// Views into this object; implicit, so an owned version goes where a view does.
  operator ArticleVersionView() const;
};

/// A batch's article versions in input order. add() copies a view's strings into
/// one growing buffer; operator[] and iteration give views into it, valid until
/// the next add() or clear(). Never throws except std::bad_alloc.
class VersionLog {
 public:
  void add(const ArticleVersionView& v);
  /// Room for `entries` versions with `bytes` of strings in all, so a batch's log
  /// grows once instead of doubling from empty.
  void reserve(std::size_t entries, std::size_t bytes);
  void clear();
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  ArticleVersionView operator[](std::size_t i) const;

  /// Iterates views, in the order added.
  class Iterator {
   public:
    Iterator(const VersionLog* log, std::size_t i) : log_(log), i_(i) {}
    ArticleVersionView operator*() const { return (*log_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }

   private:
    const VersionLog* log_;
    std::size_t i_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, entries_.size()}; }

 private:
  struct Entry {
    ArticleVersionView v;                  // all but the strings (left empty)
    std::size_t at = 0;                    // where its strings start in bytes_, back to back
    std::array<std::uint32_t, 4> sizes{};  // article_id, version, versioncreated, headline
  };
  // `n` more bytes at the end of bytes_ (grown by doubling); returns where they start.
  char* extend(std::size_t n);
  std::unique_ptr<char[]> bytes_;
  std::size_t used_ = 0, capacity_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace newshound
