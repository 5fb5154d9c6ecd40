// Stage: dispatch. The ack ledger (see ack_ledger.hpp).
#include "newshound/dispatch/ack_ledger.hpp"

#include <algorithm>
#include <vector>

namespace newshound {

void AckLedger::open(std::uint64_t stream, std::uint64_t seq, std::shared_ptr<LineAcks> acks) {
  // Batches are consumed in seq order: only the first can open the stream, so an
  // ended stream (erased below) stays closed without a record of ended ids.
  if (seq == 0) {
    streams_[stream].acks = std::move(acks);
    return;
  }
  if (auto it = streams_.find(stream); it != streams_.end()) it->second.acks = std::move(acks);
}

void AckLedger::add_line(std::uint64_t stream, std::optional<std::string> article_id,
                         DecodeError refused) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  Line& line = it->second.lines.emplace_back();
  line.refused = refused;
  if (article_id) {
    line.article_id = std::move(*article_id);
    line.acknowledged = true;
  }
}

void AckLedger::add_alert(std::uint64_t stream, const std::shared_ptr<const Alert>& alert,
                          std::span<Sink* const> owing) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  Line& line = it->second.lines.emplace_back();
  line.article_id = alert->article;
  line.acknowledged = true;
  line.outstanding = static_cast<std::uint32_t>(owing.size());
  if (owing.empty()) return;
  Waiting& w = waiting_[alert.get()];
  w = Waiting{alert, stream, &line, {}};
  w.owing.assign(owing.begin(), owing.end());
  for (const auto& cut : alert->cuts)
    if (cut) cut_of_[cut.get()] = alert.get();
}

void AckLedger::erase_waiting(std::unordered_map<const Alert*, Waiting>::iterator it) {
  for (const auto& cut : it->second.alert->cuts)
    if (cut) cut_of_.erase(cut.get());
  waiting_.erase(it);
}

void AckLedger::flush(std::uint64_t stream) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  Stream& s = it->second;
  while (!s.lines.empty() && s.lines.front().outstanding == 0) {
    const Line& line = s.lines.front();
    if (!line.acknowledged && line.refused != DecodeError::ok)
      s.acks->refused(to_string(line.refused));
    else
      s.acks->settled(line.acknowledged ? std::optional<std::string_view>(line.article_id)
                                        : std::nullopt);
    s.lines.pop_front();
  }
}

void AckLedger::sent(const Sink* sink, const Alert* alert) {
  if (auto c = cut_of_.find(alert); c != cut_of_.end()) alert = c->second;
  auto it = waiting_.find(alert);
  if (it == waiting_.end()) return;
  auto& owing = it->second.owing;
  auto k = std::find(owing.begin(), owing.end(), sink);
  if (k == owing.end()) return;
  owing.erase(k);
  const std::uint64_t stream = it->second.stream;
  if (--it->second.line->outstanding != 0) return;
  erase_waiting(it);
  flush(stream);
}

void AckLedger::forget_sinks(std::span<const Sink* const> removed) {
  if (removed.empty() || waiting_.empty()) return;
  std::vector<std::uint64_t> touched;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    const auto& owing = it->second.owing;
    const bool lost = std::any_of(owing.begin(), owing.end(), [&](const Sink* k) {
      return std::find(removed.begin(), removed.end(), k) != removed.end();
    });
    if (!lost) {
      ++it;
      continue;
    }
    it->second.line->acknowledged = false;
    it->second.line->outstanding = 0;
    touched.push_back(it->second.stream);
    erase_waiting(it++);
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (auto stream : touched) flush(stream);
}

void AckLedger::end(std::uint64_t stream) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  if (!it->second.lines.empty()) {
    for (auto w = waiting_.begin(); w != waiting_.end();) {
      if (w->second.stream == stream)
        erase_waiting(w++);
      else
        ++w;
    }
  }
  streams_.erase(it);
}

std::size_t AckLedger::pending() const {
  std::size_t n = 0;
  for (const auto& [id, s] : streams_) n += s.lines.size();
  return n;
}

}  // namespace newshound
