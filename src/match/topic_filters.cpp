// Stage: match. Owns the truth of a metadata filter (`lang:en`, `source:reuters`,
// `subject:"medtop:20000106"`, `urgency:<=3`, `type:text`, `located:Geneva`) on
// one Article's decoded metadata (docs/query-language.md, "Metadata filters"). Both
// topic evaluators use this one definition; it allocates nothing.
#include <string>

#include "newshound/match/topic_eval.hpp"

namespace newshound {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool equal_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

/// True if `word` occurs in `s` as whole words (ASCII case ignored): "reuters" in
/// "Thomson Reuters", "geneva" in "GENEVA, Switzerland", not "gene" in "Geneva".
bool contains_words(std::string_view s, std::string_view word) {
  if (word.empty() || word.size() > s.size()) return false;
  for (std::size_t i = 0; i + word.size() <= s.size(); ++i) {
    if (i > 0 && alnum(s[i - 1])) continue;
    const std::size_t e = i + word.size();
    if (e < s.size() && alnum(s[e])) continue;
    if (equal_nocase(s.substr(i, word.size()), word)) return true;
  }
  return false;
}

/// `lang:en` holds for "en", "EN", "en-GB" and "en_GB".
bool language_is(std::string_view language, std::string_view tag) {
  if (language.size() < tag.size() || !equal_nocase(language.substr(0, tag.size()), tag))
    return false;
  return language.size() == tag.size() || language[tag.size()] == '-' ||
         language[tag.size()] == '_';
}

/// The type after any scheme ("ninat:text" is "text").
std::string_view bare_type(std::string_view type) {
  const std::size_t colon = type.rfind(':');
  return colon == std::string_view::npos ? type : type.substr(colon + 1);
}

bool value_holds(MetaField field, std::string_view v, const Article& a) {
  switch (field) {
    case MetaField::lang:
      return language_is(a.language, v);
    case MetaField::source:
      return contains_words(a.provider, v) || contains_words(a.copyrightholder, v);
    case MetaField::subject:
      for (std::size_t i = 0; i < a.subjects.size(); ++i) {
        const Subject s = a.subject(i);
        if (equal_nocase(s.code, v) || equal_nocase(s.name, v)) return true;
      }
      return false;
    case MetaField::type:
      return equal_nocase(bare_type(a.type), v);
    case MetaField::located:
      return contains_words(a.located, v);
    case MetaField::urgency:
      return false;  // by mask, see meta_filter_holds
  }
  return false;
}

}  // namespace

std::string describe_article_meta(MetaField field, const Article& a) {
  const auto quoted = [](std::string_view what, std::string_view v) {
    return std::string(what) + (v.empty() ? " is not given" : " is \"" + std::string(v) + "\"");
  };
  switch (field) {
    case MetaField::lang:
      return quoted("language", a.language);
    case MetaField::source:
      if (a.provider.empty() && !a.copyrightholder.empty())
        return quoted("copyright holder", a.copyrightholder);
      return quoted("provider", a.provider) +
             (a.copyrightholder.empty() ? ""
                                        : ", " + quoted("copyright holder", a.copyrightholder));
    case MetaField::subject: {
      if (a.subjects.empty()) return "subjects are not given";
      std::string s = "subjects are ";
      for (std::size_t i = 0; i < a.subjects.size(); ++i) {
        const Subject sub = a.subject(i);
        if (i > 0) s += ", ";
        s += "\"" + std::string(sub.code.empty() ? sub.name : sub.code) + "\"";
        if (!sub.code.empty() && !sub.name.empty()) s += " (" + std::string(sub.name) + ")";
      }
      return s;
    }
    case MetaField::urgency:
      return a.urgency == 0 ? "urgency is not given" : "urgency is " + std::to_string(a.urgency);
    case MetaField::type:
      return quoted("type", a.type);
    case MetaField::located:
      return quoted("dateline place (located)", a.located);
  }
  return "";
}

bool meta_filter_holds(const QueryNode& n, const Article& article) {
  if (n.kind != QueryKind::meta) return false;
  if (n.meta == MetaField::urgency)
    return article.urgency >= 1 && article.urgency <= 9 &&
           (n.n & (1U << (article.urgency - 1))) != 0;
  for (const std::string& v : n.values)
    if (value_holds(n.meta, v, article)) return true;
  return false;
}

}  // namespace newshound
