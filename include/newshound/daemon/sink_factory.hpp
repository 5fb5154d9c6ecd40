// Daemon: builds the sink for one [[output]] table.
#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

#include "newshound/daemon/config.hpp"
#include "newshound/sink/sink.hpp"

namespace newshound {

/// Creates the sink an [[output]] describes (type validated by load_config).
/// Nothing is opened or connected until Sink::start().
std::unique_ptr<Sink> make_sink(boost::asio::io_context& io, const OutputConfig& output);

}  // namespace newshound
