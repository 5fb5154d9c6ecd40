// Tests (daemon): a scoped environment variable, for code that reads its
// environment (NOTIFY_SOCKET, WATCHDOG_USEC, JOURNAL_STREAM).
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace daemon_test {

/// Sets (or unsets) one environment variable for the scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace daemon_test
