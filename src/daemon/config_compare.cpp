// Daemon: comparing configured inputs and outputs across a reload.
#include "newshound/daemon/config.hpp"

namespace newshound {

namespace {
template <class T>
bool equal_ignoring_line(T a, T b) {
  a.line = 0;
  b.line = 0;
  return a == b;
}
}  // namespace

bool InputConfig::same_settings(const InputConfig& o) const {
  return equal_ignoring_line(*this, o);
}

bool OutputConfig::same_settings(const OutputConfig& o) const {
  // Routing is applied by the dispatcher: changing it keeps the running sink.
  OutputConfig a = *this, b = o;
  a.lists = b.lists = std::nullopt;
  a.tags = b.tags = std::nullopt;
  return equal_ignoring_line(std::move(a), std::move(b));
}

}  // namespace newshound
