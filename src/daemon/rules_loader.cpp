// Daemon: loads every configured watch-list (`.names` and `.topics`), compiles
// them into one Rules, and prints what `check` shows about them: the summary and
// the diagnostics with the offending line and a caret.
#include "newshound/daemon/rules_loader.hpp"

#include <malloc.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>

#include "newshound/util/utf8.hpp"

namespace newshound {

bool is_topics_path(const std::filesystem::path& path) {
  return path.extension() == ".topics";
}

bool load_lists(const std::vector<WatchlistConfig>& lists, LoadedLists& out, Diagnostics& diags) {
  const std::size_t before = diags.size();
  for (const auto& cfg : lists) {
    if (is_topics_path(cfg.path)) {
      TopicFile tf = load_topics(cfg.path, diags);
      if (cfg.transliterate)
        diags.push_back(Diagnostic{cfg.path.string(), 0, 0,
                                   "transliterate = true applies to .names lists only: remove it "
                                   "from this [[watchlist]] (topic terms are not transliterated)"});
      if (!cfg.name.empty()) tf.name = cfg.name;
      tf.tags = cfg.tags;
      tf.language = cfg.language;
      out.topics.push_back(std::move(tf));
    } else {
      WatchList wl = load_watchlist(cfg.path, diags);
      if (!cfg.language.empty())
        diags.push_back(
            Diagnostic{cfg.path.string(), 0, 0,
                       "language = \"" + cfg.language +
                           "\" applies to .topics lists only: remove it from this "
                           "[[watchlist]] (names are matched as written, not stemmed)"});
      if (!cfg.name.empty()) wl.name = cfg.name;
      wl.tags = cfg.tags;
      wl.transliterate = cfg.transliterate;
      for (auto& w : wl.warnings) out.warnings.push_back(std::move(w));
      wl.warnings.clear();
      out.names.push_back(std::move(wl));
    }
  }
  return diags.size() == before;
}

void warn_shared_aliases(const Rules& rules, Diagnostics& warnings) {
  struct Use {
    std::size_t entities = 0;
    std::uint32_t first = 0;  // its first pattern
  };
  std::unordered_map<std::string_view, Use> uses;
  std::vector<std::string_view> order;  // literals in order of first use
  const auto& patterns = rules.patterns();
  for (std::uint32_t i = 0; i < patterns.size(); ++i) {
    // A transliterating list's second spellings repeat its aliases: not counted.
    if (patterns[i].kind != PatternKind::alias || patterns[i].translit) continue;
    const auto [it, fresh] = uses.try_emplace(patterns[i].literal, Use{0, i});
    if (fresh) order.push_back(patterns[i].literal);
    ++it->second.entities;
  }
  for (const auto literal : order) {
    const Use& use = uses[literal];
    if (use.entities <= kMaxEntitiesPerAlias) continue;
    const Entity& e = rules.entities()[patterns[use.first].entity];
    const ListInfo& l = rules.lists()[e.list];
    warnings.push_back(Diagnostic{
        l.path.empty() ? l.name : l.path, e.line, 0,
        "warning: the alias \"" + utf8::shorten(literal, 80) + "\" (folded) is shared by " +
            std::to_string(use.entities) + " entities, this one first: every article naming it " +
            "alerts for all of them; keep it on the entity it means, or make it more specific"});
  }
}

std::shared_ptr<const Rules> load_rules(const std::vector<WatchlistConfig>& lists,
                                        Diagnostics& diags, const CompileOptions& options,
                                        Diagnostics* warnings) {
  const std::size_t before = diags.size();
  std::shared_ptr<const Rules> rules;
  {
    LoadedLists loaded;
    if (!load_lists(lists, loaded, diags)) return nullptr;
    rules = Rules::compile(loaded.names, loaded.topics, diags, options);
    if (warnings != nullptr) {
      for (auto& w : loaded.warnings) warnings->push_back(std::move(w));
      if (rules) warn_shared_aliases(*rules, *warnings);
    }
  }
  // Hyperscan's compiler frees hundreds of MB for a large list (and the parsed
  // lists are gone now); glibc keeps freed heap mapped unless asked. Give it back,
  // so a daemon's resident size is what it holds, not what compiling needed.
#ifdef __GLIBC__
  malloc_trim(0);
#endif
  if (diags.size() != before) return nullptr;
  return rules;
}

std::optional<LoadedConfig> load_config_and_rules(const std::filesystem::path& config,
                                                  Diagnostics& diags, bool cached) {
  auto cfg = load_config(config, diags);
  if (!cfg) return std::nullopt;
  Diagnostics warnings = std::move(cfg->warnings);  // the config's own come first
  cfg->warnings.clear();
  CompileOptions options;
  // The daemon's state_dir exists (systemd's StateDirectory=, or made by the
  // operator); one that does not means "keep no state here", so no cache either.
  std::error_code ec;
  if (cached && std::filesystem::is_directory(cfg->state_dir, ec))
    options.cache_dir = cfg->state_dir / "hs-cache";
  auto rules = load_rules(cfg->watchlists, diags, options, &warnings);
  if (!rules) return std::nullopt;
  if (!rules->cache().error.empty())
    warnings.push_back(Diagnostic{options.cache_dir.string(), 0, 0,
                                  "warning: the compiled watch-lists are not cached (" +
                                      rules->cache().error +
                                      "): the next start compiles them again; make state_dir "
                                      "writable for the daemon's user"});
  return LoadedConfig{std::move(*cfg), std::move(rules), std::move(warnings)};
}

std::string compile_summary(const Rules& rules) {
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.1f ms", rules.compile_time().count() / 1000.0);
  const std::size_t shards = rules.databases().size(), loaded = rules.cache().loaded;
  if (loaded == 0) return std::string("compiled in ") + ms;
  if (loaded == shards) return std::string("loaded from the cache in ") + ms;
  return std::to_string(loaded) + " of " + std::to_string(shards) +
         " shards loaded from the cache, the rest compiled, in " + ms;
}

void print_rules_summary(const Rules& rules, std::FILE* out) {
  const std::size_t n = rules.lists().size();
  std::vector<std::size_t> entities(n), aliases(n), negatives(n), topics(n);
  std::vector<std::set<std::uint32_t>> terms(n);
  std::size_t alias_total = 0, negative_total = 0;
  for (const auto& e : rules.entities()) {
    if (e.list < n) ++entities[e.list];
  }
  for (const auto& p : rules.patterns()) {
    if (p.kind == PatternKind::term || p.translit || p.entity >= rules.entities().size()) continue;
    const std::uint32_t list = rules.entities()[p.entity].list;
    if (list >= n) continue;
    if (p.kind == PatternKind::negative) {
      ++negatives[list], ++negative_total;
    } else {
      ++aliases[list], ++alias_total;
    }
  }
  for (const auto& t : rules.topics()) {
    if (t.list < n) ++topics[t.list];
  }
  for (std::uint32_t i = 0; i < rules.terms().size(); ++i) {
    for (const auto t : rules.terms()[i].topics) {
      if (t < rules.topics().size() && rules.topics()[t].list < n)
        terms[rules.topics()[t].list].insert(i);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto& l = rules.lists()[i];
    if (l.topics) {
      std::fprintf(out, "list %-16s %8zu topics   %8zu terms    %s\n", l.name.c_str(), topics[i],
                   terms[i].size(), l.path.c_str());
    } else if (negatives[i] > 0) {
      std::fprintf(out, "list %-16s %8zu entities %8zu aliases  %s (%zu negative aliases)\n",
                   l.name.c_str(), entities[i], aliases[i], l.path.c_str(), negatives[i]);
    } else {
      std::fprintf(out, "list %-16s %8zu entities %8zu aliases  %s\n", l.name.c_str(), entities[i],
                   aliases[i], l.path.c_str());
    }
  }
  const std::size_t shards = rules.databases().size();
  const std::string in_shards = shards > 1 ? " in " + std::to_string(shards) + " shards" : "";
  std::fprintf(out,
               "total: %zu lists, %zu entities, %zu aliases, %zu negative aliases, %zu topics, "
               "%zu terms; database %.1f KiB%s compiled in %.1f ms; rules version %s\n",
               n, rules.entities().size(), alias_total, negative_total, rules.topics().size(),
               rules.terms().size(), rules.database_bytes() / 1024.0, in_shards.c_str(),
               rules.compile_time().count() / 1000.0, rules.version().c_str());
}

void print_diagnostics(const Diagnostics& diags, std::FILE* out) {
  std::map<std::string, std::optional<std::string>> texts;  // file -> contents, read once
  for (const auto& d : diags) {
    const std::filesystem::path p(d.file);
    if (d.line == 0 || (p.extension() != ".topics" && p.extension() != ".names")) {
      std::fprintf(out, "%s\n", d.format().c_str());
      continue;
    }
    auto it = texts.find(d.file);
    if (it == texts.end()) {
      std::ifstream in(p, std::ios::binary);
      std::optional<std::string> text;
      if (in) {
        std::ostringstream buf;
        buf << in.rdbuf();
        text = buf.str();
      }
      it = texts.emplace(d.file, std::move(text)).first;
    }
    const std::string shown = it->second ? render_diagnostic(d, *it->second) : d.format();
    std::fprintf(out, "%s\n", shown.c_str());
  }
}

}  // namespace newshound
