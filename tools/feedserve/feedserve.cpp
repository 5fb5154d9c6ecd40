// Tools: newshound-feedserve, a folder of NDJSON articles served as an RSS 2.0
// feed on a port, to try a feed input without a real feed: every request reads
// the folder again (so a new file is a new item), answers 304 to a matching
// If-None-Match, and serves one request at a time. With --copies N the same folder
// is N feeds (/1/rss.xml ... /N/rss.xml, each item's guid suffixed "#i" so every
// copy's items are distinct articles): how tools/bench/sources_bench.sh gives a
// daemon 1,000 feeds. With --tls-cert and --tls-key it serves HTTPS (to try a feed
// input's https:// support). A test harness, not part of the daemon: plain
// blocking Beast, TLS through src/net.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "newshound/net/tls_context.hpp"

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string str(const boost::json::object& o, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (auto* v = o.if_contains(k); v && v->is_string()) return std::string(v->as_string());
  return {};
}

/// The body as HTML (RSS descriptions are HTML): body_html as it is, a text body escaped.
std::string body_html(const boost::json::object& o) {
  if (auto h = str(o, {"body_html"}); !h.empty()) return h;
  return escape(str(o, {"body_text", "body"}));
}

/// The article's web address: `link` or `url`, else the first href of ninjs `links`.
std::string link_of(const boost::json::object& o) {
  if (auto l = str(o, {"link", "url"}); !l.empty()) return l;
  if (auto* links = o.if_contains("links"); links && links->is_array())
    for (const auto& l : links->as_array())
      if (l.is_object())
        if (auto h = str(l.as_object(), {"href"}); !h.empty()) return h;
  return {};
}

/// One <item> per JSON object line of every *.ndjson / *.json file, files by name;
/// `guid_suffix` is appended to every guid.
std::string feed(const fs::path& dir, const std::string& title, const std::string& guid_suffix) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".ndjson" || e.path().extension() == ".json")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string items;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) {
      boost::system::error_code ec;
      auto v = boost::json::parse(line, ec);
      if (ec || !v.is_object()) continue;
      const auto& o = v.as_object();
      items += "<item><guid isPermaLink=\"false\">" +
               escape(str(o, {"uri", "id", "guid"}) + guid_suffix) + "</guid><title>" +
               escape(str(o, {"headline", "title"})) + "</title><description>" +
               escape(body_html(o)) + "</description>";
      if (auto l = link_of(o); !l.empty()) items += "<link>" + escape(l) + "</link>";
      if (auto d = str(o, {"versioncreated", "published"}); !d.empty())
        items += "<dc:date>" + escape(d) + "</dc:date>";
      items += "</item>\n";
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>" +
         escape(title) + "</title>\n" + items + "</channel></rss>\n";
}

/// The copy `target` names: 0 for `path` itself (one copy), i for "/<i><path>"
/// (1 <= i <= copies, several copies); -1 for anything else.
long copy_of(std::string_view target, const std::string& path, long copies) {
  if (copies <= 1) return target == path ? 0 : -1;
  if (!target.starts_with('/') || !target.ends_with(path)) return -1;
  const std::string_view digits = target.substr(1, target.size() - 1 - path.size());
  long i = 0;
  for (char c : digits) {
    if (c < '0' || c > '9' || i > copies) return -1;
    i = i * 10 + (c - '0');
  }
  return !digits.empty() && i >= 1 && i <= copies ? i : -1;
}

/// Reads one request from `s` and answers it (then the caller closes).
template <class Stream>
void answer(Stream& s, const std::string& dir, const std::string& path, long copies) {
  boost::beast::flat_buffer buf;
  http::request<http::string_body> req;
  boost::system::error_code ec;
  http::read(s, buf, req, ec);
  if (ec) return;
  http::response<http::string_body> res{http::status::ok, req.version()};
  const long copy = copy_of({req.target().data(), req.target().size()}, path, copies);
  if (copy < 0) {
    res.result(http::status::not_found);
  } else {
    const std::string suffix = copy > 0 ? "#" + std::to_string(copy) : "";
    const std::string body = feed(dir, "newshound-feedserve " + dir + suffix, suffix);
    const std::string etag = "\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
    res.set(http::field::etag, etag);
    if (req[http::field::if_none_match] == etag) {
      res.result(http::status::not_modified);
    } else {
      res.set(http::field::content_type, "application/rss+xml; charset=utf-8");
      res.body() = body;
    }
  }
  res.keep_alive(false);
  res.prepare_payload();
  http::write(s, res, ec);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serve a folder of NDJSON articles as an RSS 2.0 feed (for trying feed inputs)"};
  std::string dir, bind = "127.0.0.1", path = "/rss.xml";
  std::uint16_t port = 8081;
  long copies = 1;
  app.add_option("folder", dir, "Folder of *.ndjson / *.json files, one article per line")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--port", port, "Port to listen on")->capture_default_str();
  app.add_option("--bind", bind, "Address to listen on")->capture_default_str();
  app.add_option("--path", path, "Path of the feed")->capture_default_str();
  app.add_option("--copies", copies,
                 "Serve the folder as this many feeds, /1<path> to /N<path>, guids suffixed #i")
      ->check(CLI::Range(1L, 1000000L))
      ->capture_default_str();
  newshound::net::TlsOptions tls = newshound::net::server_tls_defaults();
  app.add_option("--tls-cert", tls.crt_file,
                 "Serve HTTPS with this PEM certificate (with --tls-key)");
  app.add_option("--tls-key", tls.key_file, "PEM private key of --tls-cert");
  CLI11_PARSE(app, argc, argv);
  std::shared_ptr<boost::asio::ssl::context> ctx;
  if (!tls.crt_file.empty() || !tls.key_file.empty()) {
    auto built = newshound::net::make_tls_context(tls, newshound::net::TlsRole::server);
    if (!built.context) {
      std::cerr << "newshound-feedserve: " << built.error << "\n";
      return 2;
    }
    ctx = std::move(built.context);
  }
  boost::asio::io_context io;
  tcp::acceptor acc(io, {boost::asio::ip::make_address(bind), port});
  std::cerr << "newshound-feedserve: " << (ctx ? "https" : "http") << "://" << bind << ":"
            << acc.local_endpoint().port()
            << (copies > 1 ? "/{1.." + std::to_string(copies) + "}" : "") << path << " serves "
            << dir << "\n";
  for (;;) {
    tcp::socket s(io);
    acc.accept(s);
    boost::system::error_code ec;
    if (!ctx) {
      answer(s, dir, path, copies);
      continue;
    }
    boost::asio::ssl::stream<tcp::socket&> t(s, *ctx);
    t.handshake(boost::asio::ssl::stream_base::server, ec);
    if (ec) {
      std::cerr << "newshound-feedserve: TLS handshake failed: " << ec.message() << "\n";
      continue;
    }
    answer(t, dir, path, copies);
    t.shutdown(ec);
  }
}
