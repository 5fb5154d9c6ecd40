// Stage: decode (tests). The simdjson kernels: listing and switching them, every
// other decode test re-run in a child process under each kernel the CPU has
// (SIMDJSON_FORCE_IMPLEMENTATION), and differential tests that every kernel turns
// the fixtures, the Reuters corpus (when ../shared/corpus is present) and mutated
// copies of both into identical Articles and errors.
#include <catch2/catch.hpp>

#include "gzip_lines.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "feed_lines.hpp"
#include "newshound/decode/decoder.hpp"
#include "newshound/decode/kernel.hpp"

using namespace newshound;

namespace {

/// Restores the active kernel when a test that switches it ends.
struct KernelGuard {
  std::string saved{decode_kernel()};
  ~KernelGuard() { set_decode_kernel(saved); }
};

/// One decoder per kernel, best first, fallback last.
std::vector<std::unique_ptr<Decoder>> decoder_per_kernel(const FieldMap& map = {}) {
  KernelGuard guard;
  std::vector<std::unique_ptr<Decoder>> out;
  for (std::string_view k : decode_kernels()) {
    REQUIRE(set_decode_kernel(k));
    out.push_back(std::make_unique<Decoder>(map));
    REQUIRE(out.back()->kernel() == k);
  }
  return out;
}

/// "" if both decodes agree, else the first difference.
std::string difference(DecodeError ea, const Article& a, DecodeError eb, const Article& b) {
  if (ea != eb) return "error " + std::string(to_string(ea)) + " vs " + std::string(to_string(eb));
  if (ea != DecodeError::ok) return "";
  if (a.id != b.id || a.id_from_hash != b.id_from_hash) return "id: " + a.id + " vs " + b.id;
  if (a.headline != b.headline) return "headline: " + a.headline + " vs " + b.headline;
  if (a.body != b.body || a.body_format != b.body_format) return "body";
  if (a.versioncreated != b.versioncreated) return "versioncreated";
  if (a.language != b.language || a.located != b.located) return "language or located";
  if (a.byline != b.byline || a.type != b.type) return "byline or type";
  return "";
}

/// Decodes `line` with every decoder (fallback last) and fails at the first
/// disagreement. `strict`: all must agree exactly (valid input). Otherwise (mutated
/// input) the SIMD kernels must agree exactly, and fallback must accept what they
/// accept, with the same Article; libsimdjson's fallback stage 1 checks less of the
/// members On-Demand skips, so it may accept a line they reject as not_json, or name
/// another reason. Returns the first decoder's result.
DecodeError check_same(std::vector<std::unique_ptr<Decoder>>& decoders, const std::string& line,
                       bool strict = true) {
  Article want;
  const DecodeError want_err = decoders.front()->decode(line, want);
  for (std::size_t i = 1; i < decoders.size(); ++i) {
    Article got;
    const DecodeError got_err = decoders[i]->decode(line, got);
    const bool lenient = !strict && decoders[i]->kernel() == "fallback";
    if (lenient && want_err != DecodeError::ok) continue;
    const std::string diff = difference(got_err, got, want_err, want);
    if (!diff.empty()) {
      FAIL("kernel " << decoders[i]->kernel() << " vs " << decoders.front()->kernel()
                     << " on line '" << line.substr(0, 120) << "': " << diff);
    }
  }
  return want_err;
}

/// Copies of `line` cut short, with a quote, a backslash, a bracket or an invalid
/// UTF-8 byte put at a position chosen by `seed`: most are errors of some kind.
std::vector<std::string> mutations(const std::string& line, std::size_t seed) {
  std::vector<std::string> out;
  if (line.empty()) return out;
  const std::size_t pos = (seed * 7919 + 13) % line.size();
  out.push_back(line.substr(0, pos));
  for (char c : {'"', '\\', '[', '\xff', '\x01'}) {
    std::string m = line;
    m[pos] = c;
    out.push_back(std::move(m));
  }
  return out;
}

using newshound::testing::read_gzip_lines;

/// Runs this test binary again with `env` prepended, returns its exit status and
/// output (stdout and stderr).
int run_self(const std::string& env, const std::string& args, std::string& output) {
  const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string cmd = env + " '" + exe + "' " + args + " 2>&1";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

const char* const kSampleLine =
    R"({"uri":"urn:x:1","headline":"Caf\u00e9 \"talks\"","body_text":"a\nb\\c"})";

}  // namespace

TEST_CASE("decode: kernels are listed best first and can be switched", "[decode][kernels]") {
  KernelGuard guard;
  const std::vector<std::string_view> kernels = decode_kernels();
  REQUIRE(!kernels.empty());
  CHECK(kernels.back() == "fallback");
  CHECK(decode_kernel() == Decoder().kernel());
  CHECK_FALSE(set_decode_kernel("no-such-kernel"));
  CHECK_FALSE(set_decode_kernel(""));

  REQUIRE(set_decode_kernel("fallback"));
  CHECK(decode_kernel() == "fallback");
  Decoder fallback;
  REQUIRE(set_decode_kernel(kernels.front()));
  Decoder best;
  // A decoder keeps the kernel it was built with, through reallocations too.
  CHECK(fallback.kernel() == "fallback");
  CHECK(best.kernel() == kernels.front());
  Article a;
  const std::string big = R"({"headline":"h","body_text":")" + std::string(100000, 'x') + "\"}";
  for (Decoder* d : {&fallback, &best}) {
    REQUIRE(d->decode(kSampleLine, a) == DecodeError::ok);
    CHECK(a.headline == "Caf\u00e9 \"talks\"");
    CHECK(a.body == "a\nb\\c");
    REQUIRE(d->decode(big, a) == DecodeError::ok);
    CHECK(a.body.size() == 100000);
  }
  CHECK(fallback.kernel() == "fallback");
}

TEST_CASE("decode: the kernel SIMDJSON_FORCE_IMPLEMENTATION names is used", "[decode]") {
  // Set by the re-run below; in a plain run this checks the default choice.
  const char* expect = std::getenv("NEWSHOUND_EXPECT_KERNEL");
  if (expect) CHECK(decode_kernel() == expect);
  CHECK(Decoder().kernel() == decode_kernel());
}

TEST_CASE("decode: every decode test passes under each kernel", "[decode][kernels]") {
  const std::string active(decode_kernel());
  for (std::string_view k : decode_kernels()) {
    if (k == active) continue;  // this run covers it
    const std::string kernel(k);
    std::string out;
    const int rc =
        run_self("SIMDJSON_FORCE_IMPLEMENTATION=" + kernel + " NEWSHOUND_EXPECT_KERNEL=" + kernel,
                 "'[decode]~[kernels]~[corpus]'", out);
    INFO("kernel " << kernel << ", output:\n" << out);
    CHECK(rc == 0);
    // The child ran the tests (not zero of them) and they passed.
    CHECK(out.find("All tests passed") != std::string::npos);
    CHECK(out.find(" test cases)") != std::string::npos);
  }
}

TEST_CASE("decode: an unusable SIMDJSON_FORCE_IMPLEMENTATION falls back to the best kernel",
          "[decode][kernels]") {
  std::string out;
  const int rc = run_self("SIMDJSON_FORCE_IMPLEMENTATION=no-such-kernel", "'[.kernel-bogus]'", out);
  INFO("output:\n" << out);
  CHECK(rc == 0);
  CHECK(out.find("All tests passed") != std::string::npos);
  CHECK(out.find("SIMDJSON_FORCE_IMPLEMENTATION=no-such-kernel") != std::string::npos);
}

// Hidden: run only by the test above, in a child with a bogus kernel name.
TEST_CASE("decode: child with a bogus kernel name still decodes", "[.kernel-bogus]") {
  CHECK(decode_kernel() == decode_kernels().front());
  Decoder d;
  Article a;
  REQUIRE(d.decode(kSampleLine, a) == DecodeError::ok);
  CHECK(a.id == "urn:x:1");
}

TEST_CASE("decode: the depth bound holds at every alignment", "[decode]") {
  // The opener count runs in 64-byte blocks over the padded copy: shift the
  // brackets through one block so every alignment of the line end is tried.
  Decoder d;
  Article a;
  for (std::size_t shift = 0; shift < 64; ++shift) {
    auto nest = [&](std::size_t depth) {
      std::string s = R"({"headline":")" + std::string(shift + 1, 'h') + R"(","x":)";
      s += std::string(depth, '[') + std::string(depth, ']');
      return s + "}";
    };
    INFO("shift " << shift);
    CHECK(d.decode(nest(Decoder::kMaxDepth - 1), a) == DecodeError::ok);
    CHECK(d.decode(nest(Decoder::kMaxDepth), a) == DecodeError::too_deep);
  }
}

TEST_CASE("decode: every kernel decodes the fixtures and their mutations alike",
          "[decode][kernels]") {
  FieldMap custom;
  custom.id = "/meta/id";
  custom.headline = {"/title"};
  custom.body_text = {"/content/text"};
  for (const FieldMap& map : {FieldMap{}, custom}) {
    auto decoders = decoder_per_kernel(map);
    std::size_t seed = 0, ok = 0;
    for (const char* f :
         {"ninjs1.ndjson", "ninjs2.ndjson", "ninjs3.ndjson", "custom.ndjson", "bad.ndjson"}) {
      for (const std::string& line : test::feed_lines(f)) {
        ok += check_same(decoders, line) == DecodeError::ok;
        for (const std::string& m : mutations(line, ++seed)) check_same(decoders, m, false);
      }
    }
    CHECK(ok > 10);
  }
}

TEST_CASE("decode: every kernel decodes the Reuters corpus alike", "[decode][kernels][corpus]") {
  const std::string path = std::string(NEWSHOUND_SHARED_DIR) + "/corpus/reuters21578.ndjson.gz";
  if (!std::filesystem::exists(path)) {
    WARN("SKIPPED: ../shared/corpus/reuters21578.ndjson.gz is absent");
    return;
  }
  const std::vector<std::string> lines = read_gzip_lines(path);
  REQUIRE(lines.size() > 20000);
  auto decoders = decoder_per_kernel();
  std::size_t ok = 0, seed = 0;
  for (const std::string& line : lines) {
    ok += check_same(decoders, line) == DecodeError::ok;
    // Mutate one line in ten: enough error paths, keeps the ASan run short.
    if (++seed % 10 == 0) {
      for (const std::string& m : mutations(line, seed)) check_same(decoders, m, false);
    }
  }
  CHECK(ok > 20000);
}
