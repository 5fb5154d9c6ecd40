// Util: the completion token of every coroutine in the sources, sinks and the
// admin server, defined once (each file had its own copy).
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace newshound {

/// `co_await op(..., use_tuple)` yields a tuple (error_code, results...) instead of
/// throwing: errors on the I/O paths are values, checked where they happen.
inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace newshound
