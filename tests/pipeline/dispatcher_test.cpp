// Tests (pipeline): the worker pool end to end without sockets: batches in, alerts
// out to a recording sink, in each stream's arrival order, bad lines counted.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "newshound/daemon/dispatcher.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;

namespace {
class RecordingSink final : public Sink {
 public:
  const std::string& name() const override { return name_; }
  void start() override {}
  bool submit(std::shared_ptr<const Alert> a) override {
    if (full) return false;
    alerts.push_back(std::move(a));
    return true;
  }
  void stop(std::chrono::milliseconds, std::function<void()> done) override { done(); }
  SinkStats stats() const override { return {}; }
  std::vector<std::shared_ptr<const Alert>> alerts;
  bool full = false;

 private:
  std::string name_ = "recording";
};

std::string article(const std::string& id, const std::string& body) {
  boost::json::object o;
  o["uri"] = id;
  o["body_text"] = body;
  return boost::json::serialize(o);
}

LineBatch batch(std::uint64_t stream, std::uint64_t seq, const std::vector<std::string>& lines) {
  LineBatch b;
  b.stream = stream;
  b.seq = seq;
  b.received_at = Clock::now();
  for (const auto& l : lines) b.add(l);
  return b;
}
}  // namespace

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

TEST_CASE("dispatcher: a full sink rejects, the rest still receive, rejections are counted") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);  // run_one() waits for the workers' posts
  RecordingSink ok, full;
  full.full = true;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 1, {FieldMap{}}, rules, {&ok, &full});
  bool done = false;
  d.consume(batch(7, 0, {article("a", "Blinken said."), article("b", "Blinken again.")}),
            [&] { done = true; });
  while (!done) io.run_one();
  CHECK(ok.alerts.size() == 2);
  CHECK(d.stats().alerts_rejected == 2);
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
