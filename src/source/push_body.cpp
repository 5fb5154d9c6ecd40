// Stage: source. Splitting an HTTP push body into records (see push_body.hpp).
// JSON arrays are split by split_json_array() (record_splitter.hpp, shared with the
// drop folder): each element is then validated by the decoder, which reports what is
// wrong.
#include "newshound/source/push_body.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "newshound/decode/newsml.hpp"
#include "newshound/source/record_splitter.hpp"

namespace newshound {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view without_bom(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

class Splitter {
 public:
  Splitter(PushRecords& out, std::size_t max) : out_(out), max_(max) {}
  void add(std::uint32_t number, std::string_view record) {
    if (record.size() > max_) return reject(number, DecodeError::too_large);
    out_.batch.add(record);
    out_.numbers.push_back(number);
  }
  void reject(std::uint32_t number, DecodeError why) {
    out_.rejected.push_back({number, to_string(why)});
  }

 private:
  PushRecords& out_;
  std::size_t max_;
};

void split_ndjson(std::string_view body, Splitter& s) {
  std::uint32_t number = 0;
  while (!body.empty()) {
    const auto nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (number == 1) line = without_bom(line);
    if (trim(line).empty()) continue;
    s.add(number, line);
  }
}

void split_array(std::string_view body, Splitter& s) {
  const JsonArray array = split_json_array(body);
  std::uint32_t number = 0;
  for (const JsonElement& e : array.elements) {
    ++number;
    if (e.length == 0)
      s.reject(number, DecodeError::not_json);
    else
      s.add(number, body.substr(e.offset, e.length));
  }
  if (!array.closed)  // no closing ']': the element after the last may be cut short
    s.reject(number + 1, DecodeError::not_json);
  else if (!trim(body.substr(array.end)).empty())
    s.reject(number + 1, DecodeError::not_json);
}

void split_xml(std::string_view body, Splitter& s) {
  std::vector<std::string> items;
  if (const DecodeError e = split_newsml(body, items); e != DecodeError::ok) return s.reject(1, e);
  std::uint32_t number = 0;
  for (const auto& item : items) s.add(++number, item);
}

}  // namespace

PushFormat push_format(std::string_view content_type) noexcept {
  std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  if (iequals(type, "application/x-ndjson") || iequals(type, "application/ndjson"))
    return PushFormat::ndjson;
  if (iequals(type, "application/json") || iends_with(type, "+json")) return PushFormat::json;
  if (iequals(type, "application/xml") || iequals(type, "text/xml") || iends_with(type, "+xml"))
    return PushFormat::xml;
  return PushFormat::unknown;
}

PushRecords split_push_body(PushFormat format, std::string_view body,
                            std::size_t max_record_bytes) {
  PushRecords out;
  Splitter s(out, max_record_bytes);
  switch (format) {
    case PushFormat::ndjson:
      split_ndjson(body, s);
      break;
    case PushFormat::json: {
      const std::string_view text = trim(without_bom(body));
      if (text.starts_with('['))
        split_array(text, s);
      else if (text.empty())
        s.reject(1, DecodeError::not_json);
      else
        s.add(1, text);  // one object (the decoder says if it is not one)
      break;
    }
    case PushFormat::xml:
      split_xml(body, s);
      break;
    case PushFormat::unknown:
      break;
  }
  return out;
}

}  // namespace newshound
