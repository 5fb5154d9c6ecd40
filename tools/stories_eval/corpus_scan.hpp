// Tool (stories evaluation): the signature on a real corpus (NDJSON ninjs, gzip
// or plain): for every article, the distance to its nearest earlier article, as
// a histogram, with example pairs near the threshold to judge by eye.
#pragma once

#include <string>

namespace newshound::stories_eval {

/// Prints the histogram (distances 0..max_distance) and up to `examples` pairs per
/// distance from `from` on. Returns 0, or 1 with a message on stderr.
int corpus_scan(const std::string& path, unsigned max_distance, unsigned from, unsigned examples);

}  // namespace newshound::stories_eval
