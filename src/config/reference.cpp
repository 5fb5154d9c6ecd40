// Config: the configuration reference rendered from the option table
// (config_options()): as Markdown, the text docs/configuration.md carries between
// its GENERATED markers (a test keeps it in sync), and as the newshound.toml(5)
// man page the build generates for the package.
#include <string>
#include <vector>

#include "newshound/config/options.hpp"

namespace newshound {
namespace {

std::string_view doc_type(const OptionSpec& s) {
  switch (s.type) {
    case OptionType::integer:
      return "integer";
    case OptionType::boolean:
      return "boolean";
    case OptionType::string:
      return "string";
    case OptionType::choice:
      return "string";
    case OptionType::endpoint:
      return "`\"host:port\"`";
    case OptionType::path:
      return "path";
    case OptionType::json_pointer:
      return "JSON Pointer";
    case OptionType::json_pointers:
      return "JSON Pointer or array of them";
    case OptionType::string_array:
      return "array of strings";
    case OptionType::string_table:
      return "table of strings";
    case OptionType::duration:
      return "duration (ms, s, m, h, d)";
  }
  return "";
}

std::string join(const std::vector<std::string_view>& items, std::string_view sep,
                 std::string_view quote = "") {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) s += sep;
    s += quote;
    s += items[i];
    s += quote;
  }
  return s;
}

std::string_view section_noun(ConfigSection s) {
  if (s == ConfigSection::tls) return "TLS ends";
  return s == ConfigSection::output ? "outputs" : "inputs";
}

constexpr ConfigSection kOrder[] = {
    ConfigSection::top,     ConfigSection::log,       ConfigSection::admin,
    ConfigSection::stories, ConfigSection::input,     ConfigSection::input_fields,
    ConfigSection::output,  ConfigSection::watchlist, ConfigSection::tls};

// The Markdown of one cell (`code`, **bold**, *italic*) as roff text: code and
// bold in bold, italic in italic, backslashes escaped, a leading dot or quote
// neutralised (it would start a request).
std::string roff_text(std::string_view md) {
  std::string out;
  bool bold = false;
  bool italic = false;
  for (std::size_t i = 0; i < md.size(); ++i) {
    const char c = md[i];
    if (c == '`' || (c == '*' && i + 1 < md.size() && md[i + 1] == '*')) {
      if (c == '*') ++i;
      out += bold ? "\\fR" : "\\fB";
      bold = !bold;
    } else if (c == '*') {
      out += italic ? "\\fR" : "\\fI";
      italic = !italic;
    } else if (c == '\\') {
      out += "\\e";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

// The type column of the reference: "integer, 1 to 10", "string: `a`, `b`".
std::string type_text(const OptionSpec& s) {
  std::string type(doc_type(s));
  if (s.type == OptionType::integer) {
    type += ", " + std::to_string(s.min) + " to " + std::to_string(s.max);
  } else if (s.type == OptionType::duration) {
    type += ", `\"" + format_duration_ms(s.min) + "\"` to `\"" + format_duration_ms(s.max) + "\"`";
  } else if (s.type == OptionType::choice) {
    type += ": " + join(s.choices, ", ", "`");
  }
  return type;
}

// The description column: the help line, and to which types it applies.
std::string help_text(const OptionSpec& s) {
  std::string help(s.help);
  if (!s.applies_to.empty()) {
    help += " *Only for " + join(s.applies_to, ", ", "`") + " " +
            std::string(section_noun(s.section)) + ".*";
  }
  return help;
}

std::string default_text(const OptionSpec& s) {
  return s.required ? std::string("**required**") : option_default_text(s);
}

}  // namespace

std::string config_reference_markdown() {
  std::string md;
  for (ConfigSection sec : kOrder) {
    if (!md.empty()) md += '\n';
    md += sec == ConfigSection::top ? std::string("### Top level\n")
                                    : "### `" + std::string(section_title(sec)) + "`\n";
    md += "\n| Key | Type | Default | Description |\n|---|---|---|---|\n";
    for (const OptionSpec& s : config_options()) {
      if (s.section != sec) continue;
      std::string help = help_text(s);
      for (std::size_t at = help.find('|'); at != std::string::npos; at = help.find('|', at + 2)) {
        help.insert(at, 1, '\\');  // a bare '|' would end the table cell
      }
      md += "| `" + std::string(s.key) + "` | " + type_text(s) + " | " + default_text(s) + " | " +
            help + " |\n";
    }
  }
  return md;
}

std::string config_reference_man(std::string_view version) {
  std::string man = ".TH NEWSHOUND.TOML 5 \"\" \"newshound " + std::string(version) +
                    "\" \"File Formats\"\n"
                    ".SH NAME\nnewshound.toml \\- configuration of the newshound daemon\n"
                    ".SH SYNOPSIS\n/etc/newshound/newshound.toml\n"
                    ".SH DESCRIPTION\n"
                    "A TOML file read by \\fBnewshound run\\fR and \\fBnewshound check\\fR: "
                    "top-level keys, the \\fB[log]\\fR and \\fB[admin]\\fR tables, and arrays "
                    "of \\fB[[input]]\\fR, \\fB[[output]]\\fR and \\fB[[watchlist]]\\fR "
                    "tables. Relative paths are relative to the file's folder. SIGHUP re-reads "
                    "it; a broken file keeps the old rules. The annotated example and the "
                    "rules behind each key are in configuration.md, in the package's "
                    "documentation folder.\n"
                    ".SH OPTIONS\n";
  for (ConfigSection sec : kOrder) {
    man += sec == ConfigSection::top ? std::string(".SS \"Top level\"\n")
                                     : ".SS \"" + std::string(section_title(sec)) + "\"\n";
    for (const OptionSpec& s : config_options()) {
      if (s.section != sec) continue;
      man += ".TP\n.B " + std::string(s.key) + "\n" + roff_text(type_text(s)) +
             "; default: " + roff_text(default_text(s)) + ".\n.br\n" + roff_text(help_text(s)) +
             "\n";
    }
  }
  man += ".SH \"SEE ALSO\"\n.BR newshound (1)\n";
  return man;
}

}  // namespace newshound
