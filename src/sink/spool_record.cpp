// Stage: sink. The payload of one spool record (see spooling_sink.hpp):
// encode_spool_record / decode_spool_record, what a restart needs to rebuild an alert.
#include "newshound/sink/spooling_sink.hpp"

namespace newshound {

namespace {

constexpr char kRecordVersion = 1;

void put_field(std::string& out, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out.append(s);
}

bool get_field(std::string_view& in, std::string& out) {
  if (in.size() < 4) return false;
  std::uint32_t n = 0;
  for (int i = 3; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(in[std::size_t(i)]);
  in.remove_prefix(4);
  if (in.size() < n) return false;
  out.assign(in.data(), n);
  in.remove_prefix(n);
  return true;
}

}  // namespace

void encode_spool_record(const Alert& alert, std::string& out) {
  out.clear();
  out.push_back(kRecordVersion);
  put_field(out, alert.id);
  put_field(out, alert.article);
  put_field(out, alert.rules_version);
  out.append(alert.json);
}

std::shared_ptr<Alert> decode_spool_record(std::string_view in) {
  if (in.empty() || in.front() != kRecordVersion) return nullptr;
  in.remove_prefix(1);
  auto a = std::make_shared<Alert>();
  if (!get_field(in, a->id) || !get_field(in, a->article) || !get_field(in, a->rules_version) ||
      in.empty() || in.back() != '\n')
    return nullptr;
  a->json.assign(in.data(), in.size());
  a->received_at = Clock::now();
  return a;
}

}  // namespace newshound
