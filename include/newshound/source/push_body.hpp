// Stage: source. The body of an HTTP push (POST to an http [[input]]) split into
// records, one per article, for one LineBatch: NDJSON lines, the elements of a
// JSON array, one JSON object, or the items of a NewsML-G2 document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "newshound/source/line_batch.hpp"

namespace newshound {

/// What a pushed body holds, from its Content-Type.
enum class PushFormat {
  unknown,  ///< a type the input does not take (415)
  ndjson,   ///< application/x-ndjson, application/ndjson: one JSON object per line
  json,     ///< application/json or any +json: an array of objects, or one object
  xml,      ///< application/xml, text/xml or any +xml: one NewsML-G2 document
};

/// The format `content_type` names; its parameters (`; charset=utf-8`) and the case
/// are ignored. Never throws.
PushFormat push_format(std::string_view content_type) noexcept;

/// A record refused while splitting, before any decoding: `line` is its number in
/// the body (see PushRecords), `reason` a DecodeError name (static string).
struct PushRejected {
  std::uint32_t line = 0;
  std::string_view reason;
  bool operator==(const PushRejected&) const = default;
};

/// A pushed body split into records. Numbers count from 1: NDJSON by line of the
/// body (blank lines skipped but counted), a JSON array by element, a NewsML-G2
/// `newsMessage` by item; one object or one `newsItem` is number 1.
struct PushRecords {
  LineBatch batch;                     ///< the records, in body order (lines only set)
  std::vector<std::uint32_t> numbers;  ///< the number of each record of `batch`
  std::vector<PushRejected> rejected;  ///< refused here, in body order
};

/// Splits `body` in `format` (not unknown). A record longer than
/// `max_record_bytes` is rejected as too_large; an element of a JSON array that
/// is empty, unterminated or followed by garbage is not_json; a NewsML-G2 document
/// that split_newsml() refuses is rejected whole (number 1) with its reason.
/// Records are copied as they are (no re-serialisation): the decoder reads each.
/// Never throws on input (std::bad_alloc aside).
PushRecords split_push_body(PushFormat format, std::string_view body, std::size_t max_record_bytes);

}  // namespace newshound
