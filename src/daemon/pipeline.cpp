// Daemon: one worker's synchronous pipeline, decode -> normalize -> match -> route.
#include "newshound/daemon/pipeline.hpp"

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
  rules_ = std::move(rules);
}

Outcome PipelineWorker::process(std::string_view line, Clock::time_point received_at,
                                std::uint32_t input) {
  Outcome out;
  if (blank(line)) return out;
  Decoder& decoder = decoders_[input < decoders_.size() ? input : 0];
  out.error = decoder.decode(line, article_);
  if (out.error != DecodeError::ok) {
    out.kind = Outcome::Kind::bad_line;
    return out;
  }
  article_.received_at = received_at;
  article_.input = input;
  normalizer_.normalize(article_, text_);
  if (!matcher_->match(article_, text_, matches_)) {
    out.kind = Outcome::Kind::engine_error;
    return out;
  }
  if (matches_.empty()) {
    out.kind = Outcome::Kind::no_match;
    return out;
  }
  out.kind = Outcome::Kind::alert;
  out.matches = static_cast<std::uint32_t>(matches_.matches.size() + matches_.topics.size());
  out.alert = encoder_.encode(article_, matches_, *rules_, Clock::now());
  return out;
}

}  // namespace newshound
