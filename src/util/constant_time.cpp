// Utility: constant_time_equal (see constant_time.hpp).
#include "newshound/util/constant_time.hpp"

#include <cstddef>

namespace newshound {

bool constant_time_equal(std::string_view secret, std::string_view presented) noexcept {
  // One pass over the secret, OR-ing differences: no data-dependent exit. A
  // shorter presented value is compared as if padded with its first byte (0 if
  // empty), and the length difference is folded in at the end.
  volatile unsigned char diff = 0;
  const std::size_t n = presented.size();
  for (std::size_t i = 0; i < secret.size(); ++i) {
    const unsigned char p = n == 0 ? 0 : static_cast<unsigned char>(presented[i < n ? i : 0]);
    diff = diff | (static_cast<unsigned char>(secret[i]) ^ p);
  }
  return (diff | static_cast<unsigned char>(secret.size() != n)) == 0;
}

}  // namespace newshound
