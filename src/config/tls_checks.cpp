// Config: load_config's reading of a `tls` table (client or server defaults,
// then its keys through the option table) and the checks `check` relies on:
// the files it names are readable PEM, the key belongs to the certificate, the
// certificate has not expired (a warning within 14 days of it), a server that
// verifies clients has a CA file; warnings when a client turns verification off.
// The webhook's https:// url and its tls table must agree.
#include <chrono>
#include <string>

#include "loader.hpp"
#include "newshound/net/tls_inspect.hpp"
#include "newshound/util/regular_file.hpp"

namespace newshound::config_detail {

namespace {

/// A certificate this close to its notAfter gets a warning.
constexpr auto kExpiryWarning = std::chrono::hours(24 * 14);

std::string day_text(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

}  // namespace

void ConfigLoader::load_tls(const toml::table& parent, net::TlsOptions& o, net::TlsRole role) {
  const toml::node* node = parent.get("tls");
  if (node == nullptr) return;
  const toml::table* tbl = node->as_table();
  if (tbl == nullptr) {
    error(node->source(), "'tls' must be a table, e.g. tls = { ca_file = \"certs/ca.pem\" }");
    return;
  }
  const bool server = role == net::TlsRole::server;
  o = server ? net::server_tls_defaults() : net::TlsOptions{};
  const std::size_t before = diags.size();
  read(ConfigSection::tls, *tbl, server ? "server" : "client", o, {});
  if (diags.size() == before && o.enabled) check_tls_files(*tbl, o, role);
}

void ConfigLoader::check_tls_files(const toml::table& tbl, const net::TlsOptions& o,
                                   net::TlsRole role) {
  auto at = [&](std::string_view key) -> const toml::source_region& {
    const toml::node* n = tbl.get(key);
    return n != nullptr ? n->source() : tbl.source();
  };
  const bool server = role == net::TlsRole::server;
  if (server && o.crt_file.empty())
    error(tbl.source(),
          "a TLS server needs its certificate: add crt_file = \"certs/server.pem\" "
          "and key_file = \"certs/server.key\"");
  if (!o.crt_file.empty() && o.key_file.empty())
    error(tbl.source(), "crt_file needs its key: add key_file = \"...\"");
  if (o.crt_file.empty() && !o.key_file.empty())
    error(tbl.source(), "key_file needs its certificate: add crt_file = \"...\"");
  // A FIFO would block the reads below: special files are reported, not opened.
  auto regular = [&](std::string_view key, const std::filesystem::path& p) {
    check_regular_file(tbl, key, p);
    return special_file_kind(p).empty();
  };
  if (!o.crt_file.empty() && regular("crt_file", o.crt_file)) {
    std::string why;
    if (auto info = net::inspect_certificate(o.crt_file, why)) {
      const auto now = std::chrono::system_clock::now();
      if (info->not_after <= now)
        error(at("crt_file"), "certificate " + o.crt_file.string() + " (" + info->subject +
                                  ") expired on " + day_text(info->not_after) +
                                  "; renew it and point crt_file at the new one");
      else if (info->not_after - now <= kExpiryWarning)
        warn(at("crt_file"), "certificate " + o.crt_file.string() + " (" + info->subject +
                                 ") expires on " + day_text(info->not_after) + "; renew it soon");
    } else {
      error(at("crt_file"), why + "; point crt_file at a readable PEM certificate");
    }
    if (why.empty() && !o.key_file.empty() && regular("key_file", o.key_file)) {
      if (std::string e = net::check_key_pair(o.crt_file, o.key_file, o.key_pass); !e.empty())
        error(at("key_file"), e);
    }
  }
  if (!o.ca_file.empty() && regular("ca_file", o.ca_file)) {
    if (std::string e = net::check_ca_file(o.ca_file); !e.empty())
      error(at("ca_file"), e + "; point ca_file at a readable PEM CA bundle");
  }
  if (server && o.verify_certificate && o.ca_file.empty())
    error(at("verify_certificate"),
          "verify_certificate = true on a TLS server needs ca_file, the CA its clients' "
          "certificates must chain to");
  if (!server && !o.verify_certificate)
    warn(at("verify_certificate"),
         "verify_certificate = false: the server's certificate is not checked, so anyone on the "
         "path can read and change this traffic; give the server's CA in ca_file instead");
  else if (!server && !o.verify_hostname)
    warn(at("verify_hostname"),
         "verify_hostname = false: any certificate from the trusted CAs is accepted, whatever "
         "its name; set server_name to the name in the certificate instead");
}

void ConfigLoader::refuse_nats_key_pass(const toml::table& parent, const net::TlsOptions& o) {
  if (o.key_pass.empty()) return;
  const toml::table* tbl = parent.get_as<toml::table>("tls");
  const toml::node* at = tbl != nullptr ? tbl->get("key_pass") : nullptr;
  error(at != nullptr ? at->source() : parent.source(),
        "key_pass: the NATS client (nats.c) cannot read an encrypted key_file; decrypt it "
        "(openssl pkey -in " +
            o.key_file.string() +
            " -out plain.key), point key_file at the plain key (mode 0600) and remove key_pass");
}

void ConfigLoader::check_webhook_tls(const toml::table& tbl, OutputConfig& out) {
  const toml::node* url = tbl.get("url");
  const toml::node* tls = tbl.get("tls");
  const toml::table* t = tls != nullptr ? tls->as_table() : nullptr;
  if (out.webhook.url.https) {
    if (tls == nullptr) {  // https without a table: the client defaults
      out.webhook.tls = net::TlsOptions{};
      out.webhook.tls.enabled = true;
    } else if (t != nullptr && !out.webhook.tls.enabled) {
      const toml::node* e = t->get("enabled");
      error(e != nullptr ? e->source() : tls->source(),
            "an https:// url needs TLS; remove enabled = false (or write http://)");
    }
  } else if (t != nullptr && out.webhook.tls.enabled && url != nullptr &&
             !out.webhook.url_text.empty()) {
    error(url->source(), "this webhook has a tls table but an http:// url; write https://");
  }
}

}  // namespace newshound::config_detail
