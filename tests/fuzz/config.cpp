// Fuzzing: the config library's loader. The input is written to one temporary
// TOML file (created once per process, rewritten per input) and loaded with
// load_config. Checks: a config comes back exactly when there is no diagnostic,
// every diagnostic names the file and a line inside it, loaded values are sane.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "newshound/config/config.hpp"

using namespace newshound;

namespace {

// A private folder with one config file in it, removed at exit.
struct TempConfig {
  std::filesystem::path dir;
  std::filesystem::path file;
  TempConfig() {
    const char* tmp = std::getenv("TMPDIR");
    std::string d = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                    "/newshound-fuzz-config-XXXXXX";
    if (mkdtemp(d.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    dir = d;
    file = dir / "newshound.toml";
  }
  ~TempConfig() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

const std::filesystem::path& config_path() {
  static const TempConfig temp;
  return temp.file;
}

void write_file(const std::filesystem::path& p, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(p.c_str(), "wb");
  FUZZ_CHECK(f != nullptr);
  FUZZ_CHECK(size == 0 || std::fwrite(data, 1, size, f) == size);
  FUZZ_CHECK(std::fclose(f) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path& path = config_path();
  write_file(path, data, size);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t lines =
      static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;

  Diagnostics diags;
  const std::optional<Config> cfg = load_config(path, diags);
  FUZZ_CHECK(cfg.has_value() == diags.empty());
  for (const Diagnostic& d : diags) {
    FUZZ_CHECK(!d.message.empty());
    FUZZ_CHECK(d.line <= lines);
    (void)d.format();
  }
  if (!cfg) return 0;
  for (const InputConfig& in : cfg->inputs) {
    FUZZ_CHECK(!in.tcp.host.empty() && in.tcp.port != 0);  // `listen` or `connect` was read
    FUZZ_CHECK(in.tcp.max_line_bytes > 0);
    FUZZ_CHECK(in.line >= 1 && in.line <= lines);
    FUZZ_CHECK(in.same_settings(in));
    (void)in.endpoint().to_string();
  }
  for (const OutputConfig& out : cfg->outputs) {
    FUZZ_CHECK(out.line >= 1 && out.line <= lines);
    FUZZ_CHECK(out.same_settings(out));
  }
  for (const WatchlistConfig& w : cfg->watchlists) {
    FUZZ_CHECK(w.line >= 1 && w.line <= lines);
    FUZZ_CHECK(!w.path.empty());
  }
  return 0;
}
