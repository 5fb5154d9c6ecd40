// Stage: match. Watch-list files as the user wrote them, before compilation.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/util/diagnostic.hpp"
#include "newshound/util/stable_read.hpp"

namespace newshound {

/// One entity line of a `.names` file: `Canonical Name|Alias|Alias`.
/// `aliases` holds every spelling to match, the canonical name first, trimmed,
/// duplicates (after folding) removed.
struct EntityDef {
  std::string canonical;
  std::vector<std::string> aliases;
  std::uint32_t line = 0;  ///< 1-based line in the file, for diagnostics
  /// Negative aliases (`!Gerhard Stoltenberg`), as written without the `!`: a hit of
  /// this entity that lies inside an occurrence of one of them does not count.
  std::vector<std::string> negatives;
};

/// A loaded watch-list: its name (file name without extension unless the config
/// names it), where it came from, the alert tags it adds, and its entities.
struct WatchList {
  std::string name;
  std::string path;
  std::vector<std::string> tags;
  std::vector<EntityDef> entities;
  /// `[[watchlist]] transliterate`: the aliases also match text in other scripts
  /// through the transliterated view (docs/matching.md, "Other scripts").
  bool transliterate = false;
  /// Problems that skip nothing (a bare CR, an alias of only punctuation), each
  /// message starting with "warning: ". `check` prints them; loading goes on.
  Diagnostics warnings;
};

/// Parses `.names` text (UTF-8, one entity per line, `#` comments and blank lines
/// ignored). A field starting with `!` is a negative alias (EntityDef::negatives).
/// Problems (invalid UTF-8, empty alias, an alias or negative that folds to
/// nothing, a negative equal to an alias, a line with no name or only negatives)
/// are appended to `diags` with file:line:col, and the bad line is skipped; so is a
/// line with a NUL byte. A bare CR (not before LF) and an alias or negative of only
/// punctuation or symbols go to `out.warnings` and are kept. A bad
/// alias or negative only skips itself; the entity stays if any alias is left, the
/// first usable one standing in for a bad canonical name. A leading BOM and CRLF are accepted.
/// Columns count code points. `file` is only used in diagnostics.
void parse_names(std::string_view text, const std::string& file, WatchList& out,
                 Diagnostics& diags);

/// Reads (read_stable_file) and parses a `.names` file. The list name defaults to
/// the file's stem. An unreadable file is one diagnostic, and so is a file that kept
/// changing while it was read (changed_while_read; no entities then). Blocks for the
/// settle waits of a changing file: call it off the event loop. Never throws except
/// std::bad_alloc.
WatchList load_watchlist(const std::filesystem::path& path, Diagnostics& diags,
                         const StableReadOptions& read_options = {});

}  // namespace newshound
