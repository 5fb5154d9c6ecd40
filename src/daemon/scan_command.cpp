// Daemon: `newshound scan`, the one-shot grep-like filter: stdin -> pipeline -> stdout.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "newshound/daemon/cli.hpp"
#include "newshound/daemon/commands.hpp"
#include "newshound/daemon/pipeline.hpp"
#include "newshound/daemon/rules_loader.hpp"
#include "newshound/source/line_framer.hpp"

namespace newshound {

namespace {
constexpr std::uint64_t max_reported_bad_lines = 20;

struct ScanCounts {
  std::uint64_t lines = 0, articles = 0, alerts = 0, matches = 0, bad = 0, engine_errors = 0;
};

void report_bad(ScanCounts& c, std::uint64_t line_no, std::string_view reason) {
  if (++c.bad <= max_reported_bad_lines)
    std::fprintf(stderr, "stdin:%llu: skipped: %.*s\n", static_cast<unsigned long long>(line_no),
                 static_cast<int>(reason.size()), reason.data());
  else if (c.bad == max_reported_bad_lines + 1)
    std::fprintf(stderr, "stdin: further bad lines are counted, not shown (see --stats)\n");
}
}  // namespace

int run_scan(const ScanOptions& options) {
  std::vector<WatchlistConfig> lists;
  for (const auto& p : options.watchlists) lists.push_back(WatchlistConfig{p, {}, {}, 0});
  Diagnostics diags;
  auto rules = load_rules(lists, diags);
  if (!rules) {
    for (const auto& d : diags) std::fprintf(stderr, "%s\n", d.format().c_str());
    return exit_error;
  }
  PipelineWorker worker({FieldMap{}}, rules, options.reference);
  LineFramer framer(options.max_line_bytes);
  ScanCounts c;
  std::uint64_t line_no = 0;

  auto handle = [&](LineFramer::Event ev, std::string_view line) {
    ++line_no;
    if (ev == LineFramer::Event::oversize) {
      report_bad(c, line_no, "too_large (raise --max-line-bytes)");
      return;
    }
    Outcome o = worker.process(line, Clock::now());
    switch (o.kind) {
      case Outcome::Kind::skipped:
        return;
      case Outcome::Kind::bad_line:
        ++c.lines;
        report_bad(c, line_no, to_string(o.error));
        return;
      case Outcome::Kind::engine_error:
        ++c.lines, ++c.articles, ++c.engine_errors;
        std::fprintf(stderr, "stdin:%llu: matcher failed on this article\n",
                     static_cast<unsigned long long>(line_no));
        return;
      case Outcome::Kind::no_match:
        ++c.lines, ++c.articles;
        return;
      case Outcome::Kind::alert:
        ++c.lines, ++c.articles, ++c.alerts;
        c.matches += o.matches;
        std::fwrite(o.alert->json.data(), 1, o.alert->json.size(), stdout);
        return;
    }
  };

  for (;;) {
    auto space = framer.prepare();
    ssize_t n = ::read(STDIN_FILENO, space.data(), space.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::fprintf(stderr, "newshound scan: reading stdin failed: %s\n", std::strerror(errno));
      return exit_error;
    }
    std::string_view line;
    LineFramer::Event ev;
    if (n == 0) {
      while ((ev = framer.finish(line)) != LineFramer::Event::need_more) handle(ev, line);
      break;
    }
    framer.commit(static_cast<std::size_t>(n));
    while ((ev = framer.next(line)) != LineFramer::Event::need_more) handle(ev, line);
  }
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "newshound scan: writing stdout failed: %s\n", std::strerror(errno));
    return exit_error;
  }
  if (options.stats)
    std::fprintf(stderr,
                 "lines %llu, articles %llu, alerts %llu, matches %llu, bad lines %llu, matcher "
                 "failures %llu; rules version %s\n",
                 static_cast<unsigned long long>(c.lines),
                 static_cast<unsigned long long>(c.articles),
                 static_cast<unsigned long long>(c.alerts),
                 static_cast<unsigned long long>(c.matches), static_cast<unsigned long long>(c.bad),
                 static_cast<unsigned long long>(c.engine_errors), rules->version().c_str());
  return c.alerts > 0 ? exit_ok : exit_no_alert;
}

}  // namespace newshound
