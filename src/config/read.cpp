// Config: load_config's walk over one TOML table: defaults first, then every key
// checked against the option table (unknown keys with a "did you mean", keys that
// do not apply to this output type or input mode, required keys missing).
#include <algorithm>
#include <string>

#include "loader.hpp"

namespace newshound::config_detail {

template <class Target>
void ConfigLoader::apply_defaults(ConfigSection sec, Target& target) {
  for (const OptionSpec& spec : config_options()) {
    if (spec.section != sec || std::holds_alternative<std::monostate>(spec.default_value)) continue;
    std::get<void (*)(Target&, const OptionValue&)>(spec.set)(target, spec.default_value);
  }
}

// Reads every key of `tbl` as an option of `sec`. `variant` is the output type or
// input mode the table turned out to be ("" = unknown: skip applicability checks).
// Returns the keys that were set. Nested tables are only checked for their names.
template <class Target>
std::set<std::string_view> ConfigLoader::read(ConfigSection sec, const toml::table& tbl,
                                              std::string_view variant, Target& target,
                                              std::initializer_list<Nested> nested) {
  const std::string_view title = section_title(sec);
  const std::string_view kind = sec == ConfigSection::output ? "output"
                                : sec == ConfigSection::tls  ? "TLS end"
                                                             : "input";
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
      std::string only;  // "a", "a and b", "a, b and c"
      const std::size_t n = spec.applies_to.size();
      for (std::size_t i = 0; i < n; ++i)
        only += (i == 0 ? "" : i + 1 == n ? " and " : ", ") + std::string(spec.applies_to[i]);
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

template void ConfigLoader::apply_defaults(ConfigSection, Config&);
template void ConfigLoader::apply_defaults(ConfigSection, InputConfig&);
template void ConfigLoader::apply_defaults(ConfigSection, OutputConfig&);
template void ConfigLoader::apply_defaults(ConfigSection, WatchlistConfig&);
template void ConfigLoader::apply_defaults(ConfigSection, net::TlsOptions&);
template std::set<std::string_view> ConfigLoader::read(ConfigSection, const toml::table&,
                                                       std::string_view, Config&,
                                                       std::initializer_list<Nested>);
template std::set<std::string_view> ConfigLoader::read(ConfigSection, const toml::table&,
                                                       std::string_view, InputConfig&,
                                                       std::initializer_list<Nested>);
template std::set<std::string_view> ConfigLoader::read(ConfigSection, const toml::table&,
                                                       std::string_view, OutputConfig&,
                                                       std::initializer_list<Nested>);
template std::set<std::string_view> ConfigLoader::read(ConfigSection, const toml::table&,
                                                       std::string_view, WatchlistConfig&,
                                                       std::initializer_list<Nested>);
template std::set<std::string_view> ConfigLoader::read(ConfigSection, const toml::table&,
                                                       std::string_view, net::TlsOptions&,
                                                       std::initializer_list<Nested>);

}  // namespace newshound::config_detail
