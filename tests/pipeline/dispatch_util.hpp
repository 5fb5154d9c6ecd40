// Tests (pipeline): what the dispatcher tests share: recording sinks, a recording
// ack channel, and builders of article lines and batches.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/sink/sink.hpp"
#include "newshound/source/ack_reply.hpp"
#include "newshound/source/line_batch.hpp"

namespace dispatch_test {
using namespace newshound;

/// Takes every alert unless `full`, and never reports one sent by itself (a
/// test calls Dispatcher::on_sent when it wants a delivery).
class RecordingSink final : public Sink {
 public:
  const std::string& name() const override { return name_; }
  void start() override {}
  bool submit(std::shared_ptr<const Alert> a) override {
    if (full) return false;
    alerts.push_back(std::move(a));
    return true;
  }
  void stop(std::chrono::milliseconds, std::function<void()> done) override { done(); }
  SinkStats stats() const override { return {}; }
  std::vector<std::shared_ptr<const Alert>> alerts;
  bool full = false;

 private:
  std::string name_ = "recording";
};

inline std::string article(const std::string& id, const std::string& body) {
  boost::json::object o;
  o["uri"] = id;
  o["body_text"] = body;
  return boost::json::serialize(o);
}

inline LineBatch batch(std::uint64_t stream, std::uint64_t seq,
                       const std::vector<std::string>& lines) {
  LineBatch b;
  b.stream = stream;
  b.seq = seq;
  b.received_at = Clock::now();
  for (const auto& l : lines) b.add(l);
  return b;
}

/// Records the reply the TCP input would write for each settled line ("" for none).
struct RecordingAcks final : LineAcks {
  void settled(std::optional<std::string_view> article_id) override {
    std::string reply;
    if (article_id) append_ack_reply(reply, *article_id);
    replies.push_back(std::move(reply));
  }
  std::vector<std::string> replies;
};

}  // namespace dispatch_test
