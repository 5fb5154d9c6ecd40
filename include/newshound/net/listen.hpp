// Net: opening a listening socket for an input (tcp, http push): resolve the
// configured host, bind with SO_REUSEADDR, listen.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>

namespace newshound::net {

/// Opens `acceptor` (not yet open) listening on host:port. Returns "" or what
/// went wrong in words for the operator, naming the address and what to change;
/// on failure the acceptor is left closed. Never throws but std::bad_alloc.
std::string listen_on(boost::asio::ip::tcp::acceptor& acceptor, const std::string& host,
                      std::uint16_t port);

}  // namespace newshound::net
