// Utility: The one wall clock of the pipeline: when a line was read, when an alert was
// built. Alerts print these times, so it is the system clock, not a steady one.
#pragma once

#include <chrono>

namespace newshound {

/// Time stamps carried by the hand-off types (LineBatch, Article, Alert).
using Clock = std::chrono::system_clock;

}  // namespace newshound
