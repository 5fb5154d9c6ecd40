// Daemon: builds the sink for one [[output]] table.
#pragma once

#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "newshound/config/config.hpp"
#include "newshound/sink/sink.hpp"

namespace newshound {

/// In-memory queue of an output with `spool = true` (at most; queue_bytes may be
/// smaller): beyond it, alerts wait in the spool on disk.
inline constexpr std::size_t kSpooledQueueBytes = 1u << 20;

/// Creates the sink an [[output]] describes (type validated by load_config),
/// wrapped in a SpoolingSink when the output has `spool = true`.
/// Nothing is opened or connected until Sink::start().
std::unique_ptr<Sink> make_sink(boost::asio::io_context& io, const OutputConfig& output);

}  // namespace newshound
