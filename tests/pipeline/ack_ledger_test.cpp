// Tests (pipeline): the ack ledger on its own: lines settle in line order, an
// alert's line once every routed sink reported it sent; removed sinks and closed
// streams release what waits for them, and an ended stream is never opened again.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "newshound/dispatch/ack_ledger.hpp"
#include "pipeline/dispatch_util.hpp"

using namespace newshound;
using namespace dispatch_test;

namespace {
std::shared_ptr<const Alert> alert_of(const std::string& article) {
  auto a = std::make_shared<Alert>();
  a->article = article;
  return a;
}
using Replies = std::vector<std::string>;
}  // namespace

TEST_CASE("dispatcher: ack ledger settles lines in order as every sink delivers") {
  AckLedger ledger;
  RecordingSink s1, s2;
  auto acks = std::make_shared<RecordingAcks>();
  ledger.open(4, 0, acks);
  auto a1 = alert_of("a1"), a2 = alert_of("a2");
  std::vector<Sink*> both{&s1, &s2}, one{&s1};
  ledger.add_line(4, "n1");
  ledger.add_alert(4, a1, both);
  ledger.add_line(4, std::nullopt);
  ledger.add_alert(4, a2, one);
  ledger.flush(4);
  CHECK(acks->replies == Replies{"{\"ack\":\"n1\"}\n"});
  CHECK(ledger.pending() == 3);
  ledger.sent(&s1, a2.get());  // a2 is sent, but a1 comes first
  ledger.sent(&s1, a1.get());
  ledger.sent(&s1, a1.get());  // repeated: s2 still owes a1
  CHECK(acks->replies.size() == 1);
  ledger.sent(&s2, a1.get());
  CHECK(acks->replies ==
        Replies{"{\"ack\":\"n1\"}\n", "{\"ack\":\"a1\"}\n", "", "{\"ack\":\"a2\"}\n"});
  CHECK(ledger.pending() == 0);
  ledger.sent(&s2, a2.get());  // owed nothing: ignored
  CHECK(acks->replies.size() == 4);
}

TEST_CASE("dispatcher: ack ledger settles lines owed by a removed sink unacknowledged") {
  AckLedger ledger;
  RecordingSink s1, s2;
  auto acks = std::make_shared<RecordingAcks>();
  ledger.open(1, 0, acks);
  auto a1 = alert_of("a1");
  std::vector<Sink*> both{&s1, &s2};
  ledger.add_alert(1, a1, both);
  ledger.add_line(1, "n2");
  ledger.flush(1);
  ledger.sent(&s1, a1.get());
  CHECK(acks->replies.empty());
  const Sink* removed[] = {&s2};
  ledger.forget_sinks(removed);
  CHECK(acks->replies == Replies{"", "{\"ack\":\"n2\"}\n"});
  ledger.sent(&s2, a1.get());  // a late report changes nothing
  CHECK(acks->replies.size() == 2);
}

TEST_CASE("dispatcher: ack ledger drops a closed stream's lines and records no more") {
  AckLedger ledger;
  RecordingSink s1;
  auto acks = std::make_shared<RecordingAcks>();
  CHECK_FALSE(ledger.is_open(9));
  ledger.add_line(9, "ignored");  // never opened: not recorded
  CHECK(ledger.pending() == 0);
  ledger.open(9, 0, acks);
  auto a1 = alert_of("a1");
  std::vector<Sink*> one{&s1};
  ledger.add_alert(9, a1, one);
  ledger.add_line(9, "n1");
  ledger.flush(9);
  CHECK(ledger.pending() == 2);
  ledger.end(9);
  CHECK_FALSE(ledger.is_open(9));
  CHECK(ledger.pending() == 0);
  ledger.sent(&s1, a1.get());
  ledger.add_line(9, "n2");
  ledger.flush(9);
  CHECK(acks->replies.empty());
  CHECK(ledger.pending() == 0);
}

TEST_CASE("dispatcher: ack ledger never opens an ended stream again") {
  AckLedger ledger;
  RecordingSink s1;
  auto acks = std::make_shared<RecordingAcks>();
  ledger.open(5, 0, acks);
  ledger.add_line(5, "n1");  // batch 0: acknowledged
  ledger.flush(5);
  auto a1 = alert_of("a1");
  std::vector<Sink*> one{&s1};
  ledger.open(5, 1, acks);  // batch 1: waits for s1
  ledger.add_alert(5, a1, one);
  ledger.flush(5);
  CHECK(acks->replies == Replies{"{\"ack\":\"n1\"}\n"});
  ledger.end(5);  // e.g. batch 1 abandoned, or the input stopped
  // A later batch of the same stream (an input's last fetch): not opened, its
  // lines not recorded, so none of them settles in a1's place.
  ledger.open(5, 2, acks);
  CHECK_FALSE(ledger.is_open(5));
  ledger.add_line(5, "n2");
  ledger.flush(5);
  ledger.sent(&s1, a1.get());
  CHECK(acks->replies == Replies{"{\"ack\":\"n1\"}\n"});
  CHECK(ledger.pending() == 0);
  // A batch after the first keeps an open stream's queue.
  ledger.open(6, 0, acks);
  ledger.add_alert(6, a1, one);
  ledger.open(6, 1, acks);
  ledger.add_line(6, "n3");
  ledger.flush(6);
  CHECK(ledger.pending() == 2);
  ledger.sent(&s1, a1.get());
  CHECK(acks->replies == Replies{"{\"ack\":\"n1\"}\n", "{\"ack\":\"a1\"}\n", "{\"ack\":\"n3\"}\n"});
}
