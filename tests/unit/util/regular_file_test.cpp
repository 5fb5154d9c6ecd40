// Tests (util): special_file_kind names FIFOs and devices (not folders, missing
// paths or regular files); open_append_regular opens regular files and refuses a
// FIFO without blocking, with or without a reader at its other end.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "newshound/util/regular_file.hpp"

using namespace newshound;
namespace fs = std::filesystem;

namespace {
struct Scratch {
  fs::path dir;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "newshound-regular-XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};
}  // namespace

TEST_CASE("special_file_kind: FIFOs and devices, not files, folders or missing paths") {
  Scratch s;
  REQUIRE(::mkfifo((s.dir / "fifo").c_str(), 0600) == 0);
  CHECK(special_file_kind(s.dir / "fifo") == "a FIFO (named pipe)");
  CHECK(special_file_kind("/dev/null") == "a character device");
  CHECK(special_file_kind(s.dir).empty());
  CHECK(special_file_kind(s.dir / "missing").empty());
  std::string error;
  const int fd = open_append_regular(s.dir / "file", 0640, error);
  REQUIRE(fd >= 0);
  CHECK((::fcntl(fd, F_GETFL) & O_NONBLOCK) == 0);
  ::close(fd);
  CHECK(special_file_kind(s.dir / "file").empty());
}

TEST_CASE("open_append_regular refuses a FIFO at once, with or without a reader") {
  Scratch s;
  const fs::path fifo = s.dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string error;
  CHECK(open_append_regular(fifo, 0640, error) == -1);  // no reader: would block
  CHECK(error == "it is a FIFO (named pipe), not a regular file");
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  error.clear();
  CHECK(open_append_regular(fifo, 0640, error) == -1);  // a reader: opens, then refused
  CHECK(error == "it is a FIFO (named pipe), not a regular file");
  ::close(reader);
  error.clear();
  CHECK(open_append_regular("/dev/null", 0640, error) == -1);
  CHECK(error == "it is a character device, not a regular file");
}
