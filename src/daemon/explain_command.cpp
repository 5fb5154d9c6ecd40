// Daemon: `newshound explain`, the "test my rule before I save it" tool. Reads JSON
// articles from stdin, and for each prints why every topic did or did not match
// (clause by clause, from the match stage's explain core) and every entity whose
// alias occurs (matched, or a near miss and why), and which story it joins
// (story_explainer.hpp), as text or NDJSON.
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "newshound/daemon/cli.hpp"
#include "newshound/daemon/commands.hpp"
#include "newshound/daemon/rules_loader.hpp"
#include "newshound/decode/decoder.hpp"
#include "newshound/match/matcher.hpp"
#include "newshound/match/topic_explain.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "story_explainer.hpp"

namespace newshound {

namespace json = boost::json;

namespace {

/// Resolves @list/Name against the loaded `.names` lists: the canonical name as
/// written, else as folded.
class Resolver {
 public:
  explicit Resolver(const std::vector<WatchList>& lists) {
    for (const auto& l : lists) {
      for (const auto& e : l.entities) {
        exact_.emplace(l.name + '\0' + e.canonical, &e);
        folded_.emplace(l.name + '\0' + fold_phrase(e.canonical), &e);
      }
    }
  }
  const EntityDef* operator()(std::string_view list, std::string_view name) const {
    const std::string key = std::string(list) + '\0';
    if (auto it = exact_.find(key + std::string(name)); it != exact_.end()) return it->second;
    if (auto it = folded_.find(key + fold_phrase(name)); it != folded_.end()) return it->second;
    return nullptr;
  }

 private:
  std::map<std::string, const EntityDef*> exact_, folded_;
};

std::string_view reason(AliasVerdict v) {
  switch (v) {
    case AliasVerdict::matched:
      return "matched";
    case AliasVerdict::word_boundary:
      return "not a whole word (a letter or digit touches it)";
    case AliasVerdict::acronym_case:
      return "an acronym alias must be written exactly so";
    case AliasVerdict::crosses_fields:
      return "runs from the end of the headline into the body";
    case AliasVerdict::negative_alias:
      return "inside the negative alias";
    case AliasVerdict::inside_longer:
      return "inside a longer match of the same entity";
    case AliasVerdict::rejected:
      break;
  }
  return "rejected by the matcher";
}

std::string alias_of(const Pattern& p) {
  return "\"" + (p.exact.empty() ? p.literal : p.exact) + "\"";
}

json::object span_json(const Article& a, std::uint32_t value_index, std::uint32_t start,
                       std::uint32_t end) {
  const TextRef ref = a.text(value_index < a.text_count() ? value_index : 1);
  const std::string_view value = ref.text;
  std::string path;
  a.append_pointer(*ref.path, path);
  const std::size_t s = std::min<std::size_t>(start, value.size());
  const std::size_t e = std::clamp<std::size_t>(end, s, value.size());
  json::object o;
  o["text"] = value.substr(s, e - s);
  o["field"] = to_string(ref.field);
  o["path"] = path;
  o["start"] = s;
  o["end"] = e;
  return o;
}

json::array spans_json(const Article& a, const std::vector<TopicSpan>& spans) {
  json::array arr;
  for (const auto& s : spans) arr.push_back(span_json(a, s.value, s.start, s.end));
  return arr;
}

std::string_view kind_name(QueryKind k) {
  switch (k) {
    case QueryKind::term:
      return "term";
    case QueryKind::phrase:
      return "phrase";
    case QueryKind::and_:
      return "and";
    case QueryKind::or_:
      return "or";
    case QueryKind::not_:
      return "not";
    case QueryKind::near:
      return "near";
    case QueryKind::field:
      return "field";
    case QueryKind::at_least:
      return "atleast";
    case QueryKind::entity_ref:
      return "entity";
    case QueryKind::meta:
      return "filter";
    case QueryKind::mentions:
      return "mentions";
  }
  return "term";
}

/// Explains one decoded article; returns true if anything matched.
class Explainer {
 public:
  Explainer(std::shared_ptr<const Rules> rules, const LoadedLists& lists, bool as_json)
      : rules_(rules), resolver_(lists.names), matcher_(std::move(rules)), json_(as_json) {}

  bool explain(const Article& a, std::uint64_t line) {
    normalizer_.normalize(a, text_);
    if (!matcher_.match(a, text_, verified_)) {
      std::fprintf(stderr, "stdin:%llu: the matcher failed on this article\n",
                   static_cast<unsigned long long>(line));
      verified_.clear();
    }
    const Rules& r = *rules_;
    const EntityResolver resolve = [this](std::string_view l, std::string_view n) {
      return resolver_(l, n);
    };
    json::object out;
    json::array jtopics, jentities;
    std::string txt = "article " + a.id + " (stdin line " + std::to_string(line) + ")\n";
    std::size_t topics_matched = 0, entities_matched = 0;
    for (std::uint32_t t = 0; t < r.topics().size(); ++t) {
      const Topic& topic = r.topics()[t];
      const ListInfo& list = r.lists()[topic.list];
      const TopicExplanation ex = explain_topic(topic.query, a, text_, resolve);
      bool engine = false;
      for (const auto& h : verified_.topics) engine = engine || h.topic == t;
      topics_matched += ex.matched;
      const std::string where = list.path + ":" + std::to_string(topic.line);
      std::vector<std::string> notes = ex.notes;
      if (engine != ex.matched)
        notes.push_back(std::string("the Hyperscan engine says this topic ") +
                        (engine ? "matched" : "did not match") +
                        ": please report this with the article and the topics file");
      if (json_) {
        json::object o;
        o["list"] = list.name;
        o["topic"] = topic.id;
        o["file"] = list.path;
        o["line"] = topic.line;
        o["query"] = topic.query.to_string();
        o["matched"] = ex.matched;
        o["spans"] = spans_json(a, ex.spans);
        json::array clauses;
        for (const auto& c : ex.clauses) {
          json::object jc;
          jc["clause"] = topic.query.to_string(c.node);
          jc["op"] = kind_name(topic.query.nodes[c.node].kind);
          jc["depth"] = c.depth;
          jc["value"] = c.value;
          jc["found"] = spans_json(a, c.found);
          clauses.push_back(std::move(jc));
        }
        o["clauses"] = std::move(clauses);
        json::array jn;
        for (const auto& n : notes) jn.push_back(json::string(n));
        o["notes"] = std::move(jn);
        jtopics.push_back(std::move(o));
        continue;
      }
      txt += "topic " + list.name + "/" + topic.id + " (" + where +
             "): " + (ex.matched ? "MATCHED" : "not matched") +
             "\n  query: " + topic.query.to_string() + "\n";
      txt += describe_clauses(topic.query, ex, a, 2);
      for (const auto& n : notes) txt += "  note: " + n + "\n";
    }
    for (const auto& e : explain_entities(r, a, text_, verified_)) {
      const Entity& ent = r.entities()[e.entity];
      const ListInfo& list = r.lists()[ent.list];
      entities_matched += e.matched;
      json::array occ;
      if (!json_)
        txt += "entity " + list.name + "/" + ent.canonical + " (" + list.path + ":" +
               std::to_string(ent.line) + "): " + (e.matched ? "MATCHED" : "not matched") + "\n";
      for (const auto& o : e.occurrences) {
        const Pattern& p = r.patterns()[o.pattern];
        if (json_) {
          json::object jo = span_json(a, o.value, o.start, o.end);
          jo["verdict"] = to_string(o.verdict);
          jo["alias"] = p.exact.empty() ? p.literal : p.exact;
          if (o.verdict == AliasVerdict::crosses_fields)
            jo["tail"] = span_json(a, 1, o.tail_start, o.tail_end);
          if (o.verdict == AliasVerdict::negative_alias)
            jo["negative"] = r.patterns()[o.negative].literal;
          occ.push_back(std::move(jo));
          continue;
        }
        txt += o.verdict == AliasVerdict::matched ? "  matched " : "  near miss ";
        txt += describe_span(a, o.value, o.start, o.end);
        if (o.verdict == AliasVerdict::crosses_fields)
          txt += " + " + describe_span(a, Field::body, o.tail_start, o.tail_end);
        txt += " (alias " + alias_of(p) + ")";
        if (o.verdict != AliasVerdict::matched) txt += ": " + std::string(reason(o.verdict));
        if (o.verdict == AliasVerdict::negative_alias)
          txt += " " + alias_of(r.patterns()[o.negative]);
        txt += "\n";
      }
      if (json_) {
        json::object je;
        je["list"] = list.name;
        je["entity"] = ent.canonical;
        je["file"] = list.path;
        je["line"] = ent.line;
        je["matched"] = e.matched;
        je["occurrences"] = std::move(occ);
        jentities.push_back(std::move(je));
      }
    }
    const bool any = topics_matched > 0 || entities_matched > 0;
    if (json_) {
      out["article"] = a.id;
      out["line"] = line;
      out["matched"] = any;
      out["topics"] = std::move(jtopics);
      out["entities"] = std::move(jentities);
      stories_.explain(a, any, txt, &out);
      std::string s = json::serialize(out);
      s += '\n';
      std::fwrite(s.data(), 1, s.size(), stdout);
    } else {
      stories_.explain(a, any, txt, nullptr);
      txt += "summary: " + std::to_string(topics_matched) + " of " +
             std::to_string(r.topics().size()) + " topics matched, " +
             std::to_string(entities_matched) + " entities matched\n\n";
      std::fwrite(txt.data(), 1, txt.size(), stdout);
    }
    return any;
  }

 private:
  std::shared_ptr<const Rules> rules_;
  Resolver resolver_;
  HyperscanMatcher matcher_;
  bool json_;
  Normalizer normalizer_;
  NormalizedArticle text_;
  MatchSet verified_;
  StoryExplainer stories_;  // files the articles in order, as the daemon does
};

bool read_stdin(std::string& out) {
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

int run_explain(const ExplainOptions& options) {
  std::vector<WatchlistConfig> configs;
  for (const auto& p : options.watchlists) {
    WatchlistConfig wl;  // a --watchlist path: every other key at its default
    wl.path = p;
    configs.push_back(std::move(wl));
  }
  Diagnostics diags;
  LoadedLists lists;
  std::shared_ptr<const Rules> rules;
  if (load_lists(configs, lists, diags)) rules = Rules::compile(lists.names, lists.topics, diags);
  if (!rules || !diags.empty()) {
    print_diagnostics(diags, stderr);
    return exit_config;
  }
  std::string input;
  if (!read_stdin(input)) {
    std::fprintf(stderr, "newshound explain: reading stdin failed: %s\n", std::strerror(errno));
    return exit_error;
  }
  Explainer explainer(rules, lists, options.json);
  Decoder decoder;
  Article article;
  json::parse_options popt;
  popt.max_depth = Decoder::kMaxDepth;
  std::size_t pos = 0, articles = 0, bad = 0;
  std::uint64_t line = 1;  // of `pos`
  bool any = false;
  auto advance = [&](std::size_t to) {
    for (; pos < to; ++pos) line += input[pos] == '\n';
  };
  for (;;) {
    while (pos < input.size() &&
           (input[pos] == ' ' || input[pos] == '\t' || input[pos] == '\r' || input[pos] == '\n'))
      advance(pos + 1);
    if (pos >= input.size()) break;
    const std::uint64_t first_line = line;
    json::parser parser({}, popt);
    boost::system::error_code ec;
    const std::size_t used = parser.write_some(input.data() + pos, input.size() - pos, ec);
    if (ec) {
      ++bad;
      std::fprintf(stderr, "stdin:%llu: skipped: not a JSON document (%s)\n",
                   static_cast<unsigned long long>(first_line), ec.message().c_str());
      const std::size_t nl = input.find('\n', pos);
      advance(nl == std::string::npos ? input.size() : nl + 1);
      continue;
    }
    advance(pos + used);
    const std::string compact = json::serialize(parser.release());
    const DecodeError err = decoder.decode(compact, article);
    if (err != DecodeError::ok) {
      ++bad;
      const std::string_view why = to_string(err);
      std::fprintf(stderr, "stdin:%llu: skipped: %.*s\n",
                   static_cast<unsigned long long>(first_line), static_cast<int>(why.size()),
                   why.data());
      continue;
    }
    ++articles;
    any = explainer.explain(article, first_line) || any;
  }
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "newshound explain: writing stdout failed: %s\n", std::strerror(errno));
    return exit_error;
  }
  if (articles == 0) {
    std::fprintf(stderr,
                 "newshound explain: no article on stdin%s; pipe one JSON article in, e.g. "
                 "newshound explain -w my.topics < article.json\n",
                 bad > 0 ? " that could be read" : "");
    return exit_error;
  }
  return any ? exit_ok : exit_no_alert;
}

}  // namespace newshound
