// Utility: checking an HTTP Authorization header for a bearer token (RFC 6750),
// shared by the admin endpoint and the HTTP push input.
#pragma once

#include <string_view>

namespace newshound {

/// What check_bearer found wrong with a request's credentials.
enum class AuthFailure {
  none,     ///< no token is set, or the request carries it
  missing,  ///< no Authorization header, or not a Bearer credential
  wrong,    ///< a Bearer credential other than the token
};

/// Checks an Authorization header value (`authorization`, "" when there is none)
/// against `token` ("" = none is needed): `Bearer <token>`, the scheme in any case,
/// spaces between. The token is compared in constant time (constant_time_equal).
/// Never throws.
AuthFailure check_bearer(std::string_view token, std::string_view authorization) noexcept;

}  // namespace newshound
