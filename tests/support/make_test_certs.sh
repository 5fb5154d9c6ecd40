#!/usr/bin/env bash
# Tests: makes throw-away TLS certificates with the openssl command into $1 (a
# temp folder), for the TLS tests (tests/unit/net, tests/unit/sink, tests/e2e):
#   ca.pem/ca.key            a CA
#   server.pem/server.key    from ca, for 127.0.0.1, ::1 and localhost (IP and DNS SANs)
#   client.pem/client.key    from ca, CN and DNS SAN feed-client.example.net
#   other-ca.pem             a second CA, and other-server.pem/.key from it (127.0.0.1)
#   expired.pem/expired.key  from ca, for 127.0.0.1, expired yesterday
#   soon.pem/soon.key        from ca, for 127.0.0.1, expiring in 5 days
#   named.pem/named.key      from ca, only for feeds.example.net (a wrong host name)
# EC P-256 keys: fast to make. Exits non-zero if openssl fails.
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
ca() {  # name subject
  key "$1"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 30 -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
leaf() {  # name ca days subject-alt-names usage
  key "$1"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$1"
  printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$4" "$5" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days "$3" \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
ca ca "newshound test CA"
ca other-ca "another test CA"
leaf server ca 30 "IP:127.0.0.1,IP:::1,DNS:localhost" serverAuth
leaf other-server other-ca 30 "IP:127.0.0.1,DNS:localhost" serverAuth
leaf expired ca -1 "IP:127.0.0.1,DNS:localhost" serverAuth
leaf soon ca 5 "IP:127.0.0.1,DNS:localhost" serverAuth
leaf named ca 30 "DNS:feeds.example.net" serverAuth
key client
openssl req -new -key client.key -out client.csr -subj "/CN=feed-client.example.net"
printf 'subjectAltName=DNS:feed-client.example.net\nextendedKeyUsage=clientAuth\n' >client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile client.ext -out client.pem 2>/dev/null
rm -f client.csr client.ext
