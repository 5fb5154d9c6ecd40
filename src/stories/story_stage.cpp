// Stage: stories. The shared story index and version lifecycle behind their mutex,
// and their store (see story_stage.hpp).
#include "newshound/stories/story_stage.hpp"

namespace newshound {

StoryStage::StoryStage(const StoryOptions& options, const LifecycleOptions& lifecycle)
    : index_(options), lifecycle_(lifecycle) {}

LifecycleDecision StoryStage::decide(const Arrival& arrival, Clock::time_point now) {
  std::lock_guard lock(mu_);
  return lifecycle_.decide(arrival, now);
}

void StoryStage::took(std::string_view article_id, std::string_view alert_id,
                      const std::vector<std::string_view>& outputs) {
  std::lock_guard lock(mu_);
  lifecycle_.took(article_id, alert_id, outputs);
}

bool StoryStage::known(std::string_view article_id) const {
  if (!lifecycle_.maybe_known(article_id)) return false;  // most ids: no lock
  std::lock_guard lock(mu_);
  return lifecycle_.known(article_id);
}

void StoryStage::due(Clock::time_point now, std::vector<Release>& out) {
  std::lock_guard lock(mu_);
  lifecycle_.due(now, out);
}

std::optional<Clock::time_point> StoryStage::next_due() const {
  std::lock_guard lock(mu_);
  return lifecycle_.next_due();
}

void StoryStage::file(std::string_view article_id, const Signature& sig, Clock::time_point at,
                      StoryFiling& out) {
  std::lock_guard lock(mu_);
  bool again = false;
  const StoryHit hit = index_.file(article_id, sig, at, again);
  out.story_id.assign(hit.story_id);
  out.distance = hit.distance;
  if (again || hit.is_new) {  // the first copy again: as the first time
    out.duplicate_of.clear();
    out.copies = 1;
    return;
  }
  out.duplicate_of.assign(hit.duplicate_of);
  out.copies = hit.copies;
  ++copies_;
}

StoryStoreOpened StoryStage::open_store(const std::filesystem::path& dir) {
  std::lock_guard lock(mu_);
  return store_.open(dir, index_, lifecycle_);
}

std::string StoryStage::commit() {
  std::lock_guard lock(mu_);
  if (!store_.is_open()) return "";
  return store_.commit(index_, lifecycle_);
}

void StoryStage::stage_digests(std::vector<DigestRecord>& upserts,
                               std::vector<DigestKey>& removed) {
  std::lock_guard lock(mu_);
  if (store_.is_open()) store_.stage_digests(upserts, removed);
  upserts.clear();
  removed.clear();
}

std::vector<DigestRecord> StoryStage::take_digests() {
  std::lock_guard lock(mu_);
  return store_.take_digests();
}

std::string StoryStage::close_store() {
  std::lock_guard lock(mu_);
  if (!store_.is_open()) return "";
  std::string error = store_.commit(index_, lifecycle_);
  store_.close();
  return error;
}

bool StoryStage::store_open() const {
  std::lock_guard lock(mu_);
  return store_.is_open();
}

StoryStageCounts StoryStage::counts() const {
  std::lock_guard lock(mu_);
  return {index_.counts(), copies_, store_.counts(), lifecycle_.counts()};
}

}  // namespace newshound
