// Stage: dispatch. The per-output, per-list throttle (see list_throttle.hpp).
#include "newshound/dispatch/list_throttle.hpp"

#include <algorithm>
#include <chrono>

namespace newshound {

namespace {
constexpr auto kWindow = std::chrono::minutes(1);

template <class Map>
void erase_sinks(Map& m, std::span<const Sink* const> removed) {
  std::erase_if(m, [&](const auto& kv) {
    return std::find(removed.begin(), removed.end(), kv.first.first) != removed.end();
  });
}
}  // namespace

bool ListThrottle::has_room(const Sink* sink, std::string_view list, std::uint32_t limit,
                            Clock::time_point now) {
  auto [it, fresh] = windows_.try_emplace({sink, std::string(list)});
  Window& w = it->second;
  if (fresh || now - w.opened >= kWindow || now < w.opened) w = Window{now, 0};
  return w.sent < limit;
}

void ListThrottle::charge(const Sink* sink, std::string_view list) {
  auto it = windows_.find(std::pair<const Sink*, std::string>{sink, std::string(list)});
  if (it != windows_.end()) ++it->second.sent;
}

void ListThrottle::throttled(const Sink* sink, std::string_view list) {
  ++throttled_[{sink, std::string(list)}];
}

void ListThrottle::forget_sinks(std::span<const Sink* const> removed) {
  erase_sinks(windows_, removed);
  erase_sinks(throttled_, removed);
}

}  // namespace newshound
