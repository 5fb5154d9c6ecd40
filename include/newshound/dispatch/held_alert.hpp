// Stage: dispatch. What an embargoed version leaves with the lifecycle while it is
// held (the hold's payload, persisted by the stories store): the encoded alert,
// its cuts, the names of its lists (routed at release against the rules then in
// force) and its story members; or, for an embargoed version of an alerted article
// that matches nothing, what its retraction will say. Packed into one string.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/encode/alert.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/stories/article_version.hpp"

namespace newshound {

/// A held version, unpacked at release.
struct HeldAlert {
  /// The alert (null: the version matched nothing, a retraction at most), its
  /// cuts included, story members as filed; Alert::lists index `list_names`.
  std::shared_ptr<Alert> alert;
  std::vector<std::string> list_names;  ///< every list the alert and its cuts name
  std::string story_id, duplicate_of;
  std::uint32_t copies = 0;
  ArticleVersion version;  ///< what a retraction says (ids, headline, urgency, times)
  std::string rules_version;
};

/// Packs `alert` (may be null) with the names of its lists in `rules`, its story
/// and `version` (its headline, ids, urgency, received_at). Never throws except
/// std::bad_alloc.
std::string pack_held(const Alert* alert, const Rules* rules, const AlertStory& story,
                      const ArticleVersionView& version, std::string_view rules_version);

/// The held version `payload` packed; nothing when it is not one (a store written
/// by another build): the hold is then dropped. Never throws except std::bad_alloc.
std::optional<HeldAlert> unpack_held(std::string_view payload);

/// Points the lists of `alert` (and its cuts), indexes into `names` (an unpacked
/// HeldAlert's list_names), at `rules`' lists of the same names; names `rules` no
/// longer has are left out. Only for an alert not shared yet. Never throws except
/// std::bad_alloc.
void relist_held(Alert& alert, const std::vector<std::string>& names, const Rules& rules);

}  // namespace newshound
