// Stage: decode (internal). Small helpers over simdjson On-Demand shared by the
// ninjs walker and the FieldMap reader: error mapping and optional-string reads.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "newshound/decode/decoder.hpp"

namespace newshound::decode_detail {

namespace od = simdjson::ondemand;

/// Maps a simdjson error met while reading the document to a DecodeError.
inline DecodeError map_error(simdjson::error_code e) {
  switch (e) {
    case simdjson::SUCCESS:
      return DecodeError::ok;
    case simdjson::UTF8_ERROR:
      return DecodeError::invalid_utf8;
    case simdjson::DEPTH_ERROR:
      return DecodeError::too_deep;
    case simdjson::INCORRECT_TYPE:
      return DecodeError::wrong_type;
    case simdjson::CAPACITY:
      return DecodeError::too_large;
    default:
      return DecodeError::not_json;
  }
}

/// True when the document has been read to its last token (no trailing content).
/// simdjson 3.0.1 has no document::at_end(): current_location() says OUT_OF_BOUNDS.
inline bool at_end(od::document& doc) {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

/// Reads an optional string: null leaves `dst` untouched, a string sets it (the
/// view borrows the parser's string buffer: valid until the next iterate or
/// rewind), any other type is wrong_type. With `allow_integer`, an integer is
/// taken as its JSON text (feeds with numeric ids).
inline DecodeError read_opt_string(od::value& v, std::string_view& dst,
                                   bool allow_integer = false) {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  switch (t) {
    case od::json_type::null:
      return DecodeError::ok;
    case od::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return map_error(e);
      dst = s;
      return DecodeError::ok;
    }
    case od::json_type::number: {
      if (!allow_integer) return DecodeError::wrong_type;
      od::number_type nt;
      if (auto e = v.get_number_type().get(nt)) return map_error(e);
      if (nt == od::number_type::floating_point_number) return DecodeError::wrong_type;
      std::string_view raw = v.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
                              raw.back() == '\r')) {
        raw.remove_suffix(1);
      }
      dst = raw;
      return DecodeError::ok;
    }
    default:
      return DecodeError::wrong_type;
  }
}

}  // namespace newshound::decode_detail
