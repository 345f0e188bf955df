#!/usr/bin/env bash
# run-e2e.sh: the JsSIP end-to-end suite (e2e.mjs), as `meson test --suite e2e`
# runs it.  Output is TAP.
#
# Checks that everything the suite needs is there -- and fails, never skips,
# when it is not -- then runs e2e.mjs in a network namespace of its own with
# only a loopback interface, so that WebRTC media between the two Chromium
# pages flows over 127.0.0.1 and no packet leaves the host.
#
#   run-e2e.sh [--server ws://HOST:PORT/PATH] [--domain DOMAIN] [--no-netns]
#
# Environment (options win):
#   SWS_E2E_SERVER     test that SIP-over-WebSocket server instead of starting
#                      sipwsd; the D-Bus checks are then skipped, and said so
#   SWS_E2E_DOMAIN     domain of the test AORs (default example.com)
#   SWS_E2E_NETNS      0 to run without a network namespace
#   SWS_E2E_CHROMIUM   the browser (default /usr/bin/chromium)
#   SWS_DAEMON, SWS_CTL, SWS_E2E_BUILDDIR   set by tests/e2e/meson.build
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

bail() {
  printf 'Bail out! %s\n' "$*"
  exit 1
}

while [ $# -gt 0 ]; do
  case $1 in
    --server) [ $# -ge 2 ] || bail "--server needs a ws:// URI"; SWS_E2E_SERVER=$2; shift 2 ;;
    --server=*) SWS_E2E_SERVER=${1#--server=}; shift ;;
    --domain) [ $# -ge 2 ] || bail "--domain needs a value"; SWS_E2E_DOMAIN=$2; shift 2 ;;
    --domain=*) SWS_E2E_DOMAIN=${1#--domain=}; shift ;;
    --no-netns) SWS_E2E_NETNS=0; shift ;;
    *) bail "unknown argument: $1 (see the header of tests/e2e/run-e2e.sh)" ;;
  esac
done
export SWS_E2E_SERVER=${SWS_E2E_SERVER:-}
export SWS_E2E_DOMAIN=${SWS_E2E_DOMAIN:-example.com}

# What tools/test installs (tools/lib.sh): a missing piece is a failure.
command -v node >/dev/null 2>&1 ||
  bail "node is not installed (tools/test installs Debian's nodejs and npm)"
for module in playwright-core esbuild jssip; do
  [ -f "$here/node_modules/$module/package.json" ] ||
    bail "tests/e2e/node_modules/$module is missing: run 'npm ci' in tests/e2e (tools/test does)"
done
chromium=${SWS_E2E_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] ||
  bail "$chromium is not installed (tools/test installs Debian's chromium package)"
export SWS_E2E_CHROMIUM=$chromium

if [ "${SWS_E2E_NETNS:-1}" = 0 ]; then
  exec node "$here/e2e.mjs"
fi

command -v unshare >/dev/null 2>&1 || bail "unshare (util-linux) is not installed"
command -v ip >/dev/null 2>&1 || bail "ip (iproute2) is not installed (tools/test installs it)"
# As root a plain network namespace; otherwise inside a user namespace
# where we are root too.
unshare_opts=(--net)
[ "$(id -u)" -eq 0 ] || unshare_opts=(--map-root-user --net)
unshare "${unshare_opts[@]}" true 2>/dev/null ||
  bail "cannot create a network namespace (unshare ${unshare_opts[*]}); SWS_E2E_NETNS=0 runs without one"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sws-e2e-relay.XXXXXX")
relay_pid=
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -n "$relay_pid" ]; then
    kill "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Another server lives outside the namespace: reach it through a Unix
# socket, which e2e.mjs turns back into a loopback port inside.
if [ -n "$SWS_E2E_SERVER" ]; then
  case $SWS_E2E_SERVER in
    ws://*) ;;
    *) bail "SWS_E2E_SERVER must be a ws:// URI in a namespace (SWS_E2E_NETNS=0 for wss://)" ;;
  esac
  node "$here/relay.mjs" "unix:$tmp/relay.sock" "$SWS_E2E_SERVER" >"$tmp/relay.out" 2>&1 &
  relay_pid=$!
  for _ in $(seq 50); do
    grep -qx ready "$tmp/relay.out" 2>/dev/null && break
    kill -0 "$relay_pid" 2>/dev/null || bail "the relay to $SWS_E2E_SERVER failed: $(cat "$tmp/relay.out")"
    sleep 0.1
  done
  grep -qx ready "$tmp/relay.out" || bail "the relay to $SWS_E2E_SERVER did not start"
  export SWS_E2E_RELAY_SOCKET=$tmp/relay.sock
fi

export SWS_E2E_NETNS=inside
status=0
# shellcheck disable=SC2016  # $1 is for the inner sh
unshare "${unshare_opts[@]}" -- sh -c 'ip link set lo up && exec node "$1"' sh "$here/e2e.mjs" ||
  status=$?
exit "$status"
