// Stage: match. Owns the truth of a metadata filter (`lang:en`, `source:reuters`,
// `subject:"medtop:20000106"`, `urgency:<=3`, `type:text`, `located:Geneva`) on
// one Article's decoded metadata (docs/query-language.md, "Metadata filters"); an
// IPTC subject URI equals its qualified code (mediatopic/20000106 = medtop:20000106). Both
// topic evaluators use this one definition; it allocates nothing.
#include <string>
#include <utility>

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

/// An IPTC NewsCodes qualified code as (scheme alias, code): "medtop:20000106" and
/// "http://cv.iptc.org/newscodes/mediatopic/20000106" both give ("medtop",
/// "20000106"). False for anything else.
bool iptc_code(std::string_view v, std::string_view& scheme, std::string_view& code) {
  static constexpr std::string_view kPrefixes[] = {"http://cv.iptc.org/newscodes/",
                                                   "https://cv.iptc.org/newscodes/"};
  // The IPTC scheme URIs and the aliases ninjs and NewsML-G2 write for them.
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"mediatopic", "medtop"},
      {"subjectcode", "subj"},
      {"genre", "genre"},
      {"product", "prod"},
      {"scene", "scene"}};
  for (const std::string_view prefix : kPrefixes) {
    if (v.size() <= prefix.size() || !equal_nocase(v.substr(0, prefix.size()), prefix)) continue;
    std::string_view rest = v.substr(prefix.size());
    if (rest.back() == '/') rest.remove_suffix(1);
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 >= rest.size()) return false;
    const std::string_view uri_scheme = rest.substr(0, slash);
    code = rest.substr(slash + 1);
    if (code.find('/') != std::string_view::npos) return false;
    scheme = uri_scheme;
    for (const auto& [name, alias] : kAliases)
      if (equal_nocase(uri_scheme, name)) scheme = alias;
    return true;
  }
  const std::size_t colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= v.size()) return false;
  scheme = v.substr(0, colon);
  code = v.substr(colon + 1);
  return true;
}

/// A subject code as written in the filter equals the article's: the same text,
/// or the same IPTC code in URI and qualified form (case ignored).
bool same_subject_code(std::string_view article_code, std::string_view v) {
  if (equal_nocase(article_code, v)) return true;
  std::string_view s1, c1, s2, c2;
  return iptc_code(article_code, s1, c1) && iptc_code(v, s2, c2) && equal_nocase(s1, s2) &&
         equal_nocase(c1, c2);
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
        if (same_subject_code(s.code, v) || equal_nocase(s.name, v)) return true;
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
