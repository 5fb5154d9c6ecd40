// Stage: dispatch. One worker's synchronous pipeline, decode -> normalize -> match
// -> encode, for one line at a time. No I/O, no locks: `scan`, the daemon's worker
// pool and the in-process pipeline tests all drive this same class.
//
// How a stage plugs in. process() runs the stages as private steps, each of which
// either ends the line with an Outcome or passes the reusable Article /
// NormalizedArticle / MatchSet on: decode(), match() (normalize + match), encode().
// The stories stage's share of a worker's work is sign() (set_signing()): the
// near-duplicate signature of an article that matched, from the text match()
// folded, carried in Outcome::signature, and the article's version (Outcome::version:
// ids, version, pubstatus, embargo, match fingerprint) for the lifecycle, also for an
// article that matched nothing (a newer version or a kill may retract). Which story the article
// joins is decided later, in input order, by whoever emits the alerts in order (the dispatcher,
// `scan`): with several workers the articles are matched out of order, and the
// first copy of a story must be the first to arrive, whatever the threads did.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/decode/decoder.hpp"
#include "newshound/dispatch/alert_bounds.hpp"
#include "newshound/encode/alert.hpp"
#include "newshound/encode/alert_encoder.hpp"
#include "newshound/match/match_set.hpp"
#include "newshound/match/matcher.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/normalize/normalized_article.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "newshound/stories/article_version.hpp"
#include "newshound/stories/match_hash.hpp"
#include "newshound/stories/signature.hpp"

namespace newshound {

/// Entity matches of one list that an alert names (for the per-list counts).
struct ListHit {
  std::uint32_t list = 0;     ///< index in Rules::lists()
  std::uint32_t matches = 0;  ///< entity matches of that list (topic hits are not counted)
};

/// What became of one line. The views point into the worker that produced it and
/// stay valid until its next process() call.
struct Outcome {
  enum class Kind { alert, no_match, skipped, bad_line, engine_error };
  Kind kind = Kind::skipped;
  DecodeError error = DecodeError::ok;  ///< why, for bad_line
  std::shared_ptr<const Alert> alert;   ///< for alert
  std::uint32_t matches = 0;            ///< entity matches + topic hits, for alert
  std::uint64_t truncated = 0;          ///< for alert: matches left out at the bounds
  std::string_view article_id;          ///< for alert, no_match and engine_error
  std::span<const ListHit> lists;       ///< for alert: one per alert->lists entry, same order
  /// For alert, with set_signing(true): the article's near-duplicate signature.
  Signature signature;
  /// For alert and no_match, with set_signing(true): what the version lifecycle
  /// needs of the article (points into the worker); null otherwise.
  const ArticleVersionView* version = nullptr;
};

/// Owns everything one worker thread needs: a decoder per input (field maps
/// differ), a normalizer, a Hyperscan matcher (with its scratch) and an encoder,
/// plus the reusable Article / NormalizedArticle / MatchSet. Not thread-safe:
/// one per thread. Never throws on input; the constructor and set_rules() throw
/// std::exception when the matcher's scratch cannot be allocated.
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
  /// Bounds every later alert (and the matching work behind it); AlertLimits{}
  /// until called. With cut classes, an alert that does not fit a class's bounds
  /// gets a cut for it in Alert::cuts (encoded again, bounded by that class); a
  /// class whose `snippets` differs from the widest's always gets its own copy.
  void set_limits(const AlertBounds& bounds);
  void set_limits(const AlertLimits& limits) { set_limits(AlertBounds{limits, {}}); }
  /// Whether every alert's Outcome gets the article's near-duplicate signature,
  /// and every decoded article's Outcome its version (the story stage is on).
  /// Off until called.
  void set_signing(bool on) { signing_ = on; }
  bool signing() const { return signing_; }

  /// The article and matches of the last process() call (for logs and tests; the
  /// pipeline itself reads Outcome).
  const Article& last_article() const { return article_; }
  const MatchSet& last_matches() const { return matches_; }

 private:
  // The stages, in order; each returns false when it ended the line in `out`.
  bool decode(std::string_view line, Clock::time_point received_at, std::uint32_t input,
              Outcome& out);
  bool match(Outcome& out);
  void encode(Outcome& out);
  void count_lists(const Alert& alert);

  std::vector<Decoder> decoders_;
  Normalizer normalizer_;
  std::shared_ptr<const Rules> rules_;
  bool reference_ = false;
  AlertBounds bounds_;
  std::unique_ptr<Matcher> matcher_;
  AlertEncoder encoder_;
  Article article_;
  NormalizedArticle text_;
  MatchSet matches_;
  std::vector<ListHit> list_hits_;  // Outcome::lists of the last alert
  bool signing_ = false;
  Signer signer_;
  ArticleVersionView version_;               // Outcome::version (views into article_)
  std::vector<std::uint64_t> hash_scratch_;  // match_hash()
};

}  // namespace newshound
