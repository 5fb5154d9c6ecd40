// Config: load_config's checks of an [[input]] of type "http": it listens (it
// cannot `connect`; its `tls` table is a server's, read by load_input), its `path`
// is an absolute URL path, and its `token_file` holds a bearer token
// (token_file.cpp); without one on a non-loopback address, a warning.
#include <string>

#include "loader.hpp"

namespace newshound::config_detail {

void ConfigLoader::check_http_input(const toml::table& tbl, InputConfig& in) {
  auto at = [&](const char* key) {
    const toml::node* n = tbl.get(key);
    return n ? n->source() : tbl.source();
  };
  if (tbl.contains("connect"))
    error(at("connect"),
          "an http input takes pushes and cannot 'connect'; use listen = \"127.0.0.1:8080\"");
  // The option table reads `path` as a directory input's folder (resolved against
  // the config's folder); an http input takes it as written.
  if (const auto* path = tbl.get_as<std::string>("path")) in.http.path = path->get();
  if (!in.http.path.starts_with('/') || in.http.path.find_first_of("?# \t") != std::string::npos)
    error(at("path"), "'path' " + dq(in.http.path) +
                          " must be an absolute URL path without query, e.g. \"/v1/articles\"");
  const std::string what = "[[input]] " + dq(in.name.empty() ? "http" : in.name);
  if (!in.http.token_file.empty()) {
    load_token(at("token_file"), what, "push articles to it", in.http.token_file, in.http.token);
  } else if (tbl.contains("listen") && !in.tcp.host.empty() && !is_loopback_host(in.tcp.host)) {
    const auto where = at("listen");
    warnings.push_back({file_, where.begin.line, where.begin.column,
                        "warning: " + what + " listens on " + in.endpoint().to_string() +
                            ", which is not a loopback address, without a token_file: anyone "
                            "who can reach it can push articles"});
  }
}

}  // namespace newshound::config_detail
