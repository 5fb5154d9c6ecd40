// Tests (pipeline): the stream sequencer on its own: items finished out of order
// come back in order, per stream, and ended streams are forgotten.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "newshound/dispatch/stream_sequencer.hpp"

using namespace newshound;

TEST_CASE("dispatcher: in order puts numbered items back in sequence") {
  InOrder<std::string> order;
  std::string out;
  order.put(2, "c");
  order.put(1, "b");
  CHECK_FALSE(order.pop(out));  // 0 is missing
  order.put(0, "a");
  std::vector<std::string> got;
  while (order.pop(out)) got.push_back(out);
  CHECK(got == std::vector<std::string>{"a", "b", "c"});
  CHECK(order.next() == 3);
}

TEST_CASE("dispatcher: sequencer emits each stream's batches in order, streams apart") {
  StreamSequencer<int> seq;
  std::vector<std::pair<std::uint64_t, int>> emitted;
  auto emit = [&](std::uint64_t stream, int v) { emitted.emplace_back(stream, v); };
  for (int i = 0; i < 3; ++i) seq.begin(1), seq.begin(2);
  seq.complete(1, 2, 12, emit);
  seq.complete(2, 1, 21, emit);
  CHECK(emitted.empty());
  seq.complete(2, 0, 20, emit);  // stream 2 goes on without waiting for stream 1
  CHECK(emitted == std::vector<std::pair<std::uint64_t, int>>{{2, 20}, {2, 21}});
  seq.complete(1, 0, 10, emit);
  seq.complete(1, 1, 11, emit);
  seq.complete(2, 2, 22, emit);
  CHECK(emitted == std::vector<std::pair<std::uint64_t, int>>{
                       {2, 20}, {2, 21}, {1, 10}, {1, 11}, {1, 12}, {2, 22}});
}

TEST_CASE("dispatcher: sequencer forgets a stream once it ended and its batches were emitted") {
  StreamSequencer<int> seq;
  auto ignore = [](std::uint64_t, int) {};
  seq.begin(1);
  seq.begin(1);
  seq.end(1);
  CHECK(seq.streams() == 1);  // two batches still running
  seq.complete(1, 0, 0, ignore);
  CHECK(seq.streams() == 1);
  seq.complete(1, 1, 1, ignore);
  CHECK(seq.streams() == 0);
  seq.end(7);  // unknown: ignored
  CHECK(seq.streams() == 0);

  // Ended from inside emit (a `done` closing the connection): forgotten afterwards.
  seq.begin(3);
  int calls = 0;
  seq.complete(3, 0, 5, [&](std::uint64_t s, int) {
    ++calls;
    seq.end(s);
    CHECK(seq.streams() == 1);
  });
  CHECK(calls == 1);
  CHECK(seq.streams() == 0);
}
