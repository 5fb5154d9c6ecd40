// Net: listen_on, the listening socket of the tcp and http push inputs.
#include "newshound/net/listen.hpp"

namespace newshound::net {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string listen_on(tcp::acceptor& a, const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  tcp::resolver resolver(a.get_executor());
  auto results = resolver.resolve(host, std::to_string(port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty())
    return "cannot resolve listen address " + host + ": " + ec.message() +
           " (use an IP address or a resolvable host name)";
  const tcp::endpoint ep = results.begin()->endpoint();
  if (a.open(ep.protocol(), ec); ec) return "cannot open socket: " + ec.message();
  a.set_option(asio::socket_base::reuse_address(true), ec);
  boost::system::error_code ignored;  // the bind or listen error is the one to report
  if (a.bind(ep, ec); ec) {
    a.close(ignored);
    return "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message() +
           " (is another process using this port? change `listen` in the config)";
  }
  if (a.listen(asio::socket_base::max_listen_connections, ec); ec) {
    a.close(ignored);
    return "cannot listen: " + ec.message();
  }
  return {};
}

}  // namespace newshound::net
