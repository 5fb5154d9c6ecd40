// Stage: decode. Which simdjson kernel (implementation) the Decoders use. libsimdjson
// picks the best one for the CPU at run time (icelake, haswell, westmere, fallback on
// x86-64; arm64, ppc64 or fallback elsewhere); these functions name it and, for tests
// and benchmarks, switch it. The environment variable SIMDJSON_FORCE_IMPLEMENTATION
// (read by libsimdjson) switches it for a whole run.
#pragma once

#include <string_view>
#include <vector>

namespace newshound {

/// Name of the kernel a Decoder constructed now would use ("icelake", "fallback"...).
/// If SIMDJSON_FORCE_IMPLEMENTATION names no kernel this CPU can run, the first call
/// (from here or from a Decoder's constructor) logs a warning that names the variable
/// and the valid values, and selects the best kernel instead. Thread-safe.
std::string_view decode_kernel();

/// The kernels this build of libsimdjson has and this CPU can run, best first; the
/// last one is always "fallback".
std::vector<std::string_view> decode_kernels();

/// Makes Decoders constructed from now on use kernel `name` (process-wide; existing
/// Decoders keep theirs). Returns false and changes nothing when `name` is not in
/// decode_kernels(). For tests and benchmarks: the daemon never calls it.
bool set_decode_kernel(std::string_view name);

}  // namespace newshound
