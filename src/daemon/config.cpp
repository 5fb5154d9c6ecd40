// Daemon: load_config. Reads the TOML file with toml++, walks every table against
// the option table (config_options.cpp), and turns every problem into a
// Diagnostic "file:line:col: what is wrong; what to do". Exceptions from toml++
// are caught here: none escape but std::bad_alloc.
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "newshound/daemon/config.hpp"
#include "newshound/daemon/config_options.hpp"
#include "newshound/sink/webhook_sink.hpp"

namespace newshound {
namespace {

namespace fs = std::filesystem;

std::string_view node_type_text(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "nothing";
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string dq(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// A JSON Pointer (RFC 6901): "/a/b", '~' only as ~0 or ~1. Returns "" or the problem.
std::string pointer_problem(std::string_view p) {
  if (p.empty() || p.front() != '/') return "must be a JSON Pointer starting with '/'";
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '~' && (i + 1 == p.size() || (p[i + 1] != '0' && p[i + 1] != '1'))) {
      return "is not a valid JSON Pointer: '~' must be followed by 0 or 1 (~0 means '~', ~1 "
             "means '/')";
    }
  }
  return "";
}

// A sub-table or array of tables nested in a section.
struct Nested {
  std::string_view key;
  bool array;  ///< [[key]] rather than [key]
};

class Loader {
 public:
  Loader(std::string file, fs::path base) : file_(std::move(file)), base_(std::move(base)) {}

  Diagnostics diags;

  void error(const toml::source_region& at, std::string message) {
    diags.push_back({file_, at.begin.line, at.begin.column, std::move(message)});
  }

  void load(const toml::table& root, Config& cfg);

 private:
  template <class Target>
  void apply_defaults(ConfigSection sec, Target& target);
  template <class Target>
  std::set<std::string_view> read(ConfigSection sec, const toml::table& tbl,
                                  std::string_view variant, Target& target,
                                  std::initializer_list<Nested> nested);
  std::optional<OptionValue> convert(const OptionSpec& spec, const toml::node& node);
  const toml::array* array_of_tables(const toml::table& parent, std::string_view key,
                                     std::string_view how);
  void load_input(const toml::table& tbl, InputConfig& in);
  void load_output(const toml::table& tbl, OutputConfig& out);
  void load_webhook_parts(const toml::table& tbl, std::string_view type, OutputConfig& out);
  void load_watchlist(const toml::table& tbl, WatchlistConfig& wl);
  void check_routes(const Config& cfg, const std::vector<const toml::table*>& outputs);
  void resolve_spools(Config& cfg, const std::vector<const toml::table*>& outputs);
  template <class Item>
  void check_unique_names(ConfigSection sec, const std::vector<Item>& items,
                          const std::vector<const toml::table*>& tables);

  std::string file_;
  fs::path base_;
};

template <class Target>
void Loader::apply_defaults(ConfigSection sec, Target& target) {
  for (const OptionSpec& spec : config_options()) {
    if (spec.section != sec || std::holds_alternative<std::monostate>(spec.default_value)) continue;
    std::get<void (*)(Target&, const OptionValue&)>(spec.set)(target, spec.default_value);
  }
}

// Reads every key of `tbl` as an option of `sec`. `variant` is the output type or
// input mode the table turned out to be ("" = unknown: skip applicability checks).
// Returns the keys that were set. Nested tables are only checked for their names.
template <class Target>
std::set<std::string_view> Loader::read(ConfigSection sec, const toml::table& tbl,
                                        std::string_view variant, Target& target,
                                        std::initializer_list<Nested> nested) {
  const std::string_view title = section_title(sec);
  const std::string_view kind = sec == ConfigSection::output ? "output" : "input";
  std::set<std::string_view> present;
  apply_defaults(sec, target);
  for (auto&& [key, node] : tbl) {
    const std::string_view k = key.str();
    if (std::any_of(nested.begin(), nested.end(), [&](const Nested& n) { return n.key == k; })) {
      continue;
    }
    const auto& opts = config_options();
    const auto it = std::find_if(opts.begin(), opts.end(), [&](const OptionSpec& s) {
      return s.section == sec && s.key == k;
    });
    if (it == opts.end()) {
      std::string known, suggestion;
      auto note = [&](std::string_view name) {
        known += known.empty() ? "" : ", ";
        known += name;
        if (suggestion.empty() && edit_distance(k, name) <= std::min<std::size_t>(2, k.size() / 2))
          suggestion = "did you mean '" + std::string(name) + "'? ";
      };
      for (const OptionSpec& s : opts) {
        if (s.section == sec) note(s.key);
      }
      for (const Nested& n : nested) note(n.key);
      error(key.source(), "unknown key '" + std::string(k) + "' in " + std::string(title) + " (" +
                              suggestion + "known keys: " + known + ")");
      continue;
    }
    const OptionSpec& spec = *it;
    if (!variant.empty() && !spec.applies_to.empty() &&
        std::find(spec.applies_to.begin(), spec.applies_to.end(), variant) ==
            spec.applies_to.end()) {
      std::string only;
      for (std::string_view a : spec.applies_to)
        only += (only.empty() ? "" : " and ") + std::string(a);
      error(key.source(), "'" + std::string(k) + "' does not apply to a " + std::string(variant) +
                              " " + std::string(kind) + " (only to " + only + " " +
                              std::string(kind) + "s); remove it");
      continue;
    }
    if (auto value = convert(spec, node)) {
      std::get<void (*)(Target&, const OptionValue&)>(spec.set)(target, *value);
      present.insert(spec.key);
    } else {
      present.insert(spec.key);  // present but bad: already reported, not "missing"
    }
  }
  for (const OptionSpec& spec : config_options()) {
    if (spec.section != sec || !spec.required || present.count(spec.key) != 0) continue;
    const bool applies =
        spec.applies_to.empty() ||
        std::find(spec.applies_to.begin(), spec.applies_to.end(), variant) != spec.applies_to.end();
    if (!applies) continue;
    std::string what(title);
    if (!spec.applies_to.empty()) what += " of type " + dq(variant);
    error(tbl.source(), what + " is missing '" + std::string(spec.key) + "'; add e.g. " +
                            std::string(spec.key) + " = " + std::string(spec.example));
  }
  return present;
}

std::optional<OptionValue> Loader::convert(const OptionSpec& spec, const toml::node& node) {
  const std::string key(spec.key);
  auto wrong_type = [&] {
    error(node.source(), "'" + key + "' must be " + std::string(option_type_text(spec)) + ", not " +
                             std::string(node_type_text(node)) + "; e.g. " + key + " = " +
                             std::string(spec.example));
    return std::nullopt;
  };
  switch (spec.type) {
    case OptionType::integer: {
      const auto* v = node.as_integer();
      if (v == nullptr) return wrong_type();
      const std::int64_t i = v->get();
      if (i < spec.min || i > spec.max) {
        error(node.source(), "'" + key + "' must be between " + std::to_string(spec.min) + " and " +
                                 std::to_string(spec.max) + ", got " + std::to_string(i));
        return std::nullopt;
      }
      return OptionValue(i);
    }
    case OptionType::boolean: {
      const auto* v = node.as_boolean();
      if (v == nullptr) return wrong_type();
      return OptionValue(v->get());
    }
    case OptionType::string_array: {
      const auto* arr = node.as_array();
      if (arr == nullptr) return wrong_type();
      std::vector<std::string> out;
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto* s = (*arr)[i].as_string();
        if (s == nullptr || s->get().empty()) {
          error((*arr)[i].source(), "'" + key +
                                        "' must be an array of non-empty strings; element " +
                                        std::to_string(i + 1) + " is " +
                                        (s ? "empty" : std::string(node_type_text((*arr)[i]))));
          return std::nullopt;
        }
        out.push_back(s->get());
      }
      return OptionValue(std::move(out));
    }
    default:
      break;
  }
  // The remaining types are strings.
  const auto* sv = node.as_string();
  if (sv == nullptr) return wrong_type();
  const std::string& s = sv->get();
  if (s.empty() && spec.allow_empty) return OptionValue(std::string());
  if (s.empty()) {
    error(node.source(),
          "'" + key + "' must not be empty; e.g. " + key + " = " + std::string(spec.example));
    return std::nullopt;
  }
  switch (spec.type) {
    case OptionType::choice: {
      if (std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end()) {
        std::string list;
        for (std::string_view c : spec.choices) list += (list.empty() ? "" : ", ") + dq(c);
        error(node.source(), "'" + key + "' must be one of " + list + ", got " + dq(s));
        return std::nullopt;
      }
      return OptionValue(s);
    }
    case OptionType::endpoint: {
      std::string why;
      auto ep = parse_endpoint(s, why);
      if (!ep) {
        error(node.source(), "invalid address in '" + key + "': " + why);
        return std::nullopt;
      }
      return OptionValue(std::move(*ep));
    }
    case OptionType::path: {
      fs::path p(s);
      if (p.is_relative()) p = base_ / p;
      return OptionValue(p.lexically_normal().string());
    }
    case OptionType::json_pointer: {
      const std::string problem = pointer_problem(s);
      if (!problem.empty()) {
        error(node.source(), "'" + key + "' " + problem + ", e.g. " + key + " = " +
                                 std::string(spec.example) + "; got " + dq(s));
        return std::nullopt;
      }
      return OptionValue(s);
    }
    default:
      return OptionValue(s);
  }
}

const toml::array* Loader::array_of_tables(const toml::table& parent, std::string_view key,
                                           std::string_view how) {
  const toml::node* node = parent.get(key);
  if (node == nullptr) return nullptr;
  const toml::array* arr = node->as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    error(node->source(),
          "'" + std::string(key) + "' must be an array of tables; " + std::string(how));
    return nullptr;
  }
  return arr;
}

void Loader::load_input(const toml::table& tbl, InputConfig& in) {
  in.line = tbl.source().begin.line;
  const bool has_listen = tbl.contains("listen"), has_connect = tbl.contains("connect");
  const std::string_view mode = has_listen == has_connect ? "" : has_listen ? "listen" : "connect";
  read(ConfigSection::input, tbl, mode, in, {{"fields", false}});
  if (has_listen && has_connect) {
    error(tbl.source(), "[[input]] has both 'listen' and 'connect'; keep exactly one");
  } else if (!has_listen && !has_connect) {
    error(tbl.source(),
          "[[input]] needs 'listen' (accept connections) or 'connect' (dial a feed server); "
          "add e.g. listen = \"127.0.0.1:7301\"");
  }
  if (in.reconnect.initial > in.reconnect.max) {
    error(tbl.source(), "'reconnect_initial_ms' (" + std::to_string(in.reconnect.initial.count()) +
                            ") must not exceed 'reconnect_max_ms' (" +
                            std::to_string(in.reconnect.max.count()) + ")");
  }
  apply_defaults(ConfigSection::input_fields, in);
  if (const toml::node* f = tbl.get("fields")) {
    if (const toml::table* ft = f->as_table()) {
      read(ConfigSection::input_fields, *ft, "", in, {});
      const FieldMap& m = in.fields;
      if (!m.ninjs && m.headline.empty() && m.body_text.empty() && m.body_html.empty()) {
        error(ft->source(),
              "[input.fields] has ninjs = false but maps none of 'headline', 'body_text', "
              "'body_html', so nothing could be matched; map at least one, e.g. headline = "
              "\"/title\"");
      }
    } else {
      error(f->source(),
            "'fields' must be a table; write [input.fields] below the [[input]] it belongs to");
    }
  }
  if (in.name.empty()) {
    if (in.listen) in.name = "tcp-listen:" + in.listen->to_string();
    if (in.connect) in.name = "tcp-connect:" + in.connect->to_string();
  }
}

void Loader::load_output(const toml::table& tbl, OutputConfig& out) {
  out.line = tbl.source().begin.line;
  std::string_view type;
  if (const auto* t = tbl.get_as<std::string>("type")) {
    for (std::string_view c : {"stdout", "file", "tcp", "webhook"}) {
      if (t->get() == c) type = c;
    }
  }
  read(ConfigSection::output, tbl, type, out, {{"headers", false}});
  load_webhook_parts(tbl, type, out);
  if (out.reconnect.initial > out.reconnect.max) {
    error(tbl.source(), "'reconnect_initial_ms' (" + std::to_string(out.reconnect.initial.count()) +
                            ") must not exceed 'reconnect_max_ms' (" +
                            std::to_string(out.reconnect.max.count()) + ")");
  }
  if (out.name.empty()) {
    if (type == "stdout") out.name = "stdout";
    if (type == "file" && !out.path.empty()) out.name = "file:" + out.path.string();
    if (type == "tcp" && out.connect) out.name = "tcp:" + out.connect->to_string();
    if (type == "webhook" && !out.url.empty()) out.name = "webhook:" + out.url;
  }
}

// A webhook's `url` must parse (http only), and its optional `headers` table maps
// header names to string values.
void Loader::load_webhook_parts(const toml::table& tbl, std::string_view type, OutputConfig& out) {
  const toml::node* headers = tbl.get("headers");
  if (headers != nullptr && type != "webhook") {
    if (!type.empty())
      error(headers->source(), "'headers' does not apply to a " + std::string(type) +
                                   " output (only to webhook outputs); remove it");
    return;
  }
  if (type != "webhook") return;
  if (!out.url.empty()) {
    std::string why;
    if (!parse_webhook_url(out.url, why)) {
      const toml::node* at = tbl.get("url");
      error(at ? at->source() : tbl.source(), "invalid 'url' " + dq(out.url) + ": " + why);
    }
  }
  if (headers == nullptr) return;
  const toml::table* ht = headers->as_table();
  if (ht == nullptr) {
    error(headers->source(),
          "'headers' must be a table of strings, e.g. headers = { Authorization = \"Bearer ...\" "
          "}");
    return;
  }
  static constexpr std::string_view kReserved[] = {"host", "content-type", "content-length",
                                                   "connection", "transfer-encoding"};
  for (auto&& [key, node] : *ht) {
    const std::string name(key.str());
    const bool token = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
      return std::isalnum(c) ||
             std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
    });
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto* value = node.as_string();
    if (!token) {
      error(key.source(), "header name " + dq(name) +
                              " is not a valid HTTP field name; use letters, digits and '-'");
    } else if (std::find(std::begin(kReserved), std::end(kReserved), lower) !=
               std::end(kReserved)) {
      error(key.source(), "header " + dq(name) + " is set by newshound itself; remove it");
    } else if (value == nullptr) {
      error(node.source(), "header " + dq(name) + " must be a string, not " +
                               std::string(node_type_text(node)) + "; e.g. " + name + " = \"...\"");
    } else if (value->get().find_first_of("\r\n") != std::string::npos ||
               value->get().find('\0') != std::string::npos) {
      error(node.source(), "header " + dq(name) + " must not contain line breaks; remove them");
    } else {
      out.headers.emplace_back(name, value->get());
    }
  }
}

void Loader::load_watchlist(const toml::table& tbl, WatchlistConfig& wl) {
  wl.line = tbl.source().begin.line;
  read(ConfigSection::watchlist, tbl, "", wl, {});
  if (wl.name.empty() && !wl.path.empty()) wl.name = wl.path.stem().string();
}

template <class Item>
void Loader::check_unique_names(ConfigSection sec, const std::vector<Item>& items,
                                const std::vector<const toml::table*>& tables) {
  std::map<std::string, std::uint32_t> first;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name.empty()) continue;
    const auto [it, fresh] = first.emplace(items[i].name, items[i].line);
    if (fresh) continue;
    const toml::node* at = tables[i]->get("name");
    error(at ? at->source() : tables[i]->source(),
          "duplicate " + std::string(section_title(sec)) + " name " + dq(items[i].name) +
              " (first used at line " + std::to_string(it->second) +
              "); give one of them a distinct name = \"...\"");
  }
}

// Every name in an output's `lists` must be a configured watch-list.
void Loader::check_routes(const Config& cfg, const std::vector<const toml::table*>& outputs) {
  std::string known;
  for (const auto& wl : cfg.watchlists) known += (known.empty() ? "" : ", ") + dq(wl.name);
  for (std::size_t i = 0; i < cfg.outputs.size() && i < outputs.size(); ++i) {
    if (!cfg.outputs[i].lists) continue;
    const toml::array* arr = outputs[i]->get_as<toml::array>("lists");
    const auto& names = *cfg.outputs[i].lists;
    for (std::size_t j = 0; j < names.size(); ++j) {
      const bool found = std::any_of(cfg.watchlists.begin(), cfg.watchlists.end(),
                                     [&](const WatchlistConfig& w) { return w.name == names[j]; });
      if (found) continue;
      error(arr && j < arr->size() ? (*arr)[j].source() : outputs[i]->source(),
            "output " + dq(cfg.outputs[i].name) + " routes list " + dq(names[j]) +
                ", which is not a configured watch-list; use one of " + known +
                " (a [[watchlist]]'s name, by default its file's stem)");
    }
  }
}

// Spooled outputs without `spool_dir` get <state_dir>/spool/<name>, the name's
// characters other than [A-Za-z0-9._-] replaced by '_'; two spools may not share a folder.
void Loader::resolve_spools(Config& cfg, const std::vector<const toml::table*>& outputs) {
  std::map<fs::path, std::uint32_t> used;
  for (std::size_t i = 0; i < cfg.outputs.size() && i < outputs.size(); ++i) {
    OutputConfig& out = cfg.outputs[i];
    if (!out.spool) continue;
    if (out.spool_dir.empty()) {
      std::string safe = out.name;
      for (char& c : safe)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
          c = '_';
      if (safe.empty() || safe == "." || safe == "..") safe = "output-" + std::to_string(i + 1);
      out.spool_dir = (cfg.state_dir / "spool" / safe).lexically_normal();
    }
    const auto [it, fresh] = used.emplace(out.spool_dir, out.line);
    if (fresh) continue;
    const toml::node* at = outputs[i]->get("spool_dir");
    error(at ? at->source() : outputs[i]->source(),
          "output " + dq(out.name) + " would share the spool folder " + out.spool_dir.string() +
              " with the output at line " + std::to_string(it->second) +
              "; give one of them its own spool_dir = \"...\"");
  }
}

void Loader::load(const toml::table& root, Config& cfg) {
  read(ConfigSection::top, root, "", cfg,
       {{"log", false}, {"admin", false}, {"input", true}, {"output", true}, {"watchlist", true}});
  apply_defaults(ConfigSection::log, cfg);
  if (const toml::node* log = root.get("log")) {
    if (const toml::table* t = log->as_table()) {
      read(ConfigSection::log, *t, "", cfg, {});
    } else {
      error(log->source(), "'log' must be a table; write [log] and level = \"info\" below it");
    }
  }
  apply_defaults(ConfigSection::admin, cfg);
  if (const toml::node* admin = root.get("admin")) {
    if (const toml::table* t = admin->as_table()) {
      read(ConfigSection::admin, *t, "", cfg, {});
    } else {
      error(admin->source(),
            "'admin' must be a table; write [admin] and listen = \"127.0.0.1:7380\" below it");
    }
  }
  std::vector<const toml::table*> tables;
  if (const auto* arr = array_of_tables(root, "input", "write each input as an [[input]] table")) {
    for (const toml::node& n : *arr) {
      load_input(*n.as_table(), cfg.inputs.emplace_back());
      tables.push_back(n.as_table());
    }
    check_unique_names(ConfigSection::input, cfg.inputs, tables);
  }
  tables.clear();
  if (const auto* arr =
          array_of_tables(root, "output", "write each output as an [[output]] table")) {
    for (const toml::node& n : *arr) {
      load_output(*n.as_table(), cfg.outputs.emplace_back());
      tables.push_back(n.as_table());
    }
    check_unique_names(ConfigSection::output, cfg.outputs, tables);
  }
  const std::vector<const toml::table*> output_tables = tables;
  tables.clear();
  const toml::node* wl_node = root.get("watchlist");
  if (const auto* arr =
          array_of_tables(root, "watchlist", "write each watch-list as a [[watchlist]] table")) {
    for (const toml::node& n : *arr) {
      load_watchlist(*n.as_table(), cfg.watchlists.emplace_back());
      tables.push_back(n.as_table());
    }
    check_unique_names(ConfigSection::watchlist, cfg.watchlists, tables);
  }
  check_routes(cfg, output_tables);
  if (cfg.memory_budget != 0 && diags.empty()) {
    const std::size_t worst = worst_case_memory(cfg);
    if (worst > cfg.memory_budget) {
      const toml::node* at = root.get("memory_budget_bytes");
      auto mib = [](std::size_t b) { return std::to_string((b + (1 << 20) - 1) >> 20) + " MiB"; };
      error(at ? at->source() : root.source(),
            "the inputs and outputs could hold up to " + mib(worst) +
                ", more than memory_budget_bytes (" + mib(cfg.memory_budget) +
                "); lower max_connections, max_inflight_bytes, max_line_bytes or queue_bytes, "
                "or raise the budget");
    }
  }
  resolve_spools(cfg, output_tables);
  if (wl_node == nullptr) {
    diags.push_back({file_, 0, 0,
                     "no [[watchlist]] table; add at least one, e.g. [[watchlist]] with path = "
                     "\"watchlists/people.names\""});
  }
}

// Reads the whole file; on failure returns nullopt and sets `why`.
std::optional<std::string> read_file(const fs::path& file, std::string& why) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buf[16384];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) {
    why = std::strerror(err);
    return std::nullopt;
  }
  return text;
}

}  // namespace

std::size_t worst_case_memory(const Config& config) {
  constexpr std::size_t kReadChunk = 64 * 1024;
  std::size_t total = 0;
  for (const auto& in : config.inputs) {
    const std::size_t conns = in.listen ? in.max_connections : 1;
    total += conns * (2 * in.max_inflight_bytes + in.max_line_bytes + kReadChunk);
  }
  for (const auto& out : config.outputs) total += out.queue_bytes;
  return total;
}

std::optional<Config> load_config(const std::filesystem::path& file, Diagnostics& diags) {
  const std::string shown = file.string();
  std::string why;
  const std::optional<std::string> text = read_file(file, why);
  if (!text) {
    diags.push_back(
        {shown, 0, 0, "cannot read config file: " + why + "; pass the path of an existing file"});
    return std::nullopt;
  }
  toml::table root;
  try {
    root = toml::parse(*text, shown);
  } catch (const toml::parse_error& e) {
    diags.push_back({shown, e.source().begin.line, e.source().begin.column,
                     "TOML syntax error: " + std::string(e.description())});
    return std::nullopt;
  }
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec);
  if (ec) absolute = file;
  absolute = absolute.lexically_normal();

  Config cfg;
  cfg.file = absolute;
  Loader loader(shown, absolute.parent_path());
  loader.load(root, cfg);
  if (loader.diags.empty()) return cfg;
  // toml++ tables are ordered by key: report in file order, file-wide problems last.
  std::stable_sort(loader.diags.begin(), loader.diags.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     const auto ka = std::make_pair(a.line == 0 ? UINT32_MAX : a.line, a.col);
                     const auto kb = std::make_pair(b.line == 0 ? UINT32_MAX : b.line, b.col);
                     return ka < kb;
                   });
  diags.insert(diags.end(), loader.diags.begin(), loader.diags.end());
  return std::nullopt;
}

}  // namespace newshound
