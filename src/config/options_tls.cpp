// Config: the option table's entries for a `tls` table, the one TLS shape of
// [[input]] (tcp, http, feed), [[output]] (tcp, webhook) and [admin]; they store
// into the net::TlsOptions of that edge (see config/options.hpp for what an entry
// holds). Which keys apply depends on the end: "client" (outputs, connect and
// feed inputs) or "server" (listen and http inputs, [admin]).
#include <string>
#include <vector>

#include "option_sections.hpp"

namespace newshound::config_table {

void add_tls_options(std::vector<OptionSpec>& t) {
  using S = ConfigSection;
  using T = OptionType;
  using Tls = net::TlsOptions;
  auto add = [&t](OptionSpec s) { t.push_back(std::move(s)); };

  add({.section = S::tls,
       .key = "enabled",
       .type = T::boolean,
       .default_value = true,
       .default_doc = "`true` once a `tls` table is given (and for an `https://` webhook)",
       .example = "true",
       .help = "TLS on this connection; `false` keeps the table but sends in clear.",
       .set = +[](Tls& o, const OptionValue& v) { o.enabled = as_bool(v); }});
  add({.section = S::tls,
       .key = "crt_file",
       .type = T::path,
       .default_doc = "none (required for servers)",
       .example = "\"certs/server.pem\"",
       .help = "PEM certificate (chain) this end presents: the server's, or a client's for "
               "mutual TLS. `check` refuses an expired one and warns 14 days before.",
       .set = +[](Tls& o, const OptionValue& v) { o.crt_file = as_str(v); }});
  add({.section = S::tls,
       .key = "key_file",
       .type = T::path,
       .default_doc = "none (required with `crt_file`)",
       .example = "\"certs/server.key\"",
       .help = "PEM private key of `crt_file`; `check` refuses a key of another certificate.",
       .set = +[](Tls& o, const OptionValue& v) { o.key_file = as_str(v); }});
  add({.section = S::tls,
       .key = "key_pass",
       .type = T::string,
       .default_doc = "none (the key is not encrypted)",
       .example = "\"passphrase\"",
       .help = "Passphrase of an encrypted `key_file`.",
       .set = +[](Tls& o, const OptionValue& v) { o.key_pass = as_str(v); }});
  add({.section = S::tls,
       .key = "ca_file",
       .type = T::path,
       .default_doc = "clients: the system trust store; servers: none",
       .example = "\"certs/ca.pem\"",
       .help = "PEM CA bundle the peer's certificate must chain to (a server needs it with "
               "`verify_certificate`).",
       .set = +[](Tls& o, const OptionValue& v) { o.ca_file = as_str(v); }});
  add({.section = S::tls,
       .key = "verify_certificate",
       .type = T::boolean,
       .default_doc = "clients: `true`; servers: `false`",
       .example = "true",
       .help = "Clients: verify the server's certificate (`check` warns when off). Servers: "
               "require a client certificate from `ca_file` (mutual TLS).",
       .set = +[](Tls& o, const OptionValue& v) { o.verify_certificate = as_bool(v); }});
  add({.section = S::tls,
       .key = "verify_hostname",
       .type = T::boolean,
       .default_value = true,
       .applies_to = {"client"},
       .example = "true",
       .help = "Check the server certificate's names (DNS or IP SANs) against `server_name` "
               "(`check` warns when off).",
       .set = +[](Tls& o, const OptionValue& v) { o.verify_hostname = as_bool(v); }});
  add({.section = S::tls,
       .key = "server_name",
       .type = T::string,
       .default_doc = "the host of `connect` or `url` (of each feed)",
       .applies_to = {"client"},
       .example = "\"feeds.example.net\"",
       .help = "Name sent as SNI and checked against the server's certificate.",
       .set = +[](Tls& o, const OptionValue& v) { o.server_name = as_str(v); }});
  add({.section = S::tls,
       .key = "allowed_names",
       .type = T::string_array,
       .default_value = std::vector<std::string>{},
       .default_doc = "`[]` (any certificate from `ca_file`)",
       .applies_to = {"server"},
       .example = "[\"wire-feed-1.example.net\"]",
       .help = "With `verify_certificate`: a client certificate's subject CN or a DNS SAN must "
               "be one of these.",
       .set = +[](Tls& o, const OptionValue& v) { o.allowed_names = as_strs(v); }});
  add({.section = S::tls,
       .key = "min_version",
       .type = T::choice,
       .default_value = std::string("1.2"),
       .choices = {"1.2", "1.3"},
       .example = "\"1.2\"",
       .help = "Oldest TLS version accepted.",
       .set = +[](Tls& o, const OptionValue& v) { o.min_version = as_str(v); }});
}

}  // namespace newshound::config_table
