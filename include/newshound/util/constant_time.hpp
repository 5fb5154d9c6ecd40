// Utility: comparing a secret (the admin endpoint's bearer token) with what a
// client presented, in time that does not tell where they differ.
#pragma once

#include <string_view>

namespace newshound {

/// True if `presented` equals `secret`. Reads every byte of `secret` whatever is
/// presented and never stops at the first difference, so the time taken depends
/// on the secret's length only (and on reading `presented`, whose length its
/// sender knows). Never throws.
bool constant_time_equal(std::string_view secret, std::string_view presented) noexcept;

}  // namespace newshound
