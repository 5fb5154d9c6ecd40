// Stage: sink (private). AckParser and AckWindow (see tcp_ack.hpp): line
// splitting with a length bound, Boost.JSON parsing of each ack line into a fixed
// arena, and cumulative acknowledgement of the window.
#include "tcp_ack.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace newshound::detail {

namespace {
constexpr std::size_t kGarbageExcerpt = 64;  ///< bytes of a bad line kept for the log
}

void AckParser::reset() {
  partial_.clear();
  skipping_ = false;
}

void AckParser::parse_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return;
  const auto off = static_cast<std::uint32_t>(ids_.size());
  mr_.release();
  boost::json::parse_options opts;
  opts.max_depth = 4;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(line, ec, boost::json::storage_ptr(&mr_), opts);
  const boost::json::string* id = nullptr;
  if (!ec && v.is_object())
    if (const auto* a = v.get_object().if_contains("ack")) id = a->if_string();
  if (id != nullptr) {
    ids_.append(id->data(), id->size());
    items_.push_back({Kind::ack, off, static_cast<std::uint32_t>(id->size())});
    return;
  }
  const std::size_t n = std::min(line.size(), kGarbageExcerpt);
  ids_.append(line.data(), n);
  items_.push_back({Kind::garbage, off, static_cast<std::uint32_t>(n)});
}

const std::vector<AckParser::Line>& AckParser::feed(std::string_view bytes) {
  ids_.clear();
  items_.clear();
  lines_.clear();
  while (!bytes.empty()) {
    const std::size_t nl = bytes.find('\n');
    const std::string_view chunk = bytes.substr(0, nl);
    if (skipping_) {
      if (nl != std::string_view::npos) skipping_ = false;
    } else if (partial_.size() + chunk.size() > kMaxLine) {
      items_.push_back({Kind::too_long, 0, 0});
      partial_.clear();
      skipping_ = nl == std::string_view::npos;
    } else if (nl == std::string_view::npos) {
      partial_.append(chunk);
    } else if (partial_.empty()) {
      parse_line(chunk);
    } else {
      partial_.append(chunk);
      parse_line(partial_);
      partial_.clear();
    }
    if (nl == std::string_view::npos) break;
    bytes.remove_prefix(nl + 1);
  }
  for (const Item& it : items_)
    lines_.push_back({it.kind, std::string_view(ids_).substr(it.off, it.len)});
  return lines_;
}

void AckWindow::push(AlertPtr alert) {
  if (q_.empty()) last_progress_ = std::chrono::steady_clock::now();
  q_.push_back(std::move(alert));
}

AckWindow::AlertPtr AckWindow::pop_back() {
  AlertPtr a = std::move(q_.back());
  q_.pop_back();
  return a;
}

void AckWindow::feed(std::string_view bytes) {
  acked_.clear();
  errors_.clear();
  for (const auto& line : parser_.feed(bytes)) {
    if (line.kind == AckParser::Kind::too_long) {
      errors_.push_back({"an over-long line (not an ack)", line.id});
      continue;
    }
    if (line.kind == AckParser::Kind::garbage) {
      errors_.push_back({"a line that is not {\"ack\":\"<alert id>\"}", line.id});
      continue;
    }
    std::size_t k = 0;
    while (k < q_.size() && q_[k]->id != line.id) ++k;
    if (k == q_.size()) {
      errors_.push_back({"an ack for no alert awaiting one", line.id});
      continue;
    }
    if (k > 0)
      errors_.push_back(
          {"an ack out of order (the alerts before it count as acknowledged)", line.id});
    for (std::size_t i = 0; i <= k; ++i) {
      acked_.push_back(std::move(q_.front()));
      q_.pop_front();
    }
  }
  if (!acked_.empty()) last_progress_ = std::chrono::steady_clock::now();
}

}  // namespace newshound::detail
