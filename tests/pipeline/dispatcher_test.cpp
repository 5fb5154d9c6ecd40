// Tests (pipeline): the worker pool end to end without sockets: batches in, alerts
// out to a recording sink, in each stream's arrival order, bad lines counted.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "newshound/daemon/dispatcher.hpp"
#include "pipeline/dispatch_util.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;
using namespace dispatch_test;

TEST_CASE("dispatcher: alerts leave in arrival order per stream, with two workers") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);  // run_one() waits for the workers' posts
  RecordingSink sink;
  auto rules = pipeline_test::rules_from({{"people", "Sergei Lavrov|Lavrov\nAntony Blinken\n"}});
  Dispatcher d(io, 2, {FieldMap{}}, rules, {&sink});
  std::size_t done = 0;
  const int batches = 200;
  for (int s = 0; s < batches; ++s) {
    std::vector<std::string> lines;
    for (int i = 0; i < 5; ++i)
      lines.push_back(article("s" + std::to_string(s) + "-" + std::to_string(i),
                              i % 2 ? "Lavrov spoke." : "Nothing here."));
    if (s % 10 == 0) lines.push_back("{broken");
    d.consume(batch(1, static_cast<std::uint64_t>(s), lines), [&] { ++done; });
  }
  d.end_stream(1);
  while (done < batches) io.run_one();
  CHECK(d.in_flight() == 0);
  REQUIRE(sink.alerts.size() == batches * 2);
  for (int s = 0, k = 0; s < batches; ++s)
    for (int i = 1; i < 5; i += 2, ++k)
      CHECK(sink.alerts[k]->article == "s" + std::to_string(s) + "-" + std::to_string(i));
  CHECK(d.stats().articles == batches * 5);
  CHECK(d.stats().alerts == batches * 2);
  CHECK(d.stats().bad_lines[static_cast<int>(DecodeError::not_json)] == batches / 10);
}

TEST_CASE("dispatcher: a full sink holds alerts in order and withholds done until it has room") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);  // run_one() waits for the workers' posts
  RecordingSink ok, slow;
  slow.full = true;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 2, {FieldMap{}}, rules, {&ok, &slow});
  int done = 0;
  for (int b = 0; b < 3; ++b)
    d.consume(batch(7, static_cast<std::uint64_t>(b),
                    {article("a" + std::to_string(b), "Blinken said."), article("n", "Nothing."),
                     article("b" + std::to_string(b), "Blinken again.")}),
              [&] { ++done; });
  // Every batch reaches the dispatcher; the free sink gets its alerts at once.
  while (ok.alerts.size() < 6) io.run_one();
  io.run_for(std::chrono::milliseconds(100));  // several retries, still full
  CHECK(done == 0);
  CHECK(d.in_flight() == 3);
  CHECK(d.held_alerts() == 6);
  CHECK(slow.alerts.empty());
  slow.full = false;  // room again: everything goes, in order, by itself
  while (done < 3) io.run_one();
  CHECK(d.held_alerts() == 0);
  CHECK(d.in_flight() == 0);
  REQUIRE(slow.alerts.size() == 6);
  for (int b = 0, k = 0; b < 3; ++b) {
    CHECK(slow.alerts[k++]->article == "a" + std::to_string(b));
    CHECK(slow.alerts[k++]->article == "b" + std::to_string(b));
  }
  CHECK(d.stats().alerts_rejected == 0);
}

TEST_CASE("dispatcher: routes by lists and tags, resolved against the rules") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink people, orgs, all, none, both;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"},
                                          {"orgs", "North Atlantic Treaty Organization|NATO\n"}});
  using Names = std::vector<std::string>;
  Dispatcher d(io, 1, {FieldMap{}}, rules,
               {Route(&people, Names{"people"}, std::nullopt),
                Route(&orgs, std::nullopt, Names{"orgs"}), Route(&all),
                Route(&none, Names{}, std::nullopt), Route(&both, Names{"people"}, Names{"orgs"})});
  bool done = false;
  d.consume(batch(1, 0,
                  {article("p", "Blinken spoke."), article("o", "NATO met."),
                   article("po", "Blinken at NATO."), article("x", "Nothing.")}),
            [&] { done = true; });
  while (!done) io.run_one();
  auto ids = [](const RecordingSink& s) {
    std::vector<std::string> out;
    for (const auto& a : s.alerts) out.push_back(a->article);
    return out;
  };
  CHECK(ids(people) == Names{"p", "po"});
  CHECK(ids(orgs) == Names{"o", "po"});
  CHECK(ids(all) == Names{"p", "o", "po"});
  CHECK(ids(none).empty());
  CHECK(ids(both) == Names{"p", "o", "po"});

  // After a reload that changes the routes, the next alerts follow the new ones.
  d.set_sinks({Route(&people, Names{"orgs"}, std::nullopt)});
  done = false;
  d.consume(batch(1, 1, {article("p2", "Blinken spoke."), article("o2", "NATO met.")}),
            [&] { done = true; });
  while (!done) io.run_one();
  CHECK(ids(people) == Names{"p", "po", "o2"});
}

TEST_CASE("dispatcher: acknowledgements follow delivery, in line order") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink s1, s2;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 2, {FieldMap{}}, rules, {&s1, &s2});
  auto acks = std::make_shared<RecordingAcks>();
  int done = 0;
  auto b0 = batch(3, 0, {article("n1", "Nothing."), article("a1", "Blinken said."), "{broken"});
  b0.acks = acks;
  auto b1 = batch(3, 1, {article("n2", "Nothing."), "", article("a2", "Blinken again.")});
  b1.acks = acks;
  d.consume(std::move(b0), [&] { ++done; });
  d.consume(std::move(b1), [&] { ++done; });
  while (done < 2) io.run_one();
  // Accepted by both sinks but not yet sent: only the line before the first alert settled.
  REQUIRE(acks->replies == std::vector<std::string>{"{\"ack\":\"n1\"}\n"});
  REQUIRE(s1.alerts.size() == 2);
  REQUIRE(s2.alerts.size() == 2);
  d.on_sent(&s1, s1.alerts[0]);
  CHECK(acks->replies.size() == 1);  // s2 has not sent a1 yet
  d.on_sent(&s2, s2.alerts[1]);      // a2 before a1: its ack must still wait
  CHECK(acks->replies.size() == 1);
  d.on_sent(&s2, s2.alerts[0]);
  CHECK(acks->replies == std::vector<std::string>{"{\"ack\":\"n1\"}\n", "{\"ack\":\"a1\"}\n", "",
                                                  "{\"ack\":\"n2\"}\n", ""});
  d.on_sent(&s1, s1.alerts[1]);
  REQUIRE(acks->replies.size() == 6);
  CHECK(acks->replies[5] == "{\"ack\":\"a2\"}\n");
  d.on_sent(&s1, s1.alerts[1]);  // a repeated or unknown report changes nothing
  CHECK(acks->replies.size() == 6);
  d.end_stream(3);
}

TEST_CASE("dispatcher: new rules apply to later batches, and alerts name their version") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);  // run_one() waits for the workers' posts
  RecordingSink sink;
  auto v1 = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  auto v2 = pipeline_test::rules_from({{"people", "Sergei Lavrov|Lavrov\n"}});
  REQUIRE(v1->version() != v2->version());
  Dispatcher d(io, 2, {FieldMap{}}, v1, {&sink});
  int done = 0;
  d.consume(batch(1, 0, {article("x", "Blinken and Lavrov.")}), [&] { ++done; });
  while (done < 1) io.run_one();
  d.set_rules(v2);
  d.consume(batch(1, 1, {article("y", "Blinken and Lavrov.")}), [&] { ++done; });
  while (done < 2) io.run_one();
  REQUIRE(sink.alerts.size() == 2);
  CHECK(sink.alerts[0]->rules_version == v1->version());
  CHECK(sink.alerts[1]->rules_version == v2->version());
  CHECK(sink.alerts[0]->id != sink.alerts[1]->id);
}

TEST_CASE("dispatcher: a closed stream drops its pending acknowledgements") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink s1;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 1, {FieldMap{}}, rules, {&s1});
  auto acks = std::make_shared<RecordingAcks>();
  int done = 0;
  auto b0 = batch(5, 0, {article("a1", "Blinken said."), article("n1", "Nothing.")});
  b0.acks = acks;
  d.consume(std::move(b0), [&] { ++done; });
  while (done < 1) io.run_one();
  REQUIRE(s1.alerts.size() == 1);
  CHECK(acks->replies.empty());  // a1 is not sent, n1 waits behind it
  CHECK(d.pending_acks() == 2);
  d.end_stream(5);  // the feed hung up: nothing waits for s1 any more
  CHECK(d.pending_acks() == 0);
  d.on_sent(&s1, s1.alerts[0]);  // a late report is ignored, nothing is written
  CHECK(acks->replies.empty());
  CHECK(d.pending_acks() == 0);
}

TEST_CASE("dispatcher: a sink removed on reload releases its acknowledgements unacked") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink s1, s2;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 1, {FieldMap{}}, rules, {&s1, &s2});
  auto acks = std::make_shared<RecordingAcks>();
  int done = 0;
  auto b0 = batch(6, 0, {article("a1", "Blinken said."), article("n2", "Nothing.")});
  b0.acks = acks;
  d.consume(std::move(b0), [&] { ++done; });
  while (done < 1) io.run_one();
  REQUIRE(s2.alerts.size() == 1);
  d.on_sent(&s1, s1.alerts[0]);
  d.on_sent(&s1, s1.alerts[0]);  // s1 again: s2 still owes a1
  CHECK(acks->replies.empty());
  CHECK(d.pending_acks() == 2);

  // Reload drops s2, which never reported a1: a1 is not acknowledged, n2 is.
  d.set_sinks({&s1});
  CHECK(acks->replies == std::vector<std::string>{"", "{\"ack\":\"n2\"}\n"});
  CHECK(d.pending_acks() == 0);
  d.on_sent(&s2, s2.alerts[0]);  // the retired sink flushing late changes nothing
  CHECK(acks->replies.size() == 2);

  auto b1 = batch(6, 1, {article("a3", "Blinken again.")});
  b1.acks = acks;
  d.consume(std::move(b1), [&] { ++done; });
  while (done < 2) io.run_one();
  REQUIRE(s1.alerts.size() == 2);
  CHECK(s2.alerts.size() == 1);
  d.on_sent(&s1, s1.alerts[1]);
  REQUIRE(acks->replies.size() == 3);
  CHECK(acks->replies[2] == "{\"ack\":\"a3\"}\n");
  d.end_stream(6);
}

TEST_CASE("dispatcher: after abandon() a stream acknowledges nothing more") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink sink;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 1, {FieldMap{}}, rules, {&sink});
  auto acks = std::make_shared<RecordingAcks>();
  int done = 0;
  auto b0 = batch(5, 0, {article("n1", "Nothing."), article("a1", "Blinken said.")});
  b0.acks = acks;
  d.consume(std::move(b0), [&] { ++done; });
  while (done < 1) io.run_one();
  REQUIRE(acks->replies == std::vector<std::string>{"{\"ack\":\"n1\"}\n"});  // a1 not yet sent
  d.abandon();  // shutdown past its grace
  auto b1 = batch(5, 1, {article("n2", "Nothing."), article("a2", "Blinken again.")});
  b1.acks = acks;
  d.consume(std::move(b1), [&] { ++done; });
  while (done < 2) io.run_one();
  CHECK(d.stats().lines_abandoned == 2);
  CHECK(sink.alerts.size() == 1);
  // a1 delivered after its stream lost lines: not acknowledged (the feed resends).
  d.on_sent(&sink, sink.alerts[0]);
  CHECK(acks->replies.size() == 1);
  CHECK(d.pending_acks() == 0);
  d.end_stream(5);
}

TEST_CASE("dispatcher: an undecodable line settles as refused, with the decoder's reason") {
  struct ReasonAcks final : LineAcks {
    void settled(std::optional<std::string_view> id) override {
      got.push_back(id ? "ack:" + std::string(*id) : "none");
    }
    void refused(std::string_view reason) override {
      got.push_back("refused:" + std::string(reason));
    }
    std::vector<std::string> got;
  };
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink s1;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 1, {FieldMap{}}, rules, {&s1});
  auto acks = std::make_shared<ReasonAcks>();
  int done = 0;
  auto b0 = batch(5, 0, {"{broken", "", article("n1", "Nothing."), "{\"uri\":\"x\"}"});
  b0.acks = acks;
  d.consume(std::move(b0), [&] { ++done; });
  while (done < 1) io.run_one();
  // Blank lines settle unacknowledged without a reason (a source may retry them);
  // refused lines say why, so a drop folder can fail the file for good.
  CHECK(acks->got ==
        std::vector<std::string>{"refused:not_json", "none", "ack:n1", "refused:no_text"});
  d.end_stream(5);
}
