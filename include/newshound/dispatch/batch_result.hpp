// Stage: dispatch. One batch through a worker: run_batch() runs its lines through
// the pipeline on a pool thread and fills a BatchResult, which crosses to the
// event loop.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "newshound/dispatch/pipeline_stats.hpp"
#include "newshound/dispatch/pipeline_worker.hpp"
#include "newshound/source/line_batch.hpp"

namespace newshound {

/// What a worker produced for one batch. Built on a pool thread, then only read
/// (and its strings moved out) on the event loop.
struct BatchResult {
  struct Bad {
    std::uint32_t index;  ///< line within the batch
    DecodeError error;
  };
  /// One line of an acknowledged stream.
  struct AckLine {
    std::string article_id;     ///< what to acknowledge it as
    bool acknowledged = false;  ///< false: settles without a reply (blank, bad, engine error)
    bool alert = false;         ///< settles once the next alert of `alerts` is delivered
    DecodeError refused = DecodeError::ok;  ///< a bad line: why the decoder refused it
  };
  std::vector<std::shared_ptr<const Alert>> alerts;  ///< in line order
  /// Each alert's article signature (Outcome::signature), same order: the story
  /// stage files them in input order when the batch is emitted.
  std::vector<Signature> signatures;
  /// With the story stage on: every decoded article's version, in line order (an
  /// entry with `alert` set is the next alert's), for the lifecycle.
  VersionLog versions;
  std::vector<Bad> bad;
  std::uint64_t oversize = 0;
  std::uint32_t input = 0;
  std::shared_ptr<const Rules> rules;  ///< what the batch was matched with
  std::vector<ListCounts> lists;       ///< indexed like rules->lists()
  std::vector<AckLine> acks;           ///< one per line run, acknowledged streams only
  /// Lines left unprocessed because the batch was abandoned (the last ones of the
  /// batch; they have no entry in `acks` and must never be acknowledged).
  std::size_t abandoned = 0;
};

/// Runs every line of `batch` through `worker` (null: the matcher could not be
/// prepared, every line is an engine error) on `rules`, counting into `stats`.
/// `ack`: records each line in `out.acks`. `abandoned` is read before each line:
/// once set, the remaining lines are left undone and counted in `out.abandoned`
/// and `stats.lines_abandoned`. Pool thread; never throws except std::bad_alloc.
void run_batch(PipelineWorker* worker, const std::shared_ptr<const Rules>& rules,
               const LineBatch& batch, bool ack, const std::atomic<bool>& abandoned,
               PipelineStats& stats, BatchResult& out);

}  // namespace newshound
