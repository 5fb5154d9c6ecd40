// Stage: decode. The kernel choice: a thin layer over libsimdjson's run-time
// implementation selection (get_active_implementation), which dispatches stage 1
// (structural indexing, UTF-8 validation) and string unescaping, the SIMD parts of
// On-Demand, to the best kernel for the CPU. Guards against an unusable
// SIMDJSON_FORCE_IMPLEMENTATION, which would otherwise fail every line.
#include "newshound/decode/kernel.hpp"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>
#include <string>

namespace newshound {

namespace {

bool usable(const simdjson::implementation* impl) {
  return impl != nullptr && impl->name() != "unsupported" && impl->supported_by_runtime_system();
}

const simdjson::implementation* best_usable() {
  for (const simdjson::implementation* impl : simdjson::get_available_implementations()) {
    if (usable(impl)) return impl;
  }
  return simdjson::get_available_implementations()["fallback"];
}

// The first use resolves libsimdjson's lazy detection (which reads
// SIMDJSON_FORCE_IMPLEMENTATION) and replaces an unusable choice once.
void check_active_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    const simdjson::implementation* active = simdjson::get_active_implementation();
    (void)active->name();  // runs the detection on first use
    active = simdjson::get_active_implementation();
    if (usable(active)) return;
    const simdjson::implementation* best = best_usable();
    std::string names;
    for (std::string_view k : decode_kernels())
      names += (names.empty() ? "" : ", ") + std::string(k);
    const char* forced = std::getenv("SIMDJSON_FORCE_IMPLEMENTATION");
    spdlog::warn(
        "environment variable SIMDJSON_FORCE_IMPLEMENTATION={} names no JSON kernel this CPU can "
        "run; using {}. Unset it or set one of: {}",
        forced ? forced : "", best->name(), names);
    simdjson::get_active_implementation() = best;
  });
}

}  // namespace

std::string_view decode_kernel() {
  check_active_once();
  const std::string& name = simdjson::get_active_implementation()->name();
  return name;  // the implementation objects are static: the view stays valid
}

std::vector<std::string_view> decode_kernels() {
  std::vector<std::string_view> out;
  for (const simdjson::implementation* impl : simdjson::get_available_implementations()) {
    if (usable(impl)) out.emplace_back(impl->name());
  }
  return out;
}

bool set_decode_kernel(std::string_view name) {
  check_active_once();
  for (const simdjson::implementation* impl : simdjson::get_available_implementations()) {
    if (usable(impl) && impl->name() == name) {
      simdjson::get_active_implementation() = impl;
      return true;
    }
  }
  return false;
}

}  // namespace newshound
