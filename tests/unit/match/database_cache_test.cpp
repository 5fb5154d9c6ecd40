// Tests, stage match: the compiled-database cache (CompileOptions::cache_dir). A
// second compile of the same lists loads every shard and matches exactly as a
// fresh compile; a changed list misses and its old files go; a corrupt, truncated
// or foreign file is rejected and replaced; an unwritable folder only costs the
// compile; files that are not the cache's are left alone.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "match_test_util.hpp"

using namespace newshound;
using namespace newshound::test;
namespace fs = std::filesystem;

namespace {

struct CacheDir {
  fs::path path;
  CacheDir() {
    char tmpl[] = "/tmp/newshound-hscache-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = fs::path(tmpl) / "hs-cache";  // not there yet: the first store creates it
  }
  ~CacheDir() { fs::remove_all(path.parent_path()); }
  std::set<std::string> files() const {
    std::set<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(path, ec)) out.insert(e.path().filename());
    return out;
  }
};

const std::string kNames =
    "Sergei Lavrov|Lavrov|Sergey Lavrov\nAntony Blinken|Blinken\nNATO\nGeneva|Genf\n";

std::shared_ptr<const Rules> compile_with(const std::string& names, const fs::path& dir,
                                          std::size_t shard_literals = 40'000) {
  Diagnostics diags;
  CompileOptions options;
  options.cache_dir = dir;
  options.shard_literals = shard_literals;
  auto rules = Rules::compile({list_from(names)}, {}, diags, options);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  REQUIRE(rules != nullptr);
  return rules;
}

const Article kArticle = make_article(
    "LAVROV AND BLINKEN IN GENF", "Sergey Lavrov met Antony Blinken and NATO envoys in Geneva.");

void flip_last_byte(const fs::path& file) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(-1, std::ios::end);
  char c = 0;
  f.get(c);
  f.seekp(-1, std::ios::end);
  f.put(static_cast<char>(c ^ 0x5a));
}

}  // namespace

TEST_CASE("database cache: the second compile loads every shard and matches the same",
          "[match][cache]") {
  CacheDir dir;
  const auto fresh = compile_lists({list_from(kNames)});
  for (const std::size_t shard_literals : {std::size_t{40'000}, std::size_t{2}}) {
    CAPTURE(shard_literals);
    const auto first = compile_with(kNames, dir.path, shard_literals);
    const std::size_t shards = first->databases().size();
    CHECK(first->cache().loaded == 0);
    CHECK(first->cache().stored == shards);
    CHECK(first->cache().error.empty());
    CHECK(dir.files().size() == shards);  // the other shard size's files were pruned
    for (const auto& f : dir.files()) {
      CHECK((fs::status(dir.path / f).permissions() & fs::perms::others_all) == fs::perms::none);
    }

    const auto second = compile_with(kNames, dir.path, shard_literals);
    CHECK(second->cache().loaded == shards);
    CHECK(second->cache().stored == 0);
    CHECK(second->cache().rejected == 0);
    CHECK(second->version() == first->version());
    const auto want = matches_of(fresh, kArticle);
    CHECK(want.size() >= 6);
    CHECK(matches_of(second, kArticle) == want);
  }
}

TEST_CASE("database cache: a changed list misses, and the old list's file is removed",
          "[match][cache]") {
  CacheDir dir;
  compile_with(kNames, dir.path);
  const auto before = dir.files();
  REQUIRE(before.size() == 1);
  const auto changed = compile_with(kNames + "Kyiv|Kiev\n", dir.path);
  CHECK(changed->cache().loaded == 0);
  CHECK(changed->cache().stored == 1);
  const auto after = dir.files();
  REQUIRE(after.size() == 1);
  CHECK(*after.begin() != *before.begin());
  CHECK(matches_of(changed, make_article("", "Kiev")).size() == 1);
}

TEST_CASE("database cache: corrupt, truncated and foreign files are rejected and replaced",
          "[match][cache]") {
  CacheDir dir;
  const auto fresh = compile_lists({list_from(kNames)});
  compile_with(kNames, dir.path);
  REQUIRE(dir.files().size() == 1);
  const fs::path file = dir.path / *dir.files().begin();
  const auto intact_size = fs::file_size(file);

  SECTION("a flipped payload byte fails the checksum") {
    flip_last_byte(file);
  }
  SECTION("a truncated file") {
    fs::resize_file(file, intact_size / 2);
  }
  SECTION("an empty file") {
    fs::resize_file(file, 0);
  }
  SECTION("another list's database under this name") {
    CacheDir other;
    compile_with("Someone Else\n", other.path);
    REQUIRE(other.files().size() == 1);
    fs::copy_file(other.path / *other.files().begin(), file, fs::copy_options::overwrite_existing);
  }
  const auto again = compile_with(kNames, dir.path);
  CHECK(again->cache().loaded == 0);
  CHECK(again->cache().rejected == 1);
  CHECK(again->cache().stored == 1);
  CHECK(fs::file_size(file) == intact_size);  // replaced by a good one
  CHECK(matches_of(again, kArticle) == matches_of(fresh, kArticle));
  CHECK(compile_with(kNames, dir.path)->cache().loaded == 1);
}

TEST_CASE("database cache: an unwritable folder costs only the compile, strangers stay",
          "[match][cache]") {
  CacheDir dir;
  fs::create_directories(dir.path);
  std::ofstream(dir.path / "README").put('x');
  std::ofstream(dir.path / "0123456789abcdef0123456789abcdef.other").put('x');
  compile_with(kNames, dir.path);
  CHECK(dir.files().size() == 3);  // the two strangers and the cache file

  CacheDir blocked;
  fs::create_directories(blocked.path.parent_path());
  std::ofstream(blocked.path).put('x');  // a file where the folder should be
  const auto rules = compile_with(kNames, blocked.path);
  CHECK(rules->cache().stored == 0);
  CHECK(rules->cache().loaded == 0);
  CHECK(rules->cache().error.find(blocked.path.string()) != std::string::npos);
  CHECK(matches_of(rules, kArticle).size() >= 6);
}
