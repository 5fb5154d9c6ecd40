// Net tests: listen_on, the inputs' listening socket: a free port listens, a taken
// one is refused in words that say what to change, and the acceptor is left closed.
#include <catch2/catch.hpp>

#include <boost/asio.hpp>

#include "newshound/net/listen.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;
using newshound::net::listen_on;

TEST_CASE("listen_on listens on a free port and refuses a taken one in words", "[net]") {
  asio::io_context io;
  tcp::acceptor first(io);
  REQUIRE(listen_on(first, "127.0.0.1", 0) == "");
  CHECK(first.is_open());
  const std::uint16_t port = first.local_endpoint().port();
  CHECK(port != 0);

  tcp::acceptor second(io);
  const std::string why = listen_on(second, "127.0.0.1", port);
  CHECK_THAT(why, Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(port)));
  CHECK_THAT(why, Catch::Contains("change `listen` in the config"));
  CHECK_FALSE(second.is_open());
}
