// Utility: the bearer token check (see bearer.hpp).
#include "newshound/util/bearer.hpp"

#include <cctype>

#include "newshound/util/constant_time.hpp"

namespace newshound {

AuthFailure check_bearer(std::string_view token, std::string_view authorization) noexcept {
  if (token.empty()) return AuthFailure::none;
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      (authorization[kScheme.size()] != ' ' && authorization[kScheme.size()] != '\t'))
    return AuthFailure::missing;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i])
      return AuthFailure::missing;
  std::string_view presented = authorization.substr(kScheme.size());
  while (!presented.empty() && (presented.front() == ' ' || presented.front() == '\t'))
    presented.remove_prefix(1);
  while (!presented.empty() && (presented.back() == ' ' || presented.back() == '\t'))
    presented.remove_suffix(1);
  if (presented.empty()) return AuthFailure::missing;
  return constant_time_equal(token, presented) ? AuthFailure::none : AuthFailure::wrong;
}

}  // namespace newshound
