// Config: parse_webhook_url, the `url` of a webhook output, checked strictly when
// the config loads so that every mistake is reported then, not at the first alert.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "newshound/sink/webhook_url.hpp"

namespace newshound {

/// Parses "http[s]://host[:port][/path][?query]" (host may be "[v6]"; https sets
/// WebhookUrl::https and the default port 443). Returns nullopt and sets `error`
/// to a sentence saying what to write instead, e.g. for another scheme, user
/// info, a fragment, a bad port or spaces. Never throws
/// but std::bad_alloc.
std::optional<WebhookUrl> parse_webhook_url(std::string_view url, std::string& error);

}  // namespace newshound
