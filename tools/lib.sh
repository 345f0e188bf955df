# shellcheck shell=bash
# Shared set-up of tools/run and tools/test, sourced by both:
#   sws_install_deps   install what is missing to build and test (Debian 12),
#                      and the end-to-end suite's node packages (tests/e2e)
#   sws_build          configure build/ if needed and compile it
#
# Environment:
#   SWS_BUILD_DIR   build directory (default: build/ in the source tree)
#   SWS_JOBS        parallel compile jobs (default: 2, the size of our machines)
#   SWS_NO_INSTALL  set to 1 to never call apt-get or npm
#   SWS_FUZZ_DEPS   1 to install clang and libFuzzer (tools/fuzz sets it)
#   SWS_E2E_DEPS    1 to install what the e2e suite needs (Chromium, node, the
#                   packages of tests/e2e/package-lock.json); default 1 for
#                   tools/test, 0 for tools/run

SWS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SWS_BUILD_DIR=${SWS_BUILD_DIR:-$SWS_ROOT/build}
SWS_JOBS=${SWS_JOBS:-2}
if [ "$(basename "$0")" = test ]; then
  SWS_E2E_DEPS=${SWS_E2E_DEPS:-1}
else
  SWS_E2E_DEPS=${SWS_E2E_DEPS:-0}
fi

# Build tools and libraries, plus what the test suites need at run time
# (dbus-daemon/dbus-bin for private-bus tests, systemd for busctl,
# glib-networking for wss://, openssl to make the wss:// test's certificate).
SWS_DEB_PACKAGES=(
  gcc
  libc6-dev
  meson
  ninja-build
  pkg-config
  libglib2.0-dev
  libglib2.0-dev-bin
  libsoup-3.0-dev
  libjson-glib-dev
  gettext
  glib-networking
  openssl
  dbus-daemon
  dbus-bin
  systemd
  groff-base
)

# The end-to-end suite (tests/e2e): Debian's headless-capable Chromium,
# driven by playwright-core under node, in a network namespace made with
# unshare and brought up with ip. node and npm are added when missing only:
# a node installed otherwise (with its own npm) is kept.
SWS_E2E_DEB_PACKAGES=(
  chromium
  iproute2
  util-linux
)

# libFuzzer (tools/fuzz): clang and the runtime that holds libFuzzer and
# the sanitizers for it, installed only when fuzzing (SWS_FUZZ_DEPS=1).
SWS_FUZZ_DEB_PACKAGES=(
  clang
  libclang-rt-14-dev
)

sws_log() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
}

sws_die() {
  sws_log "error: $*"
  exit 1
}

# Prints the Debian packages wanted, one a line.
sws_wanted_packages() {
  printf '%s\n' "${SWS_DEB_PACKAGES[@]}"
  if [ "$SWS_E2E_DEPS" = 1 ]; then
    printf '%s\n' "${SWS_E2E_DEB_PACKAGES[@]}"
    command -v node >/dev/null 2>&1 || printf '%s\n' nodejs
    command -v npm >/dev/null 2>&1 || printf '%s\n' npm
  fi
  if [ "${SWS_FUZZ_DEPS:-0}" = 1 ]; then
    printf '%s\n' "${SWS_FUZZ_DEB_PACKAGES[@]}"
  fi
}

# Prints the wanted packages that are not installed, one a line.
# One dpkg-query for all of them: unknown packages print nothing.
sws_missing_packages() {
  local -a wanted
  mapfile -t wanted < <(sws_wanted_packages)
  local installed
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null |
    awk '$2 == "install" && $3 == "ok" && $4 == "installed" { print $1 }' || true)
  local pkg
  for pkg in "${wanted[@]}"; do
    if ! grep -qxF "$pkg" <<<"$installed"; then
      printf '%s\n' "$pkg"
    fi
  done
}

sws_install_deps() {
  local -a missing sudo=()

  if [ "${SWS_NO_INSTALL:-0}" = 1 ]; then
    return 0
  fi
  if ! command -v dpkg-query >/dev/null 2>&1; then
    sws_log "not a Debian system: install by hand: $(sws_wanted_packages | tr '\n' ' ')"
    sws_install_node_modules
    return 0
  fi

  mapfile -t missing < <(sws_missing_packages)
  if [ "${#missing[@]}" -eq 0 ]; then
    sws_install_node_modules
    return 0
  fi

  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 ||
      sws_die "missing packages (${missing[*]}) and no sudo to install them"
    sudo=(sudo)
  fi

  sws_log "installing: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
    sws_die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null ||
    sws_die "apt-get install failed"
  sws_install_node_modules
}

# `npm ci` in tests/e2e: exactly the versions of the committed lockfile,
# again only when the lockfile changed since the last install. A failure
# leaves the e2e suite to fail, with its reason, while the others run.
sws_install_node_modules() {
  local dir=$SWS_ROOT/tests/e2e
  local stamp=$dir/node_modules/.sipws-package-lock.json

  if [ "$SWS_E2E_DEPS" != 1 ] || [ ! -f "$dir/package-lock.json" ]; then
    return 0
  fi
  if cmp -s "$dir/package-lock.json" "$stamp"; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    sws_log "warning: no npm to install tests/e2e/node_modules: the e2e suite will fail"
    return 0
  fi
  sws_log "installing the e2e suite's node packages (npm ci in tests/e2e)"
  if (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error </dev/null); then
    cp "$dir/package-lock.json" "$stamp"
  else
    sws_log "warning: npm ci failed in tests/e2e: the e2e suite will fail"
  fi
}

sws_build() {
  cd "$SWS_ROOT" || sws_die "cannot enter $SWS_ROOT"

  if [ -f "$SWS_BUILD_DIR/build.ninja" ]; then
    # Configured: ninja re-runs meson by itself when a meson.build changed.
    :
  elif [ -f "$SWS_BUILD_DIR/meson-private/coredata.dat" ]; then
    sws_log "reconfiguring $SWS_BUILD_DIR"
    meson setup --reconfigure "$SWS_BUILD_DIR" || sws_die "meson setup failed"
  else
    sws_log "configuring $SWS_BUILD_DIR"
    meson setup "$SWS_BUILD_DIR" || sws_die "meson setup failed"
  fi

  meson compile -C "$SWS_BUILD_DIR" -j "$SWS_JOBS" || sws_die "build failed"
}

sws_setup() {
  sws_install_deps
  sws_build
}
