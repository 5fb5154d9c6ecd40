// Daemon: building a feed input ([[input]] type = "feed") from its config.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "newshound/config/config.hpp"
#include "newshound/source/input.hpp"
#include "newshound/source/line_batch.hpp"

namespace newshound {

/// A FeedInput for `in`, numbered `index`, its seen-items log at
/// <state_dir>/feeds/<name>.seen (the name's characters other than
/// [A-Za-z0-9._-] replaced by '_'), handing batches to `consumer`.
std::unique_ptr<Input> make_feed_input(boost::asio::io_context& io, const InputConfig& in,
                                       std::uint32_t index, const std::filesystem::path& state_dir,
                                       LineConsumer& consumer);

}  // namespace newshound
