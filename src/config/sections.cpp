// Config: load_config's section specifics: an [[input]] (listen or connect, its
// [input.fields] mapping, default name), an [[output]] (type, webhook url,
// default name) and a [[watchlist]] (default name); the files they name must be
// regular files (or not exist yet), never a FIFO that would block its reader.
#include <algorithm>
#include <cctype>
#include <string>

#include "loader.hpp"
#include "newshound/config/webhook_url.hpp"
#include "newshound/source/drop_files.hpp"
#include "newshound/source/http_url.hpp"
#include "newshound/util/ascii.hpp"
#include "newshound/util/regular_file.hpp"

namespace newshound::config_detail {

const toml::array* ConfigLoader::array_of_tables(const toml::table& parent, std::string_view key,
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

void ConfigLoader::load_input(const toml::table& tbl, InputConfig& in) {
  in.line = tbl.source().begin.line;
  const bool has_listen = tbl.contains("listen"), has_connect = tbl.contains("connect");
  const auto* type = tbl.get_as<std::string>("type");
  const bool directory = type && type->get() == "directory";
  const bool feed = type && type->get() == "feed";
  const bool http = type && type->get() == "http";  // its keys: http_input_checks.cpp
  const bool jetstream = type && type->get() == "jetstream";
  const std::string_view mode = directory                   ? "directory"
                                : jetstream                 ? "jetstream"
                                : feed                      ? "feed"
                                : http                      ? "http"
                                : has_listen == has_connect ? ""
                                : has_listen                ? "listen"
                                                            : "connect";
  read(ConfigSection::input, tbl, mode, in, {{"fields", false}, {"tls", false}});
  if (feed) {
    load_tls(tbl, in.feed.tls, net::TlsRole::client);
  } else if (jetstream) {
    load_tls(tbl, in.jetstream.connect.tls, net::TlsRole::client);
    refuse_nats_key_pass(tbl, in.jetstream.connect.tls);
  } else if (!directory) {
    load_tls(tbl, in.tcp.tls,
             mode == "listen" || http ? net::TlsRole::server : net::TlsRole::client);
  }
  if (feed) {
    check_feed_input(tbl, in);
  } else if (directory) {
    load_drop_folder(tbl, in);
  } else if (jetstream) {
    if (in.name.empty()) in.name = "jetstream:" + in.jetstream.stream + "/" + in.jetstream.durable;
  } else if (has_listen && has_connect) {
    error(tbl.source(), "[[input]] has both 'listen' and 'connect'; keep exactly one");
  } else if (!has_listen && !has_connect) {
    error(tbl.source(),
          "[[input]] needs 'listen' (accept connections) or 'connect' (dial a feed server); "
          "add e.g. listen = \"127.0.0.1:7301\"");
  }
  check_backoff(tbl, in.tcp.reconnect);
  apply_defaults(ConfigSection::input_fields, in);
  if (const toml::node* f = tbl.get("fields")) {
    if (const toml::table* ft = f->as_table()) {
      read(ConfigSection::input_fields, *ft, "", in, {});
      const FieldMap& m = in.fields;
      if (!m.ninjs && m.headline.empty() && m.body_text.empty() && m.body_html.empty() &&
          m.description.empty()) {
        error(ft->source(),
              "[input.fields] has ninjs = false but maps none of 'headline', 'body_text', "
              "'body_html', 'description', so nothing could be matched; map at least one, e.g. "
              "headline = "
              "\"/title\"");
      }
    } else {
      error(f->source(),
            "'fields' must be a table; write [input.fields] below the [[input]] it belongs to");
    }
  }
  if (in.name.empty() && feed && !in.feed.urls.empty()) in.name = "feed:" + in.feed.urls.front();
  if (in.name.empty() && feed) in.name = "feed:" + in.feed.opml_file.filename().string();
  if (in.name.empty() && !directory && !in.tcp.host.empty()) {  // a valid address was given
    const bool listen = in.mode == TcpInput::Mode::listen;
    in.name = (http     ? "http:"
               : listen ? "tcp-listen:"
                        : "tcp-connect:") +
              in.endpoint().to_string();
  }
  if (http) check_http_input(tbl, in);
}

// A feed input polls http:// and https:// URLs: each is checked now; it has no
// address of its own. Its tls table (a client's) serves every https feed, so
// turning TLS off beside an https URL is refused.
void ConfigLoader::check_feed_input(const toml::table& tbl, const InputConfig& in) {
  for (std::string_view key : {"listen", "connect"})
    if (const toml::node* at = tbl.get(key))
      error(at->source(), "'" + std::string(key) + "' does not apply to a feed input; remove it");
  if (in.feed.urls.empty() && in.feed.opml_file.empty())
    error(tbl.source(),
          "a feed input needs 'url', 'urls' or 'opml_file'; add e.g. url = "
          "\"http://news.example.net/rss.xml\"");
  for (const std::string& u : in.feed.urls) {
    std::string why;
    if (parse_http_url(u, why)) continue;
    const toml::node* at = tbl.get("url") ? tbl.get("url") : tbl.get("urls");
    error(at ? at->source() : tbl.source(), "invalid feed URL " + dq(u) + ": " + why);
  }
  const toml::table* tls = tbl.get_as<toml::table>("tls");
  const bool https = std::any_of(in.feed.urls.begin(), in.feed.urls.end(),
                                 [](const auto& u) { return ascii_istarts_with(u, "https://"); });
  if (tls != nullptr && !in.feed.tls.enabled && https) {
    const toml::node* e = tls->get("enabled");
    error(e != nullptr ? e->source() : tls->source(),
          "an https:// feed needs TLS; remove enabled = false (or poll it over http://)");
  }
  check_regular_file(tbl, "opml_file", in.feed.opml_file);
}

// A drop folder: defaults that follow other keys, and folders that exist, are
// writable and share the drop folder's filesystem (moves are renames).
void ConfigLoader::load_drop_folder(const toml::table& tbl, InputConfig& in) {
  for (const char* key : {"listen", "connect"})
    if (const toml::node* at = tbl.get(key))
      error(at->source(), "'" + std::string(key) +
                              "' does not apply to a directory input (it reads the folder "
                              "`path`); remove it");
  DirectoryInputOptions& d = in.directory;
  if (d.path.empty()) {  // `path` is optional in the table: http inputs default it
    if (!tbl.contains("path"))
      error(tbl.source(),
            "[[input]] of type \"directory\" is missing 'path'; add e.g. path = "
            "\"/srv/newshound/drop\"");
    return;
  }
  if (d.done_dir.empty()) d.done_dir = d.path / ".done";
  if (d.failed_dir.empty()) d.failed_dir = d.path / ".failed";
  if (d.max_file_bytes == 0) d.max_file_bytes = in.tcp.max_line_bytes;
  d.max_inflight_bytes = in.tcp.max_inflight_bytes;
  if (in.name.empty()) in.name = "directory:" + d.path.string();
  if (const std::string problem = drop_folder_problem(d); !problem.empty()) {
    const toml::node* at = tbl.get(problem.substr(0, problem.find(':')));
    error(at ? at->source() : tbl.source(), "[[input]] " + dq(in.name) + ": " + problem);
  }
}

void ConfigLoader::load_output(const toml::table& tbl, OutputConfig& out) {
  out.line = tbl.source().begin.line;
  std::string_view type;
  if (const auto* t = tbl.get_as<std::string>("type")) {
    for (std::string_view c : {"stdout", "file", "tcp", "webhook", "jetstream"}) {
      if (t->get() == c) type = c;
    }
  }
  read(ConfigSection::output, tbl, type, out, {{"tls", false}});
  check_webhook_url(tbl, type, out);
  if (type == "tcp" || type == "webhook" || type == "jetstream") {
    // One table, stored into the options of the sink the type is.
    load_tls(tbl,
             type == "tcp"       ? out.tcp.tls
             : type == "webhook" ? out.webhook.tls
                                 : out.jetstream.connect.tls,
             net::TlsRole::client);
    if (type == "webhook") check_webhook_tls(tbl, out);
    if (type == "jetstream") refuse_nats_key_pass(tbl, out.jetstream.connect.tls);
  } else if (const toml::node* t = tbl.get("tls"); t != nullptr && !type.empty()) {
    error(t->source(), "'tls' does not apply to a " + std::string(type) +
                           " output (only to tcp, webhook and jetstream outputs); remove it");
  }
  check_backoff(tbl, out.tcp.queue.backoff);  // the reconnect keys set tcp's and webhook's alike
  if (type == "file") check_regular_file(tbl, "path", out.file.path);
  if (type == "webhook") check_regular_file(tbl, "dead_letter", out.webhook.dead_letter);
  if (out.name.empty()) {
    if (type == "stdout") out.name = "stdout";
    if (type == "file" && !out.file.path.empty()) out.name = "file:" + out.file.path.string();
    if (type == "tcp" && !out.tcp.host.empty())
      out.name = "tcp:" + Endpoint{out.tcp.host, out.tcp.port}.to_string();
    if (type == "webhook" && !out.webhook.url_text.empty())
      out.name = "webhook:" + out.webhook.url_text;
    if (type == "jetstream" && !out.jetstream.connect.url.empty())
      out.name = "jetstream:" + out.jetstream.connect.url;
  }
}

// A webhook's `url` must parse (http only); the parsed URL is what the sink
// gets. Its `headers` are an option of the table like any other
// (options_output.cpp checks their names and values).
void ConfigLoader::check_webhook_url(const toml::table& tbl, std::string_view type,
                                     OutputConfig& out) {
  const std::string& text = out.webhook.url_text;
  if (type != "webhook" || text.empty()) return;
  std::string why;
  if (auto url = parse_webhook_url(text, why)) {
    out.webhook.url = std::move(*url);
  } else {
    const toml::node* at = tbl.get("url");
    error(at ? at->source() : tbl.source(), "invalid 'url' " + dq(text) + ": " + why);
  }
}

void ConfigLoader::check_backoff(const toml::table& tbl, const BackoffPolicy& b) {
  if (b.initial <= b.max) return;
  error(tbl.source(), "'reconnect_initial_ms' (" + std::to_string(b.initial.count()) +
                          ") must not exceed 'reconnect_max_ms' (" + std::to_string(b.max.count()) +
                          ")");
}

void ConfigLoader::load_watchlist(const toml::table& tbl, WatchlistConfig& wl) {
  wl.line = tbl.source().begin.line;
  read(ConfigSection::watchlist, tbl, "", wl, {});
  if (wl.name.empty() && !wl.path.empty()) wl.name = wl.path.stem().string();
  check_regular_file(tbl, "path", wl.path);
}

// A FIFO (or device, or folder) where a file is meant would hang `check` and the
// daemon's start-up on its open; a missing file is left to the code that opens it.
void ConfigLoader::check_regular_file(const toml::table& tbl, std::string_view key,
                                      const std::filesystem::path& path) {
  if (path.empty()) return;
  const std::string kind = special_file_kind(path);
  if (kind.empty()) return;
  const toml::node* at = tbl.get(key);
  error(at ? at->source() : tbl.source(), "'" + std::string(key) + "' " + dq(path.string()) +
                                              " is " + kind +
                                              ", not a regular file; point it at a regular file");
}

}  // namespace newshound::config_detail
