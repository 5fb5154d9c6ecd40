// Tests (source): the drop folder in-process, with a consumer that settles each
// record as its content says (accepted, refused by the decoder, or not accepted):
// files already there and files written later (renamed in from *.tmp, written in
// place slowly) are read once and moved to done_dir; a refused record sends the
// file to failed_dir with a reason naming its line; a record not accepted leaves
// the file to be read again; at most max_files_inflight files are in flight.
#include <boost/asio.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "newshound/source/directory_input.hpp"

using namespace newshound;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {
struct Scratch {
  fs::path path;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "newshound-dirin-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};
void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}
std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Settles every record at once ("BAD" refused, "RETRY" not accepted, else
/// accepted), unless `hold`: then the batches wait for release().
struct SettlingConsumer final : LineConsumer {
  void consume(LineBatch batch, std::function<void()> done) override {
    ++batches;
    records += batch.lines.size();
    if (hold) {
      held.push_back(std::move(batch));
    } else {
      settle(batch);
    }
    done();
  }
  void end_stream(std::uint64_t) override { ++ended; }
  void settle(const LineBatch& b) {
    for (std::size_t i = 0; i < b.lines.size(); ++i) {
      const std::string_view line = b.line(i);
      if (line.find("BAD") != std::string_view::npos)
        b.acks->refused("not_json");
      else if (line.find("RETRY") != std::string_view::npos && retries-- > 0)
        b.acks->settled(std::nullopt);
      else
        b.acks->settled("id");
    }
  }
  void release() {
    auto h = std::move(held);
    held.clear();
    for (auto& b : h) settle(b);
  }
  bool hold = false;
  int retries = 1;
  std::vector<LineBatch> held;
  std::size_t batches = 0, records = 0, ended = 0;
};

DirectoryInputOptions options(const fs::path& dir) {
  DirectoryInputOptions o;
  o.name = "drop";
  o.path = dir;
  o.done_dir = dir / ".done";
  o.failed_dir = dir / ".failed";
  o.max_file_bytes = 1 << 20;
  o.retry = std::chrono::milliseconds(50);
  return o;
}

bool run_until(asio::io_context& io, const std::function<bool()>& pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!pred() && std::chrono::steady_clock::now() < until)
    io.run_for(std::chrono::milliseconds(5));
  return pred();
}
}  // namespace

TEST_CASE("directory input: files there at start and dropped later are read once and moved") {
  Scratch s;
  write(s.path / "old.json", R"({"guid":"old"})");
  write(s.path / ".hidden", R"({"guid":"h"})");
  asio::io_context io;
  SettlingConsumer c;
  DirectoryInput in(io, options(s.path), c);
  REQUIRE(in.bind().empty());
  in.start();
  REQUIRE(run_until(io, [&] { return fs::exists(s.path / ".done" / "old.json"); }));

  // Written as .tmp, then renamed in: read only after the rename.
  write(s.path / "new.json.tmp", "{\"guid\":\"a\"}\n{\"guid\":\"b\"}\n");
  io.run_for(std::chrono::milliseconds(50));
  CHECK(c.batches == 1);
  fs::rename(s.path / "new.json.tmp", s.path / "new.json");
  REQUIRE(run_until(io, [&] { return fs::exists(s.path / ".done" / "new.json"); }));

  // Written in place slowly: read only once closed.
  {
    std::ofstream slow(s.path / "slow.json", std::ios::binary);
    slow << "{\"guid\":" << std::flush;
    io.run_for(std::chrono::milliseconds(100));
    slow << "\"slow\"}";
  }
  REQUIRE(run_until(io, [&] { return fs::exists(s.path / ".done" / "slow.json"); }));
  CHECK(c.batches == 3);
  CHECK(c.records == 4);
  CHECK(c.ended == 3);
  CHECK(fs::exists(s.path / ".hidden"));
  CHECK(in.stats().done == 3);
  CHECK(in.stats().in_flight == 0);
}

TEST_CASE("directory input: a refused record fails the file with a reason, FIFOs are refused") {
  Scratch s;
  asio::io_context io;
  SettlingConsumer c;
  DirectoryInput in(io, options(s.path), c);
  REQUIRE(in.bind().empty());
  in.start();
  write(s.path / "mixed.json", "{\"ok\":1}\n\n{BAD}\n");
  REQUIRE(::mkfifo((s.path / "pipe").c_str(), 0600) == 0);
  write(s.path / "empty.json", "  \n");
  REQUIRE(run_until(io, [&] { return in.stats().failed == 2; }));
  CHECK(slurp(s.path / ".failed" / "mixed.json.reason") ==
        "mixed.json: line 3: not_json\nmixed.json: the other 1 record(s) were accepted\n");
  CHECK(slurp(s.path / ".failed" / "empty.json.reason").find("empty") != std::string::npos);
  // The FIFO made no event (never opened for writing): a rescan finds it; a
  // second input instance rescans at start.
  DirectoryInput again(io, options(s.path), c);
  REQUIRE(again.bind().empty());
  again.start();
  REQUIRE(run_until(io, [&] { return fs::exists(s.path / ".failed" / "pipe.reason"); }));
  CHECK(slurp(s.path / ".failed" / "pipe.reason").find("FIFO") != std::string::npos);
}

TEST_CASE("directory input: a record not accepted leaves the file to be read again") {
  Scratch s;
  write(s.path / "r.json", R"({"guid":"RETRY"})");
  asio::io_context io;
  SettlingConsumer c;
  auto o = options(s.path);
  o.delete_done = true;
  DirectoryInput in(io, o, c);
  REQUIRE(in.bind().empty());
  in.start();
  REQUIRE(run_until(io, [&] { return !fs::exists(s.path / "r.json"); }));
  CHECK(c.batches == 2);
  CHECK(in.stats().retried == 1);
  CHECK(in.stats().done == 1);
  CHECK_FALSE(fs::exists(s.path / ".done"));  // delete = true: no done_dir needed
}

TEST_CASE("directory input: at most max_files_inflight files in flight") {
  Scratch s;
  for (int i = 0; i < 5; ++i) write(s.path / ("f" + std::to_string(i)), "{\"a\":1}");
  asio::io_context io;
  SettlingConsumer c;
  c.hold = true;
  auto o = options(s.path);
  o.max_files_inflight = 2;
  DirectoryInput in(io, o, c);
  REQUIRE(in.bind().empty());
  in.start();
  io.run_for(std::chrono::milliseconds(50));
  CHECK(c.batches == 2);
  CHECK(in.stats().in_flight == 2);
  REQUIRE(run_until(io, [&] {
    c.release();
    return in.stats().done == 5;
  }));
  CHECK(c.batches == 5);
}

TEST_CASE("directory input: bind refuses a missing folder") {
  Scratch s;
  asio::io_context io;
  SettlingConsumer c;
  DirectoryInput in(io, options(s.path / "missing"), c);
  CHECK(in.bind().starts_with("path: "));
}
