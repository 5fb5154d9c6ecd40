// Stage: sink. The config spelling of FsyncPolicy.
#include "newshound/sink/fsync_policy.hpp"

namespace newshound {

std::optional<FsyncPolicy> parse_fsync_policy(std::string_view text) {
  using F = FsyncPolicy;
  if (text == "always") return F::always;
  if (text == "interval") return F::interval;
  if (text == "never") return F::never;
  return std::nullopt;
}

}  // namespace newshound
