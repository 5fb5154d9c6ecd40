// Stage: dispatch. One worker's synchronous pipeline, decode -> normalize -> match
// -> encode (see pipeline_worker.hpp, which also says how a new stage plugs in).
#include "newshound/dispatch/pipeline_worker.hpp"

#include <algorithm>

namespace newshound {

namespace {
bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}
}  // namespace

PipelineWorker::PipelineWorker(std::vector<FieldMap> field_maps, std::shared_ptr<const Rules> rules,
                               bool reference)
    : reference_(reference) {
  set_field_maps(field_maps);
  set_rules(std::move(rules));
}

void PipelineWorker::set_field_maps(const std::vector<FieldMap>& field_maps) {
  decoders_.clear();
  decoders_.reserve(std::max<std::size_t>(1, field_maps.size()));
  for (const auto& m : field_maps) decoders_.emplace_back(m);
  if (decoders_.empty()) decoders_.emplace_back();
}

void PipelineWorker::set_rules(std::shared_ptr<const Rules> rules) {
  if (rules_ == rules) return;
  if (reference_)
    matcher_ = std::make_unique<ReferenceMatcher>(rules);
  else
    matcher_ = std::make_unique<HyperscanMatcher>(rules);
  matcher_->set_limits(bounds_.widest);
  rules_ = std::move(rules);
}

void PipelineWorker::set_limits(const AlertBounds& bounds) {
  bounds_ = bounds;
  if (matcher_) matcher_->set_limits(bounds_.widest);
}

Outcome PipelineWorker::process(std::string_view line, Clock::time_point received_at,
                                std::uint32_t input) {
  Outcome out;
  if (blank(line)) return out;
  if (!decode(line, received_at, input, out)) return out;
  if (!match(out)) return out;
  encode(out);
  return out;
}

bool PipelineWorker::decode(std::string_view line, Clock::time_point received_at,
                            std::uint32_t input, Outcome& out) {
  Decoder& decoder = decoders_[input < decoders_.size() ? input : 0];
  out.error = decoder.decode(line, article_);
  if (out.error != DecodeError::ok) {
    out.kind = Outcome::Kind::bad_line;
    return false;
  }
  article_.received_at = received_at;
  article_.input = input;
  out.article_id = article_.id;
  return true;
}

bool PipelineWorker::match(Outcome& out) {
  normalizer_.normalize(article_, text_);
  if (!matcher_->match(article_, text_, matches_)) {
    out.kind = Outcome::Kind::engine_error;
    return false;
  }
  if (matches_.empty()) {
    out.kind = Outcome::Kind::no_match;
    if (signing_) {
      version_ = ArticleVersionView::of(article_, kNoMatches, false);
      out.version = &version_;
    }
    return false;
  }
  return true;
}

void PipelineWorker::encode(Outcome& out) {
  out.kind = Outcome::Kind::alert;
  out.matches = static_cast<std::uint32_t>(matches_.matches.size() + matches_.topics.size());
  const auto alerted_at = Clock::now();
  // Created non-const by the encoder and not shared yet: its cuts are filled in here.
  auto alert = std::const_pointer_cast<Alert>(
      encoder_.encode(article_, matches_, *rules_, alerted_at, bounds_.widest));
  for (std::size_t k = 0; k < bounds_.cuts.size(); ++k) {
    const AlertLimits& cut = bounds_.cuts[k];
    if (cut.snippets == bounds_.widest.snippets &&
        alert->listed <= std::max<std::size_t>(cut.max_matches, 1) &&
        alert->json.size() <= cut.max_bytes)
      continue;  // fits: that class gets this alert
    alert->cuts.resize(bounds_.cuts.size());
    alert->cuts[k] = encoder_.encode(article_, matches_, *rules_, alerted_at, cut);
  }
  // The story stage's signature, from the text match() folded (Signer::sign()
  // would fold it again).
  if (signing_) {
    out.signature = signer_.sign_folded(text_.text);
    version_ = ArticleVersionView::of(article_,
                                      match_hash(matches_, rules_->version(), hash_scratch_), true);
    out.version = &version_;
  }
  out.alert = std::move(alert);
  out.truncated = out.alert->truncated;
  count_lists(*out.alert);
  out.lists = list_hits_;
}

void PipelineWorker::count_lists(const Alert& alert) {
  // alert.lists is sorted and names the list of every entity match (and topic hit).
  list_hits_.clear();
  for (auto l : alert.lists) list_hits_.push_back({l, 0});
  const auto& entities = rules_->entities();
  for (const auto& m : matches_.matches) {
    const std::uint32_t list = entities[m.entity].list;
    auto it = std::lower_bound(list_hits_.begin(), list_hits_.end(), list,
                               [](const ListHit& h, std::uint32_t l) { return h.list < l; });
    if (it != list_hits_.end() && it->list == list) ++it->matches;
  }
}

}  // namespace newshound
