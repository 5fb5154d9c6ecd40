// Stage: stories. The story index: slots with an LRU list and four band tables of
// intrusive doubly linked chains, so adding, joining and evicting allocate nothing
// once the slots are warm (a new story's id strings reuse a freed slot's capacity).
//
// Lookup is exact, not approximate: if two SimHashes differ in at most t bits, one
// of the four 16-bit bands differs in at most floor(t / 4) bits (pigeonhole), so
// probing, in every table, each bucket within that radius of the band's key finds
// every story within t. Radius 2 (t <= 11) is 137 buckets per table; a bitmap of
// the buckets in use (8 KiB a table) skips the empty ones without reading them,
// 64 buckets a word: the 137 buckets lie in 56 words of it.
#include "newshound/stories/story_index.hpp"

#include <algorithm>

#include "newshound/util/hash.hpp"

namespace newshound {

std::string story_options_error(const StoryOptions& options) {
  if (options.threshold > kMaxStoryThreshold)
    return "stories threshold " + std::to_string(options.threshold) + " is over the maximum " +
           std::to_string(kMaxStoryThreshold);
  if (options.max_stories == 0) return "stories max_stories must be at least 1";
  if (options.window <= std::chrono::seconds(0)) return "stories window must be positive";
  return "";
}

StoryIndex::StoryIndex(const StoryOptions& options) : options_(options) {
  options_.threshold = std::min(options_.threshold, kMaxStoryThreshold);
  options_.max_stories = std::max<std::size_t>(options_.max_stories, 1);
  if (options_.window <= std::chrono::seconds(0)) options_.window = std::chrono::seconds(1);
  const unsigned radius = options_.threshold / kBands;  // <= 3
  for (unsigned high = 0; high < 0x400; ++high) {
    const auto bits = static_cast<unsigned>(__builtin_popcount(high));
    if (bits <= radius)
      word_probes_.push_back(
          {static_cast<std::uint16_t>(high), static_cast<std::uint8_t>(radius - bits)});
  }
  for (unsigned r = 0; r < near_.size(); ++r)
    for (unsigned x = 0; x < 64; ++x)
      for (unsigned y = 0; y < 64; ++y)
        if (static_cast<unsigned>(__builtin_popcount(x ^ y)) <= r)
          near_[r][x] |= std::uint64_t{1} << y;
  for (auto& h : heads_) h.assign(0x10000, kNone);
  for (auto& o : occupied_) o.assign(0x10000 / 64, 0);
}

bool StoryIndex::expired(const Story& s, Clock::time_point at) const {
  const Clock::time_point now = std::max(at, newest_);
  return s.last_seen < now - options_.window;
}

std::uint32_t StoryIndex::nearest(std::uint64_t simhash, Clock::time_point at,
                                  unsigned& distance) const {
  std::uint32_t best = kNone;
  for (unsigned b = 0; b < kBands; ++b) {
    const std::uint16_t key = band(simhash, b);
    const std::uint64_t* occupied = occupied_[b].data();
    // The buckets within the radius of `key`, a 64-bucket word of the bitmap at a
    // time: most words are empty, and a word's buckets near `key` are one mask.
    for (const WordProbe w : word_probes_) {
      const unsigned word = (key >> 6) ^ w.high;
      for (std::uint64_t in_use = occupied[word] & near_[w.low_radius][key & 63]; in_use != 0;
           in_use &= in_use - 1) {
        const unsigned k = (word << 6) | static_cast<unsigned>(__builtin_ctzll(in_use));
        for (std::uint32_t i = heads_[b][k]; i != kNone; i = slots_[i].band_next[b]) {
          const Story& s = slots_[i];
          const unsigned d = hamming(simhash, s.simhash);
          if (d > options_.threshold || expired(s, at)) continue;
          if (best == kNone || d < distance || (d == distance && s.seq < slots_[best].seq)) {
            best = i;
            distance = d;
          }
        }
      }
    }
  }
  return best;
}

std::optional<StoryHit> StoryIndex::find(const Signature& sig, Clock::time_point at) const {
  if (sig.shingles == 0) return std::nullopt;
  unsigned d = 0;
  const std::uint32_t i = nearest(sig.simhash, at, d);
  if (i == kNone) return std::nullopt;
  return hit_of(slots_[i], d, false);
}

StoryHit StoryIndex::add(std::string_view article_id, const Signature& sig, Clock::time_point at) {
  bool again = false;
  return join_or_start(article_id, sig, at, false, again);
}

StoryHit StoryIndex::file(std::string_view article_id, const Signature& sig, Clock::time_point at,
                          bool& again) {
  return join_or_start(article_id, sig, at, true, again);
}

StoryHit StoryIndex::join_or_start(std::string_view article_id, const Signature& sig,
                                   Clock::time_point at, bool same_id_again, bool& again) {
  again = false;
  if (!any_ || at > newest_) newest_ = at;
  any_ = true;
  expire(at);
  if (sig.shingles > 0) {
    unsigned d = 0;
    const std::uint32_t i = nearest(sig.simhash, at, d);
    if (i != kNone && same_id_again && slots_[i].first_article == article_id) {
      again = true;
      return hit_of(slots_[i], d, false);
    }
    if (i != kNone) {
      Story& s = slots_[i];
      ++s.copies;
      s.last_seen = std::max(s.last_seen, at);
      s.used = ++use_;
      lru_.unlink(slots_, i);
      lru_.link_front(slots_, i);
      note_change(i);
      return hit_of(s, d, false);
    }
  }
  if (live_ >= options_.max_stories) {
    remove(lru_.tail);
    ++evicted_;
  }
  const std::uint32_t i = lru_.allocate(slots_);
  Story& s = slots_[i];
  s.simhash = sig.simhash;
  s.seq = seq_++;
  s.used = ++use_;
  s.id.assign(stable_hash_hex({"story", article_id}), 0, 16);
  s.first_article.assign(article_id);
  s.copies = 1;
  s.last_seen = at;
  s.live = true;
  s.indexed = sig.shingles > 0;
  ++live_;
  lru_.link_front(slots_, i);
  if (s.indexed) link_bands(i);
  note_change(i);
  return hit_of(s, 0, true);
}

void StoryIndex::restore(const StoryRecord& r) {
  if (live_ >= options_.max_stories) {
    remove(lru_.tail);
    ++evicted_;
  }
  const std::uint32_t i = lru_.allocate(slots_);
  Story& s = slots_[i];
  s.simhash = r.simhash;
  s.seq = r.seq;
  s.used = r.used;
  s.id.assign(r.id);
  s.first_article.assign(r.first_article);
  s.copies = r.copies;
  s.last_seen = r.last_seen;
  s.live = true;
  s.indexed = r.indexed;
  seq_ = std::max(seq_, r.seq + 1);
  use_ = std::max(use_, r.used);
  if (!any_ || r.last_seen > newest_) newest_ = r.last_seen;
  any_ = true;
  ++live_;
  lru_.link_front(slots_, i);
  if (s.indexed) link_bands(i);
}

void StoryIndex::track_changes(bool on) {
  tracking_ = on;
}

void StoryIndex::note_change(std::uint32_t slot) {
  Story& s = slots_[slot];
  if (!tracking_ || s.changed) return;
  s.changed = true;
  changed_.push_back(slot);
}

void StoryIndex::take_changes(std::vector<StoryRecord>& upserts,
                              std::vector<std::string>& removed) {
  removed.clear();
  removed.swap(removed_);
  std::size_t n = 0;
  for (const std::uint32_t i : changed_) {
    Story& s = slots_[i];
    s.changed = false;
    if (!s.live) continue;  // dropped since: its id is in `removed`
    if (n == upserts.size()) upserts.emplace_back();
    StoryRecord& r = upserts[n++];  // assigned: its strings keep their memory
    r.id = s.id;
    r.first_article = s.first_article;
    r.simhash = s.simhash;
    r.seq = s.seq;
    r.used = s.used;
    r.copies = s.copies;
    r.last_seen = s.last_seen;
    r.indexed = s.indexed;
  }
  upserts.resize(n);
  changed_.clear();
}

std::size_t StoryIndex::memory_bytes() const {
  auto heap = [](const std::string& str) {
    return str.capacity() > 15 ? str.capacity() + 1 : std::size_t{0};
  };
  std::size_t bytes =
      slots_.capacity() * sizeof(Story) + lru_.free.capacity() * sizeof(std::uint32_t) +
      word_probes_.capacity() * sizeof(WordProbe) + changed_.capacity() * sizeof(std::uint32_t);
  for (const auto& h : heads_) bytes += h.capacity() * sizeof(std::uint32_t);
  for (const auto& o : occupied_) bytes += o.capacity() * sizeof(std::uint64_t);
  for (const Story& s : slots_) bytes += heap(s.id) + heap(s.first_article);
  for (const std::string& r : removed_) bytes += sizeof(std::string) + heap(r);
  return bytes;
}

StoryCounts StoryIndex::counts() const {
  return {live_, evicted_, expired_};
}

// Drops expired stories from the LRU tail (the least recently joined). Article
// times may arrive out of order, so a stale story can sit before a fresh one:
// find() skips it until it reaches the tail or the cap evicts it.
void StoryIndex::expire(Clock::time_point at) {
  while (lru_.tail != kNone && expired(slots_[lru_.tail], at)) {
    remove(lru_.tail);
    ++expired_;
  }
}

void StoryIndex::remove(std::uint32_t slot) {
  Story& s = slots_[slot];
  if (tracking_) removed_.push_back(s.id);
  lru_.unlink(slots_, slot);
  if (s.indexed) unlink_bands(slot);
  s.live = false;
  s.indexed = false;
  --live_;
  lru_.free.push_back(slot);
}

void StoryIndex::link_bands(std::uint32_t slot) {
  Story& s = slots_[slot];
  for (unsigned b = 0; b < kBands; ++b) {
    std::uint32_t& head = heads_[b][band(s.simhash, b)];
    s.band_prev[b] = kNone;
    s.band_next[b] = head;
    if (head != kNone) slots_[head].band_prev[b] = slot;
    head = slot;
    const std::uint16_t k = band(s.simhash, b);
    occupied_[b][k >> 6] |= std::uint64_t{1} << (k & 63);
  }
}

void StoryIndex::unlink_bands(std::uint32_t slot) {
  Story& s = slots_[slot];
  for (unsigned b = 0; b < kBands; ++b) {
    const std::uint16_t k = band(s.simhash, b);
    if (s.band_prev[b] != kNone) {
      slots_[s.band_prev[b]].band_next[b] = s.band_next[b];
    } else {
      heads_[b][k] = s.band_next[b];
      if (s.band_next[b] == kNone) occupied_[b][k >> 6] &= ~(std::uint64_t{1} << (k & 63));
    }
    if (s.band_next[b] != kNone) slots_[s.band_next[b]].band_prev[b] = s.band_prev[b];
    s.band_prev[b] = s.band_next[b] = kNone;
  }
}

StoryHit StoryIndex::hit_of(const Story& s, unsigned distance, bool is_new) const {
  return {s.id, s.first_article, s.copies, distance, is_new};
}

}  // namespace newshound
