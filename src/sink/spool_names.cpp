// Stage: sink. Which file names belong to a spool folder; shared by spool
// recovery and the config's spool_dir check (and so kept free of any I/O).
#include "newshound/sink/spool.hpp"
#include "spool_format.hpp"

namespace newshound {

bool is_spool_file_name(const std::string& name) {
  return spool_format::seq_of(name) != 0 || name == "cursor" || name == "cursor.tmp" ||
         name == "lock" || name.ends_with(".corrupt");
}

}  // namespace newshound
