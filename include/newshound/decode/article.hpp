// Stage: decode. The second hand-off type: one article, decoded from any feed shape,
// with every text value it carries (headlines, bodies, descriptions) and where each
// sits in the article (the parts of its JSON Pointer).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/util/clock.hpp"

namespace newshound {

/// Which article field a text value is (and so a match lies in).
enum class Field : std::uint8_t { headline, body, description };

/// How a text value is marked up; decides how the normalizer reads it. `text` is
/// plain text (read as light Markdown), `html` is HTML or XHTML.
enum class BodyFormat : std::uint8_t { text, html };

/// Publication status of an article version (ninjs `pubstatus`, NewsML-G2
/// `pubStatus`): `unknown` when the feed says nothing (or something else).
enum class PubStatus : std::uint8_t { unknown, usable, withheld, canceled };

/// The PubStatus a feed's value names: "usable", "withheld", "canceled" (or
/// "cancelled"), after an optional scheme alias ("stat:usable"); else unknown.
PubStatus pub_status_of(std::string_view value);

/// Where a text value sits in its article, kept as parts; the JSON Pointer string is
/// built only when an alert is encoded (append_pointer). Forms:
///   member   "/<name>"                  (`headline`, `body_xhtml`, `description_caption`)
///   entry    "/<name>/<index>/value"    (`headlines[]`, `bodies[]`, `descriptions[]`)
///   pointer  "<name>" as written         (a FieldMap pointer, already a JSON Pointer)
/// `fixed` names a string with static storage (the known ninjs names); otherwise the
/// name is bytes [name_off, name_off + name_len) of Article::names. Copyable with its
/// Article.
struct TextPath {
  enum class Form : std::uint8_t { member, entry, pointer };
  Form form = Form::member;
  std::string_view fixed;
  std::uint32_t name_off = 0;
  std::uint32_t name_len = 0;
  std::uint32_t index = 0;  ///< entry index (form entry)

  static TextPath member(std::string_view fixed_name) {
    return {Form::member, fixed_name, 0, 0, 0};
  }
  static TextPath entry(std::string_view fixed_name, std::uint32_t i) {
    return {Form::entry, fixed_name, 0, 0, i};
  }
};

/// One text value besides the main headline and the main body: its field, markup,
/// path and bytes [off, off + len) of Article::extra_text.
struct ExtraText {
  Field field = Field::body;
  BodyFormat format = BodyFormat::text;
  TextPath path;
  std::uint32_t off = 0;
  std::uint32_t len = 0;
};

/// One subject (NewsML-G2 `subject`): bytes [code_off, code_off + code_len) and
/// [name_off, name_off + name_len) of Article::subject_text.
struct SubjectRef {
  std::uint32_t code_off = 0, code_len = 0;
  std::uint32_t name_off = 0, name_len = 0;
};

/// A borrowed view of one subject of an Article: its code (a QCode such as
/// "medtop:04000000", or a URI) and its name (either may be empty).
struct Subject {
  std::string_view code;
  std::string_view name;
};

/// A borrowed view of one text value of an Article (valid while it is unchanged).
struct TextRef {
  Field field = Field::headline;
  BodyFormat format = BodyFormat::text;
  std::string_view text;
  const TextPath* path = nullptr;
};

/// A decoded article. Owns copies of its strings; a worker reuses one instance
/// (clear() keeps capacity), so steady-state decoding allocates nothing.
///
/// Text values are numbered in reading order, which is also the order of their
/// folded segments (NormalizedArticle::segments) and of matches: 0 is the main
/// headline, 1 the main body (either may be empty), then `extras` in order: the other
/// headlines, the other bodies, the descriptions (the decoder sorts them so; code
/// that fills `extras` by hand must keep that order: add_extra() then sort_extras()).
struct Article {
  std::string id;             ///< feed id (ninjs `uri`, `guid`, ...) or content hash
  bool id_from_hash = false;  ///< true when the feed gave no id and we derived one
  std::string headline;       ///< the main headline
  BodyFormat headline_format = BodyFormat::text;
  TextPath headline_path = TextPath::member("headline");
  std::string body;  ///< the main body: text or HTML, per body_format
  BodyFormat body_format = BodyFormat::text;
  TextPath body_path = TextPath::member("body_text");
  std::vector<ExtraText> extras;  ///< every other text value, see above
  std::string extra_text;         ///< the bytes of `extras`
  std::string names;              ///< path names that are not fixed (TextPath)
  std::string versioncreated;
  std::string language;
  std::string located;
  std::string byline;
  std::string type;  ///< ninjs `type` (text, picture, ...) or the wire's own
  /// Who supplied the article: ninjs `provider` (a string, or its `name`),
  /// NewsML-G2 `provider` (its name, else its qcode or literal); topic filter `source:`.
  std::string provider;
  /// ninjs `copyrightholder` (a string, or its `name`), NewsML-G2
  /// `rightsInfo/copyrightHolder` (its name, else its literal); topic filter `source:`.
  std::string copyrightholder;
  /// The article's web address (ninjs `links`, NewsML-G2 `itemMeta/link`): empty when
  /// the feed gives none; the alert carries it as `link` only when set.
  std::string link;
  // Lifecycle (for stories; not in the alert): the feed's values as written.
  std::string version;                       ///< ninjs `version`, NewsML-G2 @version
  PubStatus pubstatus = PubStatus::unknown;  ///< ninjs `pubstatus`, NewsML-G2 `pubStatus`
  std::string embargoed;                     ///< ninjs `embargoed`, NewsML-G2 `embargoed`
  // Descriptive metadata: NewsML-G2 (slugline, urgency, subjects), ninjs (subjects).
  std::string slugline;
  std::uint8_t urgency = 0;  ///< 1 (most urgent) to 9; 0 when absent or invalid
  /// In document order, see subject(): NewsML-G2 `subject`, ninjs `subject` /
  /// `subjects` (code from `code` or `uri`, then `name`).
  std::vector<SubjectRef> subjects;
  std::string subject_text;  ///< the bytes of `subjects`
  Clock::time_point received_at{};
  std::uint32_t input = 0;

  void clear() {
    id.clear();
    id_from_hash = false;
    headline.clear();
    headline_format = BodyFormat::text;
    headline_path = TextPath::member("headline");
    body.clear();
    body_format = BodyFormat::text;
    body_path = TextPath::member("body_text");
    extras.clear();
    extra_text.clear();
    names.clear();
    versioncreated.clear();
    language.clear();
    located.clear();
    byline.clear();
    type.clear();
    provider.clear();
    copyrightholder.clear();
    link.clear();
    version.clear();
    pubstatus = PubStatus::unknown;
    embargoed.clear();
    slugline.clear();
    urgency = 0;
    subjects.clear();
    subject_text.clear();
  }

  /// Subject `i` (< subjects.size()).
  Subject subject(std::size_t i) const {
    const SubjectRef& r = subjects[i];
    const std::string_view t(subject_text);
    return {t.substr(r.code_off, r.code_len), t.substr(r.name_off, r.name_len)};
  }

  /// Appends a subject (copied into subject_text).
  void add_subject(std::string_view code, std::string_view name) {
    SubjectRef r;
    r.code_off = static_cast<std::uint32_t>(subject_text.size());
    r.code_len = static_cast<std::uint32_t>(code.size());
    subject_text.append(code);
    r.name_off = static_cast<std::uint32_t>(subject_text.size());
    r.name_len = static_cast<std::uint32_t>(name.size());
    subject_text.append(name);
    subjects.push_back(r);
  }

  /// Number of text values: 2 (main headline and body, maybe empty) + extras.
  std::size_t text_count() const { return 2 + extras.size(); }

  /// Text value `i` (< text_count()).
  TextRef text(std::size_t i) const {
    if (i == 0) return {Field::headline, headline_format, headline, &headline_path};
    if (i == 1) return {Field::body, body_format, body, &body_path};
    const ExtraText& x = extras[i - 2];
    return {x.field, x.format, std::string_view(extra_text).substr(x.off, x.len), &x.path};
  }

  /// A path whose name is copied into `names` (not a fixed name).
  TextPath named_path(TextPath::Form form, std::string_view name, std::uint32_t index = 0) {
    TextPath p;
    p.form = form;
    p.name_off = static_cast<std::uint32_t>(names.size());
    p.name_len = static_cast<std::uint32_t>(name.size());
    p.index = index;
    names.append(name);
    return p;
  }

  /// Appends an extra text value (copied into extra_text).
  void add_extra(Field field, BodyFormat format, std::string_view value, const TextPath& path) {
    extras.push_back({field, format, path, static_cast<std::uint32_t>(extra_text.size()),
                      static_cast<std::uint32_t>(value.size())});
    extra_text.append(value);
  }

  /// Orders `extras` headlines, bodies, descriptions, keeping document order within
  /// each (stable; allocation-free for the few values an article has).
  void sort_extras();

  /// Appends the JSON Pointer (RFC 6901, '~' and '/' escaped) of `path` to `out`.
  void append_pointer(const TextPath& path, std::string& out) const;
};

}  // namespace newshound
