// Fuzzing: the source stage's HTTP push body splitter and the drop folder's file
// splitter (they share the JSON array scan). Input: one format byte (ndjson, json,
// xml, or a dropped file by its value mod 4), then the body. Checks that splitting
// never crashes, hangs or leaks; that every record is bytes of the body, never
// empty, at most the record limit; and that the numbers of the records and of
// the rejected ones are distinct and increasing within each list. A dropped file's
// records are non-empty, in order, without overlap, inside the (rewritten) content.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "newshound/source/push_body.hpp"
#include "newshound/source/record_splitter.hpp"

using namespace newshound;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 4 == 3) {
    std::string content(body);
    std::size_t end = 0;
    for (const FileRecord& f : split_file(content)) {
      FUZZ_CHECK(f.length > 0 && f.line >= 1 && f.offset >= end);
      end = std::size_t(f.offset) + f.length;
      FUZZ_CHECK(end <= content.size());
    }
    return 0;
  }
  const PushFormat formats[] = {PushFormat::ndjson, PushFormat::json, PushFormat::xml};
  const PushFormat format = formats[data[0] % 4];
  constexpr std::size_t kMax = 1024;
  const PushRecords r = split_push_body(format, body, kMax);
  FUZZ_CHECK(r.numbers.size() == r.batch.lines.size());
  for (std::size_t i = 0; i < r.batch.lines.size(); ++i) {
    const std::string_view rec = r.batch.line(i);
    FUZZ_CHECK(!rec.empty() && rec.size() <= kMax);
    if (format != PushFormat::xml) FUZZ_CHECK(body.find(rec) != std::string_view::npos);
    FUZZ_CHECK(r.numbers[i] >= 1);
    if (i > 0) FUZZ_CHECK(r.numbers[i] > r.numbers[i - 1]);
    for (const auto& rej : r.rejected) FUZZ_CHECK(rej.line != r.numbers[i]);
  }
  for (std::size_t i = 1; i < r.rejected.size(); ++i)
    FUZZ_CHECK(r.rejected[i].line > r.rejected[i - 1].line);
  for (const auto& rej : r.rejected) FUZZ_CHECK(!rej.reason.empty() && rej.line >= 1);
  return 0;
}
