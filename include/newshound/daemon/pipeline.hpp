// Daemon: one worker's synchronous pipeline, decode -> normalize -> match -> route,
// for one line at a time. No I/O, no locks: `scan`, the daemon's worker threads
// and the in-process pipeline tests all drive this same class.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/decode/decoder.hpp"
#include "newshound/encode/alert.hpp"
#include "newshound/encode/alert_encoder.hpp"
#include "newshound/match/match_set.hpp"
#include "newshound/match/matcher.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/normalize/normalized_article.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound {

/// What became of one line.
struct Outcome {
  enum class Kind { alert, no_match, skipped, bad_line, engine_error };
  Kind kind = Kind::skipped;
  DecodeError error = DecodeError::ok;  ///< why, for bad_line
  std::shared_ptr<const Alert> alert;   ///< for alert
  std::uint32_t matches = 0;            ///< entity matches + topic hits, for alert
};

/// Owns everything one worker thread needs: a decoder per input (field maps
/// differ), a normalizer, a Hyperscan matcher (with its scratch) and an encoder,
/// plus the reusable Article / NormalizedArticle / MatchSet. Not thread-safe:
/// one per thread. Never throws on input.
class PipelineWorker {
 public:
  /// `field_maps[i]` is how input i's articles are decoded (at least one entry).
  /// `reference` selects the slow reference matcher (tests, `scan --reference`).
  PipelineWorker(std::vector<FieldMap> field_maps, std::shared_ptr<const Rules> rules,
                 bool reference = false);

  /// Processes one line (without its terminator). Blank lines are `skipped`.
  Outcome process(std::string_view line, Clock::time_point received_at, std::uint32_t input = 0);

  /// Replaces the per-input field maps (after a reload changed the inputs).
  void set_field_maps(const std::vector<FieldMap>& field_maps);

  /// Switches to other rules (after a reload): allocates new scratch only if the
  /// rules object differs. Call between lines, never during one.
  void set_rules(std::shared_ptr<const Rules> rules);
  const Rules& rules() const { return matcher_->rules(); }

  /// The article of the last process() call (for logs and tests).
  const Article& last_article() const { return article_; }
  const MatchSet& last_matches() const { return matches_; }

 private:
  std::vector<Decoder> decoders_;
  Normalizer normalizer_;
  std::shared_ptr<const Rules> rules_;
  bool reference_ = false;
  std::unique_ptr<Matcher> matcher_;
  AlertEncoder encoder_;
  Article article_;
  NormalizedArticle text_;
  MatchSet matches_;
};

}  // namespace newshound
