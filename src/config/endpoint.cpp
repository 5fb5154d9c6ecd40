// Config: "host:port" / "[v6]:port" addresses in the config file (endpoint.hpp).
// Syntax only: names are resolved later, at bind/connect time. Errors say what form is expected.
#include <arpa/inet.h>

#include <cctype>

#include "newshound/config/endpoint.hpp"
#include "quote.hpp"

namespace newshound {
namespace {

using config_detail::dq;

constexpr std::string_view kExpected =
    "; expected host:port or [ipv6]:port, e.g. \"127.0.0.1:7301\" or \"[::1]:7301\"";

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool parse_port(std::string_view text, std::string_view port, std::uint16_t& out,
                std::string& error) {
  unsigned long v = 0;
  bool ok = all_digits(port) && port.size() <= 5;
  if (ok) {
    for (char c : port) v = v * 10 + unsigned(c - '0');
    ok = v >= 1 && v <= 65535;
  }
  if (!ok) {
    error = "port " + dq(port) + " in " + dq(text) + " is not a number from 1 to 65535";
    return false;
  }
  out = std::uint16_t(v);
  return true;
}

bool valid_ipv6(std::string_view host) {
  std::string addr(host.substr(0, host.find('%')));
  if (host.find('%') != std::string_view::npos && host.find('%') + 1 == host.size()) return false;
  in6_addr buf;
  return inet_pton(AF_INET6, addr.c_str(), &buf) == 1;
}

// A DNS name or an IPv4 literal.
bool valid_host(std::string_view text, std::string_view host, std::string& error) {
  if (host.size() > 253) {
    error = "host name in " + dq(text) + " is longer than 253 characters";
    return false;
  }
  bool digits_and_dots = true;
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '-' && c != '.' && c != '_') {
      error = "host " + dq(host) + " in " + dq(text) +
              " may only use letters, digits, '-', '.' and '_'" + std::string(kExpected);
      return false;
    }
    if (!std::isdigit(u) && c != '.') digits_and_dots = false;
  }
  if (digits_and_dots) {
    in_addr buf;
    if (inet_pton(AF_INET, std::string(host).c_str(), &buf) != 1) {
      error = dq(host) + " in " + dq(text) + " is not a valid IPv4 address";
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_loopback_host(std::string_view host) noexcept {
  if (host.ends_with('.')) host.remove_suffix(1);
  constexpr std::string_view kLocalhost = "localhost";
  if (host.size() == kLocalhost.size()) {
    bool same = true;
    for (std::size_t i = 0; i < host.size(); ++i)
      same = same && std::tolower(static_cast<unsigned char>(host[i])) == kLocalhost[i];
    if (same) return true;
  }
  char text[INET6_ADDRSTRLEN] = {};
  if (host.empty() || host.size() >= sizeof text) return false;
  host.copy(text, host.size());
  unsigned char addr[16] = {};
  if (inet_pton(AF_INET, text, addr) == 1) return addr[0] == 127;
  if (inet_pton(AF_INET6, text, addr) != 1) return false;
  for (int i = 0; i < 15; ++i)
    if (addr[i] != 0) return false;
  return addr[15] == 1;
}

std::string Endpoint::to_string() const {
  std::string s;
  if (host.find(':') != std::string::npos) {
    s = "[" + host + "]";
  } else {
    s = host;
  }
  s += ':';
  s += std::to_string(port);
  return s;
}

std::optional<Endpoint> parse_endpoint(std::string_view text, std::string& error) {
  Endpoint ep;
  std::string_view port;
  if (text.empty()) {
    error = "empty address" + std::string(kExpected);
    return std::nullopt;
  }
  if (text.find("://") != std::string_view::npos) {
    error = dq(text) + " is a URL; write only the address" + std::string(kExpected);
    return std::nullopt;
  }
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      error = dq(text) + " has no closing ']'" + std::string(kExpected);
      return std::nullopt;
    }
    const std::string_view host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty()) {
      error = "missing port in " + dq(text) + std::string(kExpected);
      return std::nullopt;
    }
    if (rest.front() != ':') {
      error = "expected ':' after ']' in " + dq(text) + std::string(kExpected);
      return std::nullopt;
    }
    if (!valid_ipv6(host)) {
      error = dq(host) + " in " + dq(text) + " is not a valid IPv6 address";
      return std::nullopt;
    }
    ep.host = std::string(host);
    port = rest.substr(1);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      error = "missing port in " + dq(text) + std::string(kExpected);
      return std::nullopt;
    }
    const std::string_view host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) {
      error = "IPv6 address in " + dq(text) + " must be written in brackets, e.g. \"[::1]:7301\"";
      return std::nullopt;
    }
    if (host.empty()) {
      error = "missing host in " + dq(text) +
              "; write \"0.0.0.0:PORT\" or \"[::]:PORT\" for all interfaces" +
              ", \"127.0.0.1:PORT\" for this machine only";
      return std::nullopt;
    }
    if (!valid_host(text, host, error)) return std::nullopt;
    ep.host = std::string(host);
    port = text.substr(colon + 1);
  }
  if (port.empty()) {
    error = "missing port in " + dq(text) + std::string(kExpected);
    return std::nullopt;
  }
  if (!parse_port(text, port, ep.port, error)) return std::nullopt;
  return ep;
}

}  // namespace newshound
