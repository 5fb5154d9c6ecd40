// Stage: dispatch. The digest desk (see digest_desk.hpp), and which of its
// pending digests the story store must keep (take_changes(), restore()).
#include "newshound/dispatch/digest_desk.hpp"

#include <algorithm>

#include "newshound/encode/digest_encoder.hpp"

namespace newshound {

bool DigestDesk::folds_any(std::span<const Route* const> routes) {
  return std::any_of(routes.begin(), routes.end(), [](const Route* r) {
    return r->digests.stories || r->digests.max_per_minute != 0;
  });
}

void DigestDesk::sort(const Alert& alert, const Rules& rules, std::vector<Sink*>& targets,
                      std::vector<std::uint32_t>& classes, std::vector<const Route*>& routes,
                      Clock::time_point now, std::vector<Fold>& folds) {
  folds.clear();
  std::size_t kept = 0;
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const Route& r = *routes[k];
    bool fold = r.digests.stories;
    std::string_view list;  // the throttled list the alert is folded under
    if (!fold && r.digests.max_per_minute != 0) {
      bool room = false;
      for (auto l : alert.lists) {
        if (l >= rules.lists().size() || !r.accepts(rules.lists()[l])) continue;
        const std::string& name = rules.lists()[l].name;
        if (throttle_.has_room(targets[k], name, r.digests.max_per_minute, now)) {
          throttle_.charge(targets[k], name);
          room = true;
        } else if (list.empty()) {
          list = name;
        }
      }
      fold = !room && !list.empty();
      if (fold) throttle_.throttled(targets[k], list);
    }
    if (fold) {
      folds.push_back(Fold{targets[k], routes[k], list});
      continue;
    }
    targets[kept] = targets[k];
    classes[kept] = classes[k];
    routes[kept] = routes[k];
    ++kept;
  }
  targets.resize(kept);
  classes.resize(kept);
  routes.resize(kept);
}

void DigestDesk::fold(std::span<const Fold> folds, const std::shared_ptr<const Alert>& alert,
                      bool keep, Clock::time_point now) {
  if (folds.empty()) return;
  const DigestItem item = encode_digest_item(*alert);  // once for all outputs
  for (const Fold& f : folds) {
    const bool story = f.list.empty();
    std::string group = story
                            ? (item.story_id.empty() ? "article:" + alert->article : item.story_id)
                            : std::string();
    Key key{f.sink, std::string(f.list), std::move(group)};
    auto it = pending_.find(key);
    Pending& p = it != pending_.end() ? it->second : open(key, f.sink, *f.route, f.list, now);
    if (story && p.story_id.empty()) p.story_id = item.story_id;
    ++p.copies;
    if (!keep) {
      ++p.durable_copies;
      note_change(key, p);
    }
    auto& c = counts_[f.sink];
    ++(story ? c.folded_story : c.folded_throttle);
    // Keep what can be listed: the digest's bytes bound what a pending one holds.
    if (!item.json.empty() &&
        kDigestOverheadBytes + p.item_bytes + item.json.size() + 1 <= p.max_bytes) {
      p.items.push_back(item.json);
      p.durable.push_back(!keep);
      p.item_bytes += item.json.size() + 1;
      item_bytes_ += item.json.size() + 1;
    } else {
      ++p.left_out;
      if (!keep) ++p.durable_left_out;
    }
    if (keep) {
      p.kept.push_back(alert);
      ++kept_;
    }
  }
}

DigestDesk::Pending& DigestDesk::open(const Key& key, Sink* sink, const Route& route,
                                      std::string_view list, Clock::time_point now) {
  Pending& p = pending_[key];
  p.sink = sink;
  p.output = route.digests.output;
  p.max_bytes = route.digests.max_bytes;
  p.list = std::string(list);
  p.opened = now;
  p.due = now + route.digests.interval;
  due_.emplace(p.due, key);
  return p;
}

void DigestDesk::note_change(const Key& key, const Pending& p) {
  if (p.durable_copies == 0) return;  // never written: nothing to update or remove
  changed_.try_emplace(key, DigestKey{p.output, std::get<1>(key), std::get<2>(key)});
}

void DigestDesk::take_changes(std::vector<DigestRecord>& upserts, std::vector<DigestKey>& removed) {
  upserts.clear();
  removed.clear();
  for (auto& [key, dkey] : changed_) {
    const auto it = pending_.find(key);
    if (it == pending_.end()) {
      removed.push_back(std::move(dkey));
      continue;
    }
    const Pending& p = it->second;
    DigestRecord& r = upserts.emplace_back();
    r.key = std::move(dkey);
    r.story_id = p.story_id;
    r.opened = p.opened;
    r.due = p.due;
    r.copies = p.durable_copies;
    r.left_out = p.durable_left_out;
    for (std::size_t i = 0; i < p.items.size(); ++i)
      if (p.durable[i]) r.items.push_back(p.items[i]);
  }
  changed_.clear();
}

bool DigestDesk::restore(const DigestRecord& r, Sink* sink, const Route& route) {
  const Key key{sink, r.key.list, r.key.group};
  if (pending_.count(key) != 0) return false;
  Pending& p = open(key, sink, route, r.key.list, r.opened);
  due_.erase({p.due, key});
  p.due = r.due;  // as first set: a changed interval applies to digests opened afterwards
  due_.emplace(p.due, key);
  p.story_id = r.story_id;
  p.copies = p.durable_copies = r.copies;
  p.left_out = p.durable_left_out = r.left_out;
  for (const std::string& item : r.items) {
    p.items.push_back(item);
    p.durable.push_back(true);
    p.item_bytes += item.size() + 1;
    item_bytes_ += item.size() + 1;
  }
  return true;
}

std::optional<Clock::time_point> DigestDesk::next_due() const {
  if (due_.empty()) return std::nullopt;
  return due_.begin()->first;
}

bool DigestDesk::over_limits() const {
  return pending_.size() > limits_.max_digests || kept_ > limits_.max_kept_alerts ||
         item_bytes_ > limits_.max_item_bytes;
}

DigestDesk::Ready DigestDesk::close(std::map<Key, Pending>::iterator it, Clock::time_point now,
                                    bool early) {
  Pending& p = it->second;
  DigestHeader h;
  h.output = p.output;
  h.reason = p.list.empty() ? "story" : "throttle";
  h.story_id = p.story_id;
  h.list = p.list;
  h.opened_at = p.opened;
  h.closed_at = now;
  h.copies = p.copies;
  Ready r;
  r.sink = p.sink;
  r.alert = encode_digest(h, p.items, p.left_out, p.max_bytes);
  r.folded = std::move(p.kept);
  r.early = early;
  kept_ -= r.folded.size();
  item_bytes_ -= p.item_bytes;
  auto& c = counts_[p.sink];
  ++c.sent;
  if (early) ++c.sent_early;
  note_change(it->first, p);
  due_.erase({p.due, it->first});
  pending_.erase(it);
  return r;
}

void DigestDesk::take_due(Clock::time_point now, bool all, std::vector<Ready>& out) {
  while (!due_.empty()) {
    const bool due = all || due_.begin()->first <= now;
    if (!due && !over_limits()) break;
    auto it = pending_.find(due_.begin()->second);
    out.push_back(close(it, now, !due));
  }
}

void DigestDesk::sending(Ready ready) {
  if (ready.folded.empty()) return;  // nothing waits for it
  const Alert* a = ready.alert.get();
  sent_.emplace(a, std::move(ready));
}

void DigestDesk::delivered(const Sink* sink, const Alert* alert,
                           const std::function<void(const Alert*)>& settle) {
  auto it = sent_.find(alert);
  if (it == sent_.end() || it->second.sink != sink) return;
  const Ready ready = std::move(it->second);
  sent_.erase(it);
  for (const auto& folded : ready.folded) settle(folded.get());
}

std::size_t DigestDesk::forget_sinks(std::span<const Sink* const> removed) {
  auto gone = [&](const Sink* s) {
    return std::find(removed.begin(), removed.end(), s) != removed.end();
  };
  std::size_t dropped = 0;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (!gone(it->second.sink)) {
      ++it;
      continue;
    }
    kept_ -= it->second.kept.size();
    item_bytes_ -= it->second.item_bytes;
    note_change(it->first, it->second);
    due_.erase({it->second.due, it->first});
    dropped += it->second.copies;
    it = pending_.erase(it);
  }
  std::erase_if(sent_, [&](const auto& kv) { return gone(kv.second.sink); });
  std::erase_if(counts_, [&](const auto& kv) { return gone(kv.first); });
  throttle_.forget_sinks(removed);
  return dropped;
}

DigestCounts DigestDesk::counts(const Sink* sink) const {
  DigestCounts c;
  if (auto it = counts_.find(sink); it != counts_.end()) c = it->second;
  c.pending = 0;
  c.pending_copies = 0;
  for (const auto& [key, p] : pending_)
    if (p.sink == sink) {
      ++c.pending;
      c.pending_copies += p.copies;
    }
  return c;
}

}  // namespace newshound
