// Stage: dispatch. One batch through a worker (see batch_result.hpp).
#include "newshound/dispatch/batch_result.hpp"

namespace newshound {

namespace {
void record_ack(const Outcome& o, BatchResult::AckLine& a) {
  // Undecodable lines and engine errors get no acknowledgement: the feed resends them.
  if (o.kind == Outcome::Kind::bad_line) a.refused = o.error;
  if (o.kind != Outcome::Kind::no_match && o.kind != Outcome::Kind::alert) return;
  a.article_id.assign(o.article_id);
  a.acknowledged = true;
  a.alert = o.kind == Outcome::Kind::alert;
}

void count(Outcome& o, std::uint32_t index, PipelineStats& stats, BatchResult& out) {
  switch (o.kind) {
    case Outcome::Kind::skipped:
      return;
    case Outcome::Kind::bad_line:
      ++stats.lines;
      ++stats.bad_lines[static_cast<std::size_t>(o.error)];
      out.bad.push_back({index, o.error});
      return;
    case Outcome::Kind::engine_error:
      ++stats.lines;
      ++stats.articles;
      ++stats.engine_errors;
      return;
    case Outcome::Kind::no_match:
      ++stats.lines;
      ++stats.articles;
      if (o.version) out.versions.add(*o.version);
      return;
    case Outcome::Kind::alert:
      ++stats.lines;
      ++stats.articles;
      ++stats.alerts;
      stats.matches += o.matches;
      if (o.truncated > 0) {
        ++stats.alerts_truncated;
        stats.matches_truncated += o.truncated;
      }
      for (const ListHit& h : o.lists) {
        ++out.lists[h.list].alerts;
        out.lists[h.list].matches += h.matches;
      }
      out.alerts.push_back(std::move(o.alert));
      out.signatures.push_back(o.signature);
      if (o.version) out.versions.add(*o.version);
      return;
  }
}
}  // namespace

void run_batch(PipelineWorker* worker, const std::shared_ptr<const Rules>& rules,
               const LineBatch& batch, bool ack, const std::atomic<bool>& abandoned,
               PipelineStats& stats, BatchResult& out) {
  out.oversize = batch.oversize;
  out.input = batch.input;
  out.rules = rules;
  out.lists.resize(rules ? rules->lists().size() : 0);
  if (batch.oversize)
    stats.bad_lines[static_cast<std::size_t>(DecodeError::too_large)] += batch.oversize;
  if (ack) out.acks.reserve(batch.lines.size());
  // Every decoded article's id, version, versioncreated and headline (the story
  // stage's version log): about 160 bytes of a wire article.
  if (worker && worker->signing())
    out.versions.reserve(batch.lines.size(), batch.lines.size() * 192);
  for (std::size_t i = 0; i < batch.lines.size(); ++i) {
    // Article boundaries are where a shutdown past its grace stops the work.
    if (abandoned.load(std::memory_order_relaxed)) {
      out.abandoned = batch.lines.size() - i;
      stats.lines_abandoned += out.abandoned;
      return;
    }
    if (!worker) {
      ++stats.engine_errors;
      if (ack) out.acks.emplace_back();
      continue;
    }
    Outcome o = worker->process(batch.line(i), batch.received_at, batch.input);
    if (ack) record_ack(o, out.acks.emplace_back());
    count(o, static_cast<std::uint32_t>(i), stats, out);
  }
}

}  // namespace newshound
