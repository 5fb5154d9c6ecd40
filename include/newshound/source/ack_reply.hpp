// Stage: source. The acknowledgement wire format of an acknowledged TCP input:
// one NDJSON line `{"ack":"<article id>"}` per settled article, in line order.
#pragma once

#include <string>
#include <string_view>

namespace newshound {

/// Appends the acknowledgement line of `article_id` (a JSON string, escaped,
/// '\n'-terminated) to `out`. Never throws except std::bad_alloc.
void append_ack_reply(std::string& out, std::string_view article_id);

}  // namespace newshound
