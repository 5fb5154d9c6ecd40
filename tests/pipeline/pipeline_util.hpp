// Tests (pipeline): helpers to build rules from inline watch-list text and to run
// lines through the real in-process pipeline.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "newshound/dispatch/pipeline_worker.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/match/watchlist.hpp"

namespace pipeline_test {

inline std::shared_ptr<const newshound::Rules> rules_from(
    const std::vector<std::pair<std::string, std::string>>& lists) {
  std::vector<newshound::WatchList> wls;
  newshound::Diagnostics diags;
  for (const auto& [name, text] : lists) {
    newshound::WatchList wl;
    wl.name = name;
    wl.tags = {name};
    newshound::parse_names(text, name + ".names", wl, diags);
    wls.push_back(std::move(wl));
  }
  auto rules = newshound::Rules::compile(wls, diags);
  if (!diags.empty()) throw std::runtime_error(diags.front().format());
  return rules;
}

/// Canonical names of the entities the last processed article matched.
inline std::set<std::string> entities(const newshound::PipelineWorker& w) {
  std::set<std::string> out;
  for (const auto& m : w.last_matches().matches)
    out.insert(w.rules().entities()[m.entity].canonical);
  return out;
}

inline bool shared_dir_present(const std::string& sub) {
  return std::filesystem::exists(std::filesystem::path(NEWSHOUND_SHARED_DIR) / sub);
}

}  // namespace pipeline_test
