// Daemon: make_feed_input (feed_factory.hpp): where a feed input's state lives.
#include "newshound/daemon/feed_factory.hpp"

#include <cctype>

#include "newshound/source/feed_input.hpp"

namespace newshound {

std::unique_ptr<Input> make_feed_input(boost::asio::io_context& io, const InputConfig& in,
                                       std::uint32_t index, const std::filesystem::path& state_dir,
                                       LineConsumer& consumer) {
  FeedInputOptions o = in.feed;
  o.name = in.name;
  o.input = index;
  std::string safe = in.name;
  for (char& c : safe)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  if (safe.empty() || safe == "." || safe == "..") safe = "feed-" + std::to_string(index + 1);
  o.seen_file = state_dir / "feeds" / (safe + ".seen");
  return std::make_unique<FeedInput>(io, std::move(o), consumer);
}

}  // namespace newshound
