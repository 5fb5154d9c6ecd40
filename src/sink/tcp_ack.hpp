// Stage: sink (private). Acknowledged delivery for TcpSink (`ack = true`):
// AckParser splits what the receiver sends back into lines and reads
// `{"ack":"<alert id>"}` from each (bounded line length); AckWindow holds the
// alerts written and not yet acknowledged, and applies the acks. No allocation
// once warmed up.
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/encode/alert.hpp"

namespace newshound::detail {

class AckParser {
 public:
  /// Longest ack line accepted, newline excluded (an alert id is 32 characters).
  static constexpr std::size_t kMaxLine = 1024;

  enum class Kind : std::uint8_t {
    ack,       ///< a JSON object whose "ack" member is a string: `id` holds it
    garbage,   ///< not JSON, or no string member "ack": `id` holds the line's start
    too_long,  ///< longer than kMaxLine: skipped up to its newline, `id` is empty
  };
  struct Line {
    Kind kind;
    std::string_view id;
  };

  /// Appends `bytes` to any partial line kept from the previous call, and returns
  /// every complete line, in order (empty lines, and a trailing '\r', are ignored).
  /// The views point into this parser and stay valid until the next feed() or
  /// reset(). A too-long line is reported once. Never throws except std::bad_alloc.
  const std::vector<Line>& feed(std::string_view bytes);

  /// Forgets the partial line (a new connection starts clean).
  void reset();

 private:
  struct Item {
    Kind kind;
    std::uint32_t off, len;  ///< in ids_
  };
  void parse_line(std::string_view line);

  std::string partial_;    ///< bytes of the line not yet terminated
  bool skipping_ = false;  ///< inside a too-long line, until its newline
  std::string ids_;        ///< the ids (or garbage excerpts) of this feed() call
  std::vector<Item> items_;
  std::vector<Line> lines_;
  unsigned char arena_[2 * kMaxLine + 512];
  boost::json::monotonic_resource mr_{arena_, sizeof arena_};
};

/// The unacknowledged window of one TcpSink: alerts in write order. Acks are
/// cumulative: an ack for the alert at position k acknowledges the k alerts before
/// it too (reported as an out-of-order error when k > 0, since a receiver should
/// ack every line in order). With duplicate ids in the window (an article the feed
/// sent twice), an ack matches the oldest.
class AckWindow {
 public:
  using AlertPtr = std::shared_ptr<const Alert>;
  struct Error {
    const char* what;       ///< for the log
    std::string_view text;  ///< the offending id or line excerpt
  };

  explicit AckWindow(std::size_t max_unacked) : max_(max_unacked < 1 ? 1 : max_unacked) {}

  std::size_t size() const { return q_.size(); }
  bool empty() const { return q_.empty(); }
  /// Alerts that may still be written before the window is full.
  std::size_t room() const { return q_.size() < max_ ? max_ - q_.size() : 0; }
  /// When the last ack arrived, or the window last became non-empty.
  std::chrono::steady_clock::time_point last_progress() const { return last_progress_; }

  /// Adds a written (or being written) alert at the back.
  void push(AlertPtr alert);
  /// Removes and returns the newest alert (to requeue the window after a drop);
  /// the window must not be empty.
  AlertPtr pop_back();
  /// A new connection: the parser forgets any partial line.
  void new_connection() { parser_.reset(); }

  /// Applies the receiver's bytes. Afterwards acked() holds the alerts acknowledged,
  /// in order (removed from the window), and errors() the lines that were no usable
  /// ack; both stay valid until the next feed().
  void feed(std::string_view bytes);
  const std::vector<AlertPtr>& acked() const { return acked_; }
  const std::vector<Error>& errors() const { return errors_; }

 private:
  std::size_t max_;
  std::deque<AlertPtr> q_;
  AckParser parser_;
  std::vector<AlertPtr> acked_;
  std::vector<Error> errors_;
  std::chrono::steady_clock::time_point last_progress_{};
};

}  // namespace newshound::detail
