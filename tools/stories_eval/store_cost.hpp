// Tool (stories evaluation): the cost of the stories' state: the story index's
// memory per N stories, the lifecycle's, and the SQLite store's size, write and
// reopen time at that size (docs/stories.md, "Measured costs").
#pragma once

#include <cstddef>
#include <string>

namespace newshound::stories_eval {

/// Fills an index and a lifecycle with `n` synthetic stories and alerted articles,
/// stores them under a new folder in `parent` (removed after), reopens them, and
/// prints the numbers. Returns 0, or 1 with a message on stderr.
int store_cost(std::size_t n, const std::string& parent);

}  // namespace newshound::stories_eval
