// Config: the one table of configuration options. Each entry names a key, its
// section, type, default, limits and one line of help, and carries the setter that
// stores the value into the Config structs (into an input's or output's stage
// options struct, e.g. OutputConfig::tcp, directly). load_config, the reference doc
// (docs/configuration.md) and the shipped config are all checked against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "newshound/config/config.hpp"

namespace newshound {

/// Where an option lives in the file.
enum class ConfigSection {
  top,           ///< top level of the file
  log,           ///< [log]
  admin,         ///< [admin]
  input,         ///< [[input]]
  input_fields,  ///< [input.fields], the field mapping of the input above it
  output,        ///< [[output]]
  watchlist,     ///< [[watchlist]]
  tls,           ///< a `tls` table of an [[input]], a network [[output]] or [admin]
  stories,       ///< [stories], the near-duplicate stage
};

/// How a section is named in messages: "the top level", "[log]", "[[input]]", ...
std::string_view section_title(ConfigSection s);

/// What a value must look like. Every string must be non-empty.
enum class OptionType {
  integer,        ///< TOML integer within [min, max]
  boolean,        ///< TOML boolean
  string,         ///< TOML string
  choice,         ///< TOML string, one of `choices`
  endpoint,       ///< TOML string, "host:port" or "[v6]:port" (parse_endpoint)
  path,           ///< TOML string; relative paths resolve against the config's folder
  json_pointer,   ///< TOML string, RFC 6901 pointer starting with '/'
  json_pointers,  ///< one json_pointer string or an array of them (stored as an array)
  string_array,   ///< TOML array of strings
  string_table,   ///< TOML table of strings, `{ Name = "value" }`, in key order
  /// TOML string of digits and a unit (ms, s, m, h, d), "48h": stored as its
  /// milliseconds (std::int64_t) within [min, max] (milliseconds too); a plain
  /// integer is refused (it has no unit)
  duration,
};

/// Reads a duration value ("250ms", "30s", "10m", "48h", "7d") as milliseconds;
/// nothing, with `why` saying what is wrong (no number, no unit, an unknown unit,
/// too long), for anything else.
std::optional<std::int64_t> parse_duration_ms(std::string_view text, std::string& why);
/// `ms` in the largest unit that divides it, days only from a week up ("48h",
/// "7d", "90s", "1500ms").
std::string format_duration_ms(std::int64_t ms);

/// A string_table value: (key, value) pairs in the order toml++ gives (by key).
using StringTable = std::vector<std::pair<std::string, std::string>>;

/// One entry of a string_table option that is refused: what is wrong and what
/// to do (empty = accepted), and whether it lies in the key (else in the value).
struct EntryProblem {
  std::string message;
  bool in_key = false;
};

/// A converted, validated value. Paths arrive resolved, as strings.
using OptionValue = std::variant<std::monostate, std::int64_t, bool, std::string, Endpoint,
                                 std::vector<std::string>, StringTable>;

/// Stores a value into the struct of the option's section (input and
/// input.fields both store into InputConfig; top, log and admin into Config; a
/// tls table into the net::TlsOptions of its edge).
using OptionSetter =
    std::variant<void (*)(Config&, const OptionValue&), void (*)(InputConfig&, const OptionValue&),
                 void (*)(OutputConfig&, const OptionValue&),
                 void (*)(WatchlistConfig&, const OptionValue&),
                 void (*)(net::TlsOptions&, const OptionValue&)>;

struct OptionSpec {
  ConfigSection section;
  std::string_view key;
  OptionType type;
  bool required = false;  ///< required wherever it applies
  /// Static default, applied through `set` before the table is read. monostate
  /// when the default is computed (names) or there is none (required keys).
  OptionValue default_value{};
  std::string_view default_doc{};  ///< describes a computed default; empty otherwise
  std::int64_t min = 0;            ///< integer limits
  std::int64_t max = 0;
  std::vector<std::string_view> choices{};  ///< for OptionType::choice
  /// Output types / input modes (tls: "client" / "server"); empty = all.
  std::vector<std::string_view> applies_to{};
  std::string_view example{};  ///< a TOML value used in hints
  std::string_view help{};     ///< one line for the reference doc
  OptionSetter set{};
  /// A string option that may be "" (e.g. [admin] listen, where "" disables the
  /// endpoint); the setter then receives an empty std::string.
  bool allow_empty = false;
  /// string_table: checks one entry (the loader has checked the value is a
  /// string); every refused entry is reported. Null = any string is fine.
  EntryProblem (*check_entry)(std::string_view key, std::string_view value) = nullptr;
};

/// The table, in documentation order. Built once; never throws after that.
const std::vector<OptionSpec>& config_options();

/// The option reference as Markdown (one table per section), the text pasted into
/// docs/configuration.md between the GENERATED markers. Deterministic.
std::string config_reference_markdown();

/// The same reference as the newshound.toml(5) man page (roff), one tagged
/// paragraph per option under one subsection per table; `version` goes in the
/// page's footer. Deterministic; generated at build time for the package.
std::string config_reference_man(std::string_view version);

/// Human rendering of a spec's default, as shown in the docs ("1048576 (1 MiB)").
std::string option_default_text(const OptionSpec& spec);

/// Human name of a type, as used in docs and error messages ("an integer").
std::string_view option_type_text(const OptionSpec& spec);

}  // namespace newshound
