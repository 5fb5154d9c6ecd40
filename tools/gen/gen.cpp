// Tool: newshound-gen, deterministic generators for benchmarks and tests: realistic
// watch-lists (`names`), topic files (`topics`) and NDJSON ninjs articles
// (`articles`). The same --seed always gives the same bytes (own PRNG, no
// implementation-defined distributions).
#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "cyrillic.hpp"
#include "pools.hpp"

namespace {

/// splitmix64: tiny, fast, and identical everywhere.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  std::string_view pick(gen::Pool pool) {
    const std::vector<std::string_view>& entries = gen::pools()[static_cast<std::size_t>(pool)];
    return entries[below(entries.size())];
  }
};

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

/// One watch-list entry: canonical name first, then aliases.
using Entry = std::vector<std::string>;

Entry person(Rng& r) {
  std::string first(r.pick(gen::Pool::first_name)), last(r.pick(gen::Pool::last_name));
  if (r.chance(0.15)) last += "-" + std::string(r.pick(gen::Pool::last_name));
  const char initial = static_cast<char>('A' + r.below(26));
  Entry e{first + " " + initial + ". " + last, first + " " + last};
  return e;
}

Entry org(Rng& r) {
  std::string head(r.pick(gen::Pool::org_head)), mid(r.pick(gen::Pool::org_middle)),
      tail(r.pick(gen::Pool::org_tail));
  Entry e{head + " " + mid + " " + tail, head + " " + mid};
  if (r.chance(0.3)) e.push_back(std::string{head[0], mid[0], tail[0]} + "X");  // acronym
  return e;
}

Entry place(Rng& r) {
  std::string name;
  const std::size_t n = 2 + r.below(2);
  for (std::size_t i = 0; i < n; ++i) name += r.pick(gen::Pool::place_syllable);
  name = capitalized(name) + std::string(r.pick(gen::Pool::place_tail));
  Entry e{name};
  if (r.chance(0.2)) e.push_back("Greater " + name);
  return e;
}

/// `count` distinct entities: 60% people, 25% organisations, 15% places.
std::vector<Entry> make_entries(std::size_t count, std::uint64_t seed) {
  Rng r{seed};
  std::unordered_set<std::string> seen;
  std::vector<Entry> out;
  out.reserve(count);
  while (out.size() < count) {
    const std::size_t k = r.below(100);
    Entry e = k < 60 ? person(r) : k < 85 ? org(r) : place(r);
    if (seen.insert(e[0]).second) out.push_back(std::move(e));
  }
  return out;
}

std::vector<Entry> read_names(const std::string& path) {
  std::vector<Entry> out;
  std::ifstream f(path);
  for (std::string line; std::getline(f, line);) {
    if (line.empty() || line[0] == '#') continue;
    Entry e;
    std::size_t start = 0;
    for (std::size_t bar; (bar = line.find('|', start)) != std::string::npos; start = bar + 1)
      e.push_back(line.substr(start, bar - start));
    e.push_back(line.substr(start));
    out.push_back(std::move(e));
  }
  return out;
}

/// A sentence of newswire prose, possibly quoting or naming someone.
std::string sentence(Rng& r, const std::vector<Entry>& names, double mention) {
  auto some_words = [&](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += (i ? " " : "") + std::string(r.pick(gen::Pool::word));
    return s;
  };
  auto someone = [&]() -> std::string {
    if (!names.empty() && r.chance(mention)) {
      const Entry& e = names[r.below(names.size())];
      return e[r.below(e.size())];
    }
    return std::string(r.pick(gen::Pool::first_name)) + " " +
           std::string(r.pick(gen::Pool::last_name));
  };
  switch (r.below(6)) {
    case 0:  // a quote with typographic punctuation
      return "\u201c" + capitalized(some_words(6 + r.below(8))) + " \u2014 " +
             some_words(3 + r.below(5)) + ",\u201d " + someone() + " " +
             std::string(r.pick(gen::Pool::verb)) + ".";
    case 1:
      return someone() + "\u2019s " + some_words(4 + r.below(10)) + " " +
             std::to_string(1 + r.below(999)) + " " + std::string(r.pick(gen::Pool::word)) + ".";
    case 2:
      return capitalized(some_words(5 + r.below(12))) + ", " + someone() + " " +
             std::string(r.pick(gen::Pool::verb)) + ".";
    default:
      return capitalized(some_words(8 + r.below(16))) + ".";
  }
}

/// Joins words into lines of at most `width` characters (hard wrap, like wire copy).
std::string wrap(const std::string& text, std::size_t width) {
  std::string out, line;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t sp = text.find(' ', start);
    if (sp == std::string::npos) sp = text.size();
    std::string_view word(text.data() + start, sp - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    start = sp + 1;
  }
  return out + line;
}

int cmd_names(std::size_t count, std::uint64_t seed) {
  std::string out;
  for (const Entry& e : make_entries(count, seed)) {
    for (std::size_t i = 0; i < e.size(); ++i) out += (i ? "|" : "") + e[i];
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

/// The issue-17 operators: each query of `cmd_topics` uses `~` word forms and one
/// of NEAR/s, NEAR/p, MENTIONS n or a metadata filter instead of today's operators
/// (same shapes, same word draws).
std::string new_operators_topic(Rng& r) {
  auto w = [&] { return std::string(r.pick(gen::Pool::word)); };
  auto form = [&] {  // a word-forms term: at least 3 letters before '~'
    std::string s = w();
    return s.size() >= 3 ? s + "~" : s;
  };
  switch (r.below(6)) {
    case 0:
      return form() + " AND (" + w() + " OR " + form() + ")";
    case 1:
      return "\"" + w() + " " + w() + "\" AND NOT " + form();
    case 2:
      return form() + " NEAR/s " + w();
    case 3:
      return "lang:en AND headline:(" + w() + " OR " + form() + ")";
    case 4:
      return "MENTIONS 2 (" + w() + " OR " + form() + ")";
    default:
      return "\"" + w() + " " + w() + "\" ONEAR/p (" + w() + " OR " + form() + ")";
  }
}

/// Today's operators: AND/OR/NOT, phrases, NEAR/n, ONEAR/n, wildcards, ATLEAST.
std::string classic_topic(Rng& r) {
  auto w = [&] { return std::string(r.pick(gen::Pool::word)); };
  auto stem = [&] {  // a wildcard: at least 3 letters before '*'
    std::string s = w();
    return s.substr(0, std::max<std::size_t>(3, s.size() - 2)) + "*";
  };
  switch (r.below(6)) {
    case 0:
      return w() + " AND (" + w() + " OR " + w() + ")";
    case 1:
      return "\"" + w() + " " + w() + "\" AND NOT " + stem();
    case 2:
      return w() + " NEAR/5 " + w();
    case 3:
      return "headline:(" + w() + " OR " + w() + ") AND " + stem();
    case 4:
      return "ATLEAST 2 (" + w() + ", " + w() + ", " + stem() + ")";
    default:
      return "\"" + w() + " " + w() + "\" ONEAR/3 (" + w() + " OR " + w() + ")";
  }
}

int cmd_topics(std::size_t count, std::uint64_t seed, bool new_operators) {
  Rng r{seed};
  std::string out = "# Generated topics (newshound-gen topics --seed " + std::to_string(seed) +
                    (new_operators ? " --operators new" : "") + ")\n";
  for (std::size_t i = 0; i < count; ++i) {
    const std::string q = new_operators ? new_operators_topic(r) : classic_topic(r);
    char id[32];
    std::snprintf(id, sizeof id, "topic-%05zu", i + 1);
    out += std::string(id) + ": " + q + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

/// `cyrillic_share`: the probability that an article is respelled in Cyrillic
/// (gen::cyrillic, "language": "ru"); 0 leaves the output byte for byte as before.
int cmd_articles(std::size_t count, std::uint64_t seed, const std::string& names_path,
                 double mention, double cyrillic_share) {
  Rng r{seed};
  std::vector<Entry> names;
  if (!names_path.empty()) {
    names = read_names(names_path);
    if (names.empty()) {
      std::fprintf(stderr, "newshound-gen: %s: no names read (give a .names file)\n",
                   names_path.c_str());
      return 2;
    }
  }
  std::string line;
  for (std::size_t i = 0; i < count; ++i) {
    std::string headline;
    for (std::size_t k = 0, n = 4 + r.below(6); k < n; ++k)
      headline += (k ? " " : "") + std::string(r.pick(gen::Pool::word));
    headline = capitalized(headline);
    if (r.chance(0.3))
      for (char& c : headline) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    std::string body;
    for (std::size_t p = 0, np = 2 + r.below(5); p < np; ++p) {
      std::string para;
      for (std::size_t s = 0, ns = 1 + r.below(3); s < ns; ++s)
        para += (s ? " " : "") + sentence(r, names, mention);
      body += (p ? "\n\n" : "") + wrap(para, 68);
    }
    const bool russian = cyrillic_share > 0 && r.chance(cyrillic_share);
    if (russian) {
      headline = gen::cyrillic(headline);
      body = gen::cyrillic(body);
    }
    char uri[64], date[32];
    std::snprintf(uri, sizeof uri, "urn:newshound:gen:%llu:%zu",
                  static_cast<unsigned long long>(seed), i + 1);
    std::snprintf(date, sizeof date, "1987-%02zu-%02zuT%02zu:%02zu:00Z", 1 + (i / 28 / 24) % 12,
                  1 + (i / 24) % 28, i % 24, r.below(60));
    // Boost.JSON escapes the strings; an object keeps its keys in insertion order.
    const boost::json::object article{{"uri", uri},
                                      {"type", "text"},
                                      {"version", "1"},
                                      {"versioncreated", date},
                                      {"language", russian ? "ru" : "en"},
                                      {"headline", headline},
                                      {"body_text", body}};
    line = boost::json::serialize(article);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"newshound-gen: deterministic watch-lists, topics and articles for benchmarks"};
  app.require_subcommand(1);
  std::size_t count = 1000;
  std::uint64_t seed = 42;
  std::string names_path;
  double mention = 0.3;
  double cyrillic_share = 0;
  std::string operators = "classic";
  for (auto* sub :
       {app.add_subcommand("names", "A .names watch-list: people, organisations, places"),
        app.add_subcommand("topics", "A .topics file of boolean queries"),
        app.add_subcommand("articles", "NDJSON ninjs 1.x articles")}) {
    sub->add_option("-n,--count", count, "How many")->capture_default_str();
    sub->add_option("--seed", seed, "Same seed, same output")->capture_default_str();
    if (sub->get_name() == "topics") {
      sub->add_option("--operators", operators,
                      "classic: AND/OR/NOT, NEAR/n, wildcards, ATLEAST (as always); new: `~` "
                      "word forms with NEAR/s, NEAR/p, MENTIONS n and lang: filters")
          ->check(CLI::IsMember({"classic", "new"}))
          ->capture_default_str();
    }
    if (sub->get_name() == "articles") {
      sub->add_option("--names", names_path, "Mention entities of this .names file");
      sub->add_option("--mention-rate", mention,
                      "Probability that a named person comes from --names")
          ->capture_default_str();
      sub->add_option("--cyrillic-share", cyrillic_share,
                      "Share of articles respelled in Cyrillic (language ru), 0 to 1: the feed "
                      "for transliterate = true benchmarks")
          ->check(CLI::Range(0.0, 1.0))
          ->capture_default_str();
    }
  }
  CLI11_PARSE(app, argc, argv);
  if (app.got_subcommand("names")) return cmd_names(count, seed);
  if (app.got_subcommand("topics")) return cmd_topics(count, seed, operators == "new");
  return cmd_articles(count, seed, names_path, mention, cyrillic_share);
}
