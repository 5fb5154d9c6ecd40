// Stage: sink (private). PrefixBody: a Beast body for HTTP responses that keeps
// the first `limit` bytes and only counts the rest, so that a receiver answering
// with a huge (or endless) body costs bounded memory, whatever its Content-Length.
#pragma once

#include <algorithm>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <string>

namespace newshound::detail {

/// Parser-only body (no writer): value_type holds the kept prefix and the count
/// of body bytes seen. Nothing is reserved from the Content-Length.
struct PrefixBody {
  struct value_type {
    std::string kept;        ///< the first `limit` bytes of the body
    std::uint64_t seen = 0;  ///< body bytes read so far (kept or not)
    std::size_t limit = 4096;
    /// True when bytes were read and not kept.
    bool cut() const { return seen > kept.size(); }
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) { ec = {}; }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      ec = {};
      std::size_t n = 0;
      for (const auto b : boost::beast::buffers_range_ref(buffers)) {
        const std::size_t room = body_.limit - std::min(body_.limit, body_.kept.size());
        body_.kept.append(static_cast<const char*>(b.data()), std::min(room, b.size()));
        n += b.size();
      }
      body_.seen += n;
      return n;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace newshound::detail
