// Stage: decode. Decoder: hands an XML record to the NewsML-G2 reader; copies any
// other into a reused padded buffer, runs simdjson On-Demand over it, walks ninjs
// names and applies the FieldMap overrides, then copies the chosen strings into the
// caller's Article. Errors are values.
#include "newshound/decode/decoder.hpp"

#include <algorithm>
#include <cstring>

#include "json_util.hpp"
#include "newshound/decode/kernel.hpp"
#include "newshound/decode/newsml.hpp"
#include "newshound/util/hash.hpp"
#include "newsml_reader.hpp"
#include "ninjs.hpp"

namespace newshound {

using namespace decode_detail;

namespace {

// Bytes counted per step by count_openers; the padded buffer's zeroed tail
// (SIMDJSON_PADDING bytes) covers the last step's overrun.
constexpr std::size_t kCountBlock = 64;
static_assert(simdjson::SIMDJSON_PADDING >= kCountBlock);

// Number of '[' and '{' bytes in p[0, n) plus those in the bytes after it up to the
// next multiple of kCountBlock, which must be readable (zeroed padding counts none).
// Fixed-size blocks with a byte counter let the compiler vectorize the inner loop
// with the baseline SSE2 (16 bytes per compare): the byte-at-a-time loop it replaces
// was half of the decoder's time on the Reuters corpus.
std::size_t count_openers(const char* p, std::size_t n) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < n; i += kCountBlock) {
    unsigned char block = 0;  // at most 64 per block
    for (std::size_t j = 0; j < kCountBlock; ++j) {
      // '[' (0x5b) and '{' (0x7b) are the only bytes with (c | 0x20) == '{'.
      block += static_cast<unsigned char>((static_cast<unsigned char>(p[i + j]) | 0x20) == '{');
    }
    total += block;
  }
  return total;
}

// True when some object/array nesting in `s` goes deeper than `max`. On-Demand
// skips unread values iteratively and never checks depth, so we do. The count of
// '[' and '{' bytes bounds the depth and is cheap; only lines with more openers
// than `max` get the exact, string-aware scan. `s` must sit in a padded buffer.
bool exceeds_depth(std::string_view s, std::size_t max) {
  if (s.size() <= max || count_openers(s.data(), s.size()) <= max) return false;
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max) return true;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return false;
}

// A top level that is not an object: not_object if it is otherwise valid JSON
// (as far as On-Demand checks), not_json if not.
DecodeError classify_non_object(od::document& doc, od::json_type t) {
  simdjson::error_code e = simdjson::SUCCESS;
  switch (t) {
    case od::json_type::array: {
      od::array arr;
      e = doc.get_array().get(arr);
      if (!e) {
        for (auto el : arr) {
          if ((e = el.error())) break;
        }
      }
      break;
    }
    case od::json_type::string:
      e = doc.get_string().error();
      break;
    case od::json_type::number:
      e = doc.get_double().error();
      break;
    case od::json_type::boolean:
      e = doc.get_bool().error();
      break;
    case od::json_type::null: {
      bool is_null = false;
      e = doc.is_null().get(is_null);
      if (!e && !is_null) e = simdjson::N_ATOM_ERROR;
      break;
    }
    default:
      e = simdjson::TAPE_ERROR;
      break;
  }
  if (e == simdjson::UTF8_ERROR) return DecodeError::invalid_utf8;
  if (e || !at_end(doc)) return DecodeError::not_json;
  return DecodeError::not_object;
}

// Reads one FieldMap pointer into `s` (borrowed: valid until the next at_pointer
// rewinds the document). Leaves `s` empty when the pointer does not resolve.
DecodeError read_pointer(od::document& doc, const std::string& ptr, std::string_view& s,
                         bool allow_integer = false) {
  s = {};
  if (ptr.empty()) return DecodeError::ok;
  od::value v;
  const simdjson::error_code e = doc.at_pointer(ptr).get(v);
  if (e == simdjson::NO_SUCH_FIELD || e == simdjson::INDEX_OUT_OF_BOUNDS ||
      e == simdjson::INVALID_JSON_POINTER || e == simdjson::INCORRECT_TYPE) {
    return DecodeError::ok;  // not there (or the path walks through a scalar)
  }
  if (e) return map_error(e);
  return read_opt_string(v, s, allow_integer);
}

// The path of `r` in `out` (its name copied into out.names unless fixed).
TextPath path_of(const RawText& r, Article& out) {
  if (!r.path.fixed.empty()) return r.path;
  return out.named_path(r.path.form, r.name, r.path.index);
}

std::string_view first_of(std::string_view a, std::string_view b, std::string_view c = {}) {
  return !a.empty() ? a : !b.empty() ? b : c;
}

}  // namespace

std::string_view to_string(DecodeError e) {
  switch (e) {
    case DecodeError::ok:
      return "ok";
    case DecodeError::not_json:
      return "not_json";
    case DecodeError::not_object:
      return "not_object";
    case DecodeError::invalid_utf8:
      return "invalid_utf8";
    case DecodeError::wrong_type:
      return "wrong_type";
    case DecodeError::too_deep:
      return "too_deep";
    case DecodeError::no_text:
      return "no_text";
    case DecodeError::too_large:
      return "too_large";
    case DecodeError::looks_like_alert:
      return "looks_like_alert";
    case DecodeError::not_xml:
      return "not_xml";
    case DecodeError::not_newsml:
      return "not_newsml";
    case DecodeError::xml_dtd:
      return "xml_dtd";
    case DecodeError::several_items:
      return "several_items";
  }
  return "unknown";
}

std::string content_id(std::string_view headline, std::string_view body) {
  return "h:" + stable_hash_hex({headline, body});
}

std::string content_id(const Article& article) {
  if (article.extras.empty()) return content_id(article.headline, article.body);
  StableHasher h;
  for (std::size_t i = 0; i < article.text_count(); ++i) h.add(article.text(i).text);
  return "h:" + h.hex();
}

bool is_valid_json_pointer(std::string_view p) {
  if (p.empty()) return true;
  if (p.front() != '/') return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '~' && (i + 1 == p.size() || (p[i + 1] != '0' && p[i + 1] != '1'))) return false;
  }
  return true;
}

struct Decoder::Impl {
  FieldMap map;
  od::parser parser;
  std::string_view kernel;  // name of the simdjson implementation the parser was given
  // libsimdjson's fallback stage 1 checks UTF-8 only where On-Demand reads, so a bad
  // byte in a skipped member or after the object would pass; the SIMD kernels check
  // the whole line. A fallback decoder validates the line itself to match them.
  bool validate_utf8 = false;
  std::unique_ptr<char[]> buf;  // the line plus SIMDJSON_PADDING bytes
  std::size_t buf_size = 0;

  std::vector<RawText> texts;            // the walker's text values, reused
  std::unique_ptr<NewsmlReader> newsml;  // made for the first XML record

  DecodeError decode(std::string_view line, Article& out);
  void copy_texts(Article& out);
  DecodeError apply_map(od::document& doc, Article& out);
};

// Lines up to this size need no parser reallocation.
constexpr std::size_t kInitialCapacity = 4096;

Decoder::Decoder(FieldMap map) : impl_(std::make_unique<Impl>()) {
  impl_->map = std::move(map);
  // On-Demand binds a parser to the active simdjson kernel when it first allocates
  // and keeps it on every later reallocation: allocating here pins the kernel now.
  impl_->kernel = decode_kernel();
  impl_->validate_utf8 = impl_->kernel == "fallback";
  if (impl_->parser.allocate(kInitialCapacity)) {
    // Out of memory: iterate() allocates again (and reports CAPACITY as too_large).
  }
}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

std::string_view Decoder::kernel() const {
  return impl_->kernel;
}

DecodeError Decoder::decode(std::string_view line, Article& out) {
  out.clear();
  return impl_->decode(line, out);
}

DecodeError Decoder::Impl::decode(std::string_view line, Article& out) {
  if (starts_with_markup(line)) {
    if (!newsml) newsml = std::make_unique<NewsmlReader>();
    return newsml->decode(line, out);
  }
  if (line.size() > simdjson::SIMDJSON_MAXSIZE_BYTES) return DecodeError::too_large;
  const std::size_t need = line.size() + simdjson::SIMDJSON_PADDING;
  if (buf_size < need) {  // grow only: steady state reuses the largest buffer seen
    const std::size_t size = std::max(need, buf_size * 2);
    buf = std::make_unique<char[]>(size);
    buf_size = size;
  }
  if (!line.empty()) std::memcpy(buf.get(), line.data(), line.size());
  std::memset(buf.get() + line.size(), 0, simdjson::SIMDJSON_PADDING);

  od::document doc;
  // Stage 1 validates UTF-8 and string/structure tokens for the whole line.
  if (auto e = parser.iterate(buf.get(), line.size(), buf_size).get(doc)) {
    return map_error(e == simdjson::INCORRECT_TYPE ? simdjson::TAPE_ERROR : e);
  }
  // After stage 1, as the SIMD kernels do: their structure errors come first.
  if (validate_utf8 && !simdjson::validate_utf8(buf.get(), line.size())) {
    return DecodeError::invalid_utf8;
  }
  if (exceeds_depth({buf.get(), line.size()}, kMaxDepth)) return DecodeError::too_deep;

  od::json_type t;
  if (auto e = doc.type().get(t))
    return e == simdjson::UTF8_ERROR ? DecodeError::invalid_utf8 : DecodeError::not_json;
  if (t != od::json_type::object) return classify_non_object(doc, t);
  od::object obj;
  if (doc.get_object().get(obj)) return DecodeError::not_json;

  NinjsViews v(texts);
  const DecodeError walked =
      map.ninjs ? walk_ninjs(obj, v) : (texts.clear(), skip_object(obj, v.alert_keys));
  if (walked != DecodeError::ok) return walked;
  if (!at_end(doc)) return DecodeError::not_json;  // trailing content after the object
  if (v.alert_keys.both() && !map.accept_alerts) return DecodeError::looks_like_alert;

  // Copy the ninjs values now: FieldMap reads rewind and reuse the string buffer.
  out.id.assign(first_of(v.uri, v.guid, v.id));
  copy_texts(out);
  out.versioncreated.assign(v.versioncreated);
  out.language.assign(v.language);
  out.located.assign(v.located);
  out.byline.assign(first_of(v.byline, v.by));
  out.type.assign(v.type);
  out.link.assign(v.link);
  out.version.assign(v.version);
  out.pubstatus = pub_status_of(v.pubstatus);
  out.embargoed.assign(v.embargoed);
  // 1 (most urgent) to 9, as NewsML-G2 reads it; anything else is absent.
  out.urgency = v.urgency.size() == 1 && v.urgency[0] >= '1' && v.urgency[0] <= '9'
                    ? static_cast<std::uint8_t>(v.urgency[0] - '0')
                    : 0;

  if (auto err = apply_map(doc, out); err != DecodeError::ok) return err;
  out.sort_extras();

  if (out.headline.empty() && out.body.empty() && out.extras.empty()) return DecodeError::no_text;
  if (out.id.empty()) {
    out.id = content_id(out);
    out.id_from_hash = true;
  }
  return DecodeError::ok;
}

void Decoder::Impl::copy_texts(Article& out) {
  // The main headline and body: the best-ranked candidate, first in document order.
  std::size_t main_headline = texts.size(), main_body = texts.size();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (texts[i].field == Field::description) continue;
    std::size_t& best = texts[i].field == Field::headline ? main_headline : main_body;
    if (best == texts.size() || texts[i].rank < texts[best].rank) best = i;
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const RawText& r = texts[i];
    if (i == main_headline) {
      out.headline.assign(r.value);
      out.headline_format = r.format;
      out.headline_path = path_of(r, out);
    } else if (i == main_body) {
      out.body.assign(r.value);
      out.body_format = r.format;
      out.body_path = path_of(r, out);
    } else {
      out.add_extra(r.field, r.format, r.value, path_of(r, out));
    }
  }
}

DecodeError Decoder::Impl::apply_map(od::document& doc, Article& out) {
  std::string_view s;
  DecodeError err = DecodeError::ok;
  if ((err = read_pointer(doc, map.id, s, true)) != DecodeError::ok) return err;
  if (!s.empty()) out.id.assign(s);
  // The first pointer of a role that resolves replaces the main value; the others
  // that resolve are further values of that field.
  bool headline_set = false, body_set = false;
  const auto read_all = [&](const std::vector<std::string>& ptrs, Field field,
                            BodyFormat format) -> DecodeError {
    for (const std::string& ptr : ptrs) {
      if (auto e = read_pointer(doc, ptr, s); e != DecodeError::ok) return e;
      if (s.empty()) continue;
      const TextPath path = out.named_path(TextPath::Form::pointer, ptr);
      bool& set = field == Field::headline ? headline_set : body_set;
      if (field == Field::description || set) {
        out.add_extra(field, field == Field::description ? sniff_format(s) : format, s, path);
        continue;
      }
      set = true;
      std::string& dst = field == Field::headline ? out.headline : out.body;
      dst.assign(s);
      (field == Field::headline ? out.headline_format : out.body_format) = format;
      (field == Field::headline ? out.headline_path : out.body_path) = path;
    }
    return DecodeError::ok;
  };
  if ((err = read_all(map.headline, Field::headline, BodyFormat::text)) != DecodeError::ok ||
      (err = read_all(map.body_text, Field::body, BodyFormat::text)) != DecodeError::ok ||
      (err = read_all(map.body_html, Field::body, BodyFormat::html)) != DecodeError::ok ||
      (err = read_all(map.description, Field::description, BodyFormat::text)) != DecodeError::ok) {
    return err;
  }
  if ((err = read_pointer(doc, map.versioncreated, s)) != DecodeError::ok) return err;
  if (!s.empty()) out.versioncreated.assign(s);
  if ((err = read_pointer(doc, map.language, s)) != DecodeError::ok) return err;
  if (!s.empty()) out.language.assign(s);
  return DecodeError::ok;
}

}  // namespace newshound
