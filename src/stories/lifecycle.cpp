// Stage: stories. The lifecycle tracker: per article the newest version seen, the
// alert ids in force and a held embargo, in slots with an LRU list (like the story
// index) found through a hash map by article id; holds ordered by release time.
// The decision table is in docs/stories.md; settle() is its common tail.
#include "newshound/stories/lifecycle.hpp"

#include <algorithm>

namespace newshound {

namespace {

bool is_kill(PubStatus s) {
  return s == PubStatus::canceled || s == PubStatus::withheld;
}

}  // namespace

std::string lifecycle_options_error(const LifecycleOptions& options) {
  if (options.max_articles == 0) return "stories max_articles must be at least 1";
  if (options.window <= std::chrono::seconds(0)) return "stories version window must be positive";
  return "";
}

void AlertOutputs::merge(const AlertOutputs& other) {
  if (state == State::unknown) return;
  if (!other.known()) {
    state = State::unknown;
    names.clear();
    return;
  }
  state = State::known;
  for (const std::string& n : other.names) {
    const auto at = std::lower_bound(names.begin(), names.end(), n);
    if (at == names.end() || *at != n) names.insert(at, n);
  }
}

Lifecycle::Lifecycle(const LifecycleOptions& options)
    : options_(options), ids_(options.max_articles) {
  options_.max_articles = std::max<std::size_t>(options_.max_articles, 1);
  if (options_.window <= std::chrono::seconds(0)) options_.window = std::chrono::seconds(1);
}

LifecycleDecision Lifecycle::none(LifecycleReason r) {
  LifecycleDecision d;
  d.reason = r;
  return d;
}

// Appends an alert in force (its outputs not known yet), dropping the oldest beyond
// the limit.
void Lifecycle::push_alert(Entry& e, std::string_view alert_id) {
  if (e.alerts.size() >= kMaxAlertIdsPerArticle) {
    e.alerts.erase(e.alerts.begin());
    e.alert_outputs.erase(e.alert_outputs.begin());
  }
  e.alerts.emplace_back(alert_id);
  e.alert_outputs.emplace_back();
}

// A retraction takes back every alert in force: their ids and where they went.
void Lifecycle::retract_all(Entry& e, LifecycleDecision& d) {
  d.retract_to = AlertOutputs{AlertOutputs::State::known, {}};
  for (const AlertOutputs& o : e.alert_outputs) d.retract_to.merge(o);
  d.retracts.swap(e.alerts);
  e.alerts.clear();
  e.alert_outputs.clear();
  e.matches = 0;
}

LifecycleDecision Lifecycle::counted(LifecycleDecision d) {
  ++counts_.decisions[static_cast<std::size_t>(d.reason)];
  return d;
}

LifecycleDecision Lifecycle::decide(const Arrival& a, Clock::time_point now) {
  expire(now);
  if (const auto it = by_id_.find(a.article_id); it != by_id_.end())
    return counted(decide_known(it->second, a, now));
  // Unknown: a kill is remembered (an older copy arriving later stays quiet); a
  // version that matches nothing is not.
  if (is_kill(a.pubstatus)) {
    create(a.article_id, a.version, now);
    return counted(none(LifecycleReason::nothing_to_retract));
  }
  if (a.matches == 0) return counted(none(LifecycleReason::no_match));
  const std::uint32_t slot = create(a.article_id, a.version, now);
  if (a.embargo && *a.embargo > now) {
    hold(slot, a);
    LifecycleDecision d;
    d.event = LifecycleEvent::hold;
    d.reason = LifecycleReason::embargoed;
    d.release_at = *a.embargo;
    return counted(std::move(d));
  }
  return counted(settle(slots_[slot], a.matches, a.alert_id));
}

LifecycleDecision Lifecycle::decide_known(std::uint32_t slot, const Arrival& a,
                                          Clock::time_point now) {
  touch(slot, now);
  Entry& e = slots_[slot];
  const bool kill = is_kill(a.pubstatus);
  const int order = compare_versions(a.version, e.version);
  if (order < 0) return none(LifecycleReason::stale);
  if (order == 0 && !kill) {
    LifecycleDecision d = none(LifecycleReason::replay);
    const auto it = std::find(e.alerts.begin(), e.alerts.end(), a.alert_id);
    d.in_force = !a.alert_id.empty() && it != e.alerts.end();
    if (d.in_force && it != e.alerts.begin()) d.previous_alert = *(it - 1);
    if (!a.rules_in_matches || d.in_force || a.alert_id.empty() || a.matches == 0 ||
        a.matches == e.matches || e.alerts.empty() || e.held)
      return d;
    // The same version under another alert id and other matches: matched by other
    // rules (a reload or a restart; the fingerprint names the rules), so its
    // alert may say something else: an update.
    d.event = LifecycleEvent::update;
    d.reason = LifecycleReason::rules_changed;
    d.previous_alert = e.alerts.back();
    push_alert(e, a.alert_id);
    e.matches = a.matches;
    note_change(slot);
    return d;
  }
  if (order > 0) e.version.assign(a.version);
  drop_hold(slot);  // superseded by this newer version, or killed
  if (kill) {
    if (e.alerts.empty()) return none(LifecycleReason::nothing_to_retract);
    LifecycleDecision d;
    d.event = LifecycleEvent::retraction;
    d.reason = LifecycleReason::killed;
    retract_all(e, d);
    return d;
  }
  if (a.embargo && *a.embargo > now && (a.matches != 0 || !e.alerts.empty())) {
    hold(slot, a);
    LifecycleDecision d;
    d.event = LifecycleEvent::hold;
    d.reason = LifecycleReason::embargoed;
    d.release_at = *a.embargo;
    return d;
  }
  return settle(e, a.matches, a.alert_id);
}

// The decision for a usable version (arrived or released) against what is alerted.
LifecycleDecision Lifecycle::settle(Entry& e, std::uint64_t matches, std::string_view alert_id) {
  LifecycleDecision d;
  if (e.alerts.empty()) {
    if (matches == 0) return none(LifecycleReason::no_match);
    d.event = LifecycleEvent::new_alert;
    d.reason = LifecycleReason::first;
  } else if (matches == 0) {
    d.event = LifecycleEvent::retraction;
    d.reason = LifecycleReason::unmatched;
    retract_all(e, d);
    return d;
  } else if (matches == e.matches) {
    return none(LifecycleReason::unchanged);
  } else {
    d.event = LifecycleEvent::update;
    d.reason = LifecycleReason::matches_changed;
    d.previous_alert = e.alerts.back();
  }
  push_alert(e, alert_id);
  e.matches = matches;
  return d;
}

void Lifecycle::due(Clock::time_point now, std::vector<Release>& out) {
  out.clear();
  while (!holds_.empty() && holds_.begin()->first <= now) {
    const std::uint32_t slot = holds_.begin()->second;
    holds_.erase(holds_.begin());
    Entry& e = slots_[slot];
    e.held = false;
    Release r;
    r.article_id = e.id;
    r.version = e.version;
    r.alert_id = std::move(e.hold_alert);
    r.payload = std::move(e.payload);
    e.hold_alert.clear();
    e.payload.clear();
    r.decision = counted(settle(e, e.hold_matches, r.alert_id));
    e.hold_matches = 0;
    ++counts_.released;
    note_change(slot);
    out.push_back(std::move(r));
  }
}

std::optional<Clock::time_point> Lifecycle::next_due() const {
  if (holds_.empty()) return std::nullopt;
  return holds_.begin()->first;
}

void Lifecycle::took(std::string_view article_id, std::string_view alert_id,
                     const std::vector<std::string_view>& outputs) {
  const auto it = by_id_.find(article_id);
  if (it == by_id_.end()) return;
  Entry& e = slots_[it->second];
  const auto at = std::find(e.alerts.begin(), e.alerts.end(), alert_id);
  if (at == e.alerts.end()) return;
  AlertOutputs& o = e.alert_outputs[static_cast<std::size_t>(at - e.alerts.begin())];
  if (o.state != AlertOutputs::State::unknown) {
    // AlertOutputs::merge() of a known set, without copying the names twice.
    took_.assign(outputs.begin(), outputs.end());
    std::sort(took_.begin(), took_.end());
    took_.erase(std::unique(took_.begin(), took_.end()), took_.end());
    if (o.state == AlertOutputs::State::pending) {
      o.state = AlertOutputs::State::known;
      o.names.assign(took_.begin(), took_.end());
    } else {
      for (const std::string_view n : took_) {
        const auto at = std::lower_bound(o.names.begin(), o.names.end(), n);
        if (at == o.names.end() || *at != n) o.names.emplace(at, n);
      }
    }
  }
  note_change(it->second);
}

bool Lifecycle::known(std::string_view article_id) const {
  return by_id_.find(article_id) != by_id_.end();
}

LifecycleCounts Lifecycle::counts() const {
  LifecycleCounts c = counts_;
  c.articles = by_id_.size();
  c.held = holds_.size();
  return c;
}

void Lifecycle::hold(std::uint32_t slot, const Arrival& a) {
  Entry& e = slots_[slot];
  e.held = true;
  e.release_at = *a.embargo;
  e.hold_matches = a.matches;
  e.hold_alert.assign(a.alert_id);
  e.payload.assign(a.payload);
  holds_.emplace(e.release_at, slot);
  note_change(slot);
}

void Lifecycle::drop_hold(std::uint32_t slot) {
  Entry& e = slots_[slot];
  if (!e.held) return;
  holds_.erase({e.release_at, slot});
  e.held = false;
  e.hold_matches = 0;
  e.hold_alert.clear();
  e.payload.clear();
}

std::uint32_t Lifecycle::create(std::string_view id, std::string_view version,
                                Clock::time_point now) {
  if (by_id_.size() >= options_.max_articles) {
    if (slots_[lru_.tail].held) ++counts_.holds_dropped;
    remove(lru_.tail);
    ++counts_.evicted;
  }
  const std::uint32_t slot = lru_.allocate(slots_);
  Entry& e = slots_[slot];
  e.id.assign(id);
  e.version.assign(version);
  e.matches = 0;
  e.alerts.clear();
  e.alert_outputs.clear();
  e.live = true;
  e.stored = false;
  by_id_.emplace(e.id, slot);
  ids_.add(e.id);
  touch(slot, now);  // links it first in the LRU list
  return slot;
}

void Lifecycle::touch(std::uint32_t slot, Clock::time_point now) {
  Entry& e = slots_[slot];
  e.last_seen = std::max(e.last_seen, now);
  e.used = ++use_;
  lru_.unlink(slots_, slot);
  lru_.link_front(slots_, slot);
  note_change(slot);
}

bool Lifecycle::expired(const Entry& e, Clock::time_point now) const {
  const Clock::time_point last = e.held ? std::max(e.last_seen, e.release_at) : e.last_seen;
  return last < now - options_.window;
}

// From the LRU tail; a held article not yet expired stops the walk (the cap
// still bounds memory).
void Lifecycle::expire(Clock::time_point now) {
  while (lru_.tail != kNone && expired(slots_[lru_.tail], now)) {
    remove(lru_.tail);
    ++counts_.expired;
  }
}

void Lifecycle::remove(std::uint32_t slot) {
  Entry& e = slots_[slot];
  drop_hold(slot);
  if (tracking_) removed_.push_back(e.id);
  lru_.unlink(slots_, slot);
  by_id_.erase(e.id);
  ids_.erase(e.id);
  e.live = false;
  e.alerts.clear();
  e.alert_outputs.clear();
  e.last_seen = {};
  lru_.free.push_back(slot);
}

void Lifecycle::restore(const ArticleRecord& r) {
  if (by_id_.size() >= options_.max_articles) {
    if (slots_[lru_.tail].held) ++counts_.holds_dropped;
    remove(lru_.tail);
    ++counts_.evicted;
  }
  const std::uint32_t slot = lru_.allocate(slots_);
  Entry& e = slots_[slot];
  e.id = r.id;
  e.version = r.version;
  e.matches = r.matches;
  e.alerts = r.alerts;
  // A record without outputs (an older store): retracted to every output.
  e.alert_outputs = r.alert_outputs;
  e.alert_outputs.resize(e.alerts.size(), AlertOutputs{AlertOutputs::State::unknown, {}});
  e.last_seen = r.last_seen;
  e.used = r.used;
  e.live = true;
  e.stored = true;
  use_ = std::max(use_, r.used);
  by_id_.emplace(e.id, slot);
  ids_.add(e.id);
  lru_.link_front(slots_, slot);
  if (r.held) {
    e.held = true;
    e.release_at = r.release_at;
    e.hold_matches = r.hold_matches;
    e.hold_alert = r.hold_alert;
    e.payload = r.payload;
    holds_.emplace(e.release_at, slot);
  }
}

void Lifecycle::track_changes(bool on) {
  tracking_ = on;
}

void Lifecycle::note_change(std::uint32_t slot) {
  Entry& e = slots_[slot];
  if (!tracking_ || e.changed) return;
  e.changed = true;
  changed_.push_back(slot);
}

void Lifecycle::take_changes(std::vector<ArticleRecord>& upserts,
                             std::vector<std::string>& removed) {
  removed.clear();
  removed.swap(removed_);
  std::size_t n = 0;
  for (const std::uint32_t i : changed_) {
    Entry& e = slots_[i];
    e.changed = false;
    if (!e.live) continue;
    // Assigned into the records `upserts` already holds: their strings keep their
    // memory from the last commit (StoryStore recycles its batch).
    if (n == upserts.size()) upserts.emplace_back();
    ArticleRecord& r = upserts[n++];
    r.id = e.id;
    r.version = e.version;
    r.matches = e.matches;
    r.alerts = e.alerts;
    r.alert_outputs = e.alert_outputs;
    r.last_seen = e.last_seen;
    r.used = e.used;
    r.held = e.held;
    r.release_at = e.release_at;
    r.hold_matches = e.hold_matches;
    r.hold_alert = e.hold_alert;
    r.payload = e.payload;
    r.fresh = !e.stored;
    e.stored = true;  // batches are written in order, a failed one again before later ones
  }
  upserts.resize(n);
  changed_.clear();
}

}  // namespace newshound
