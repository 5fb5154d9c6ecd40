// Tests (any stage): the TLS certificates of tests/support/make_test_certs.sh,
// made once per test process into a temp folder (removed at exit) by the
// openssl command. See the script for the files and what each is for.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace testcerts {

/// The folder holding ca.pem, server.pem/.key, client.pem/.key, other-ca.pem,
/// other-server.pem/.key, expired.pem/.key, soon.pem/.key, named.pem/.key.
/// Throws std::runtime_error if the script fails (no openssl command).
inline const std::filesystem::path& dir() {
  static const std::filesystem::path d = [] {
    const auto p =
        std::filesystem::temp_directory_path() / ("newshound-certs-" + std::to_string(::getpid()));
    const std::string cmd = std::string(NEWSHOUND_SOURCE_DIR) +
                            "/tests/support/make_test_certs.sh '" + p.string() + "'";
    if (std::system(cmd.c_str()) != 0)
      throw std::runtime_error("tests/support/make_test_certs.sh failed (is openssl installed?)");
    static const std::filesystem::path keep = p;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(keep, ec);
    });
    return p;
  }();
  return d;
}

/// dir() / name, e.g. file("server.pem").
inline std::filesystem::path file(const std::string& name) {
  return dir() / name;
}

}  // namespace testcerts
