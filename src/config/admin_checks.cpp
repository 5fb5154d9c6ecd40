// Config: the [admin] endpoint's access checks at load time: reads the bearer
// token from `token_file` (token_file.cpp), and refuses a non-loopback `listen`
// without a token. Errors point at the key.
#include <string>

#include "loader.hpp"

namespace newshound::config_detail {

void ConfigLoader::check_admin(const toml::table& root, Config& cfg) {
  if (!cfg.admin_token_file.empty()) {
    const toml::node* at = root.at_path("admin.token_file").node();
    load_token(at ? at->source() : root.source(), "[admin]", "use the admin endpoint",
               cfg.admin_token_file, cfg.admin_token);
    return;
  }
  if (!cfg.admin_listen || is_loopback_host(cfg.admin_listen->host)) return;
  const toml::node* at = root.at_path("admin.listen").node();
  error(at ? at->source() : root.source(),
        "the admin endpoint would listen on " + cfg.admin_listen->to_string() +
            ", which is not a loopback address, without a token: anyone who can reach it could "
            "reload the daemon and read its rules and metrics; set token_file = \"...\" in "
            "[admin] (a file holding the token), or listen on 127.0.0.1 or [::1]");
}

}  // namespace newshound::config_detail
