// Daemon: the newshound(1) man page and the bash completion, rendered from the
// CLI11 app that parses the command line (see cli.cpp), so both list exactly the
// subcommands and options --help shows.
#include "cli_reference.hpp"

#include <vector>

namespace newshound {
namespace {

// The subcommands a user sees (a hidden one has an empty group).
std::vector<const CLI::App*> visible_commands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
}

// The named options of a command: positionals have neither short nor long names.
std::vector<const CLI::Option*> named_options(const CLI::App& cmd) {
  return cmd.get_options(
      [](const CLI::Option* o) { return !o->get_lnames().empty() || !o->get_snames().empty(); });
}

// A flag has no type name (CLI11 2.1 reports a nonzero type size for some flags).
bool takes_value(const CLI::Option& o) {
  return o.get_type_size() != 0 && !o.get_type_name().empty();
}

// A value that names a file (the watch-lists, the config), completed as one.
bool takes_file(const CLI::Option& o) {
  const std::string t = o.get_type_name();
  return takes_value(o) && t != "UINT" && t != "INT" && t != "FLOAT" && t != "NUMBER";
}

// Text for roff: backslashes escaped, minus signs as \-, a leading dot or quote
// neutralised.
std::string roff(std::string_view s, bool minus = false) {
  std::string out;
  for (char c : s) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-' && minus) {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string option_names(const CLI::Option& o) {
  std::string names;
  for (const auto& s : o.get_snames()) names += (names.empty() ? "-" : ", -") + s;
  for (const auto& l : o.get_lnames()) names += (names.empty() ? "--" : ", --") + l;
  return names;
}

std::string man_option(const CLI::Option& o) {
  std::string item = ".TP\n.B " + roff(option_names(o), true);
  if (takes_value(o)) item += " \\fI" + roff(o.get_type_name()) + "\\fR";
  item += "\n" + roff(o.get_description());
  if (o.get_required()) item += " (required)";
  if (!o.get_default_str().empty()) item += " (default: " + roff(o.get_default_str()) + ")";
  return item + "\n";
}

}  // namespace

std::string cli_man_page(const CLI::App& app, std::string_view version) {
  std::string desc = app.get_description();
  if (const auto colon = desc.find(": "); colon != std::string::npos) desc.erase(0, colon + 2);
  std::string man = ".TH NEWSHOUND 1 \"\" \"newshound " + std::string(version) +
                    "\" \"User Commands\"\n.SH NAME\nnewshound \\- " + roff(desc) +
                    "\n.SH SYNOPSIS\n.B newshound\n.I command\n[\\fIoptions\\fR]\n"
                    ".br\n.B newshound\n[\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR]\n"
                    ".SH DESCRIPTION\n"
                    "\\fBnewshound run\\fR is the daemon: it reads articles from its inputs, "
                    "matches them against its watch-lists and topics and writes alerts to its "
                    "outputs, as set in its configuration file (see \\fBnewshound.toml\\fR(5)). "
                    "SIGHUP reloads the configuration and the watch-lists and reopens output "
                    "files; SIGTERM drains and exits. The other commands check a configuration "
                    "or filter articles once.\n.SH COMMANDS\n";
  for (const CLI::App* cmd : visible_commands(app)) {
    man += ".SS \"newshound " + cmd->get_name() + "\"\n" + roff(cmd->get_description()) + "\n";
    for (const CLI::Option* o : named_options(*cmd)) man += man_option(*o);
  }
  man +=
      ".SH \"EXIT STATUS\"\n"
      ".TP\n.B 0\nSuccess; for scan, an alert was written; for explain, something matched.\n"
      ".TP\n.B 1\nscan: no alert; explain: nothing matched.\n"
      ".TP\n.B 2\nA usage or runtime error.\n"
      ".TP\n.B 78\nA configuration or watch-list error (EX_CONFIG); the systemd unit does not "
      "restart the daemon after it.\n"
      ".SH FILES\n.TP\n.I /etc/newshound/newshound.toml\nThe configuration the systemd unit "
      "runs.\n.TP\n.I /etc/newshound/watchlists/\nThe example watch-lists.\n.TP\n"
      ".I /var/lib/newshound/\nThe state directory (spools, file outputs).\n"
      ".SH \"SEE ALSO\"\n.BR newshound.toml (5),\n.BR systemctl (1);\n"
      "operations.md in the package's documentation folder.\n";
  return man;
}

std::string cli_bash_completion(const CLI::App& app) {
  std::string commands;
  std::string file_opts;
  std::string cases;
  for (const CLI::App* cmd : visible_commands(app)) {
    commands += (commands.empty() ? "" : " ") + cmd->get_name();
    std::string words;
    for (const CLI::Option* o : named_options(*cmd)) {
      for (const auto& s : o->get_snames()) {
        words += (words.empty() ? "-" : " -") + s;
        if (takes_file(*o) && file_opts.find(" -" + s + "|") == std::string::npos)
          file_opts += " -" + s + "|";
      }
      for (const auto& l : o->get_lnames()) {
        words += (words.empty() ? "--" : " --") + l;
        if (takes_file(*o) && file_opts.find(" --" + l + "|") == std::string::npos)
          file_opts += " --" + l + "|";
      }
    }
    cases += "    " + cmd->get_name() + ") words=\"" + words + "\" ;;\n";
  }
  std::string file_case;  // "-c|--config|-w" from " -c| --config| -w|"
  for (char c : file_opts)
    if (c != ' ') file_case += c;
  if (!file_case.empty()) file_case.pop_back();
  return "# bash completion for newshound. Generated by `newshound reference bash`\n"
         "# from the command-line definition; do not edit.\n"
         "_newshound() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} words\n"
         "  if ((COMP_CWORD == 1)); then\n"
         "    COMPREPLY=($(compgen -W \"" +
         commands +
         " --help --version\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  case $prev in\n"
         "    " +
         (file_case.empty() ? std::string("--no-file-option--") : file_case) +
         ")\n"
         "      compopt -o filenames 2>/dev/null\n"
         "      COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "      return ;;\n"
         "  esac\n"
         "  case ${COMP_WORDS[1]} in\n" +
         cases +
         "    *) return ;;\n"
         "  esac\n"
         "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "}\n"
         "complete -F _newshound newshound\n";
}

}  // namespace newshound
