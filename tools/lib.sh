# shellcheck shell=bash
# Shared set-up of tools/run and tools/test, sourced by both:
#   sws_install_deps   install what is missing to build and test (Debian 12)
#   sws_build          configure build/ if needed and compile it
#
# Environment:
#   SWS_BUILD_DIR   build directory (default: build/ in the source tree)
#   SWS_JOBS        parallel compile jobs (default: 2, the size of our machines)
#   SWS_NO_INSTALL  set to 1 to never call apt-get

SWS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SWS_BUILD_DIR=${SWS_BUILD_DIR:-$SWS_ROOT/build}
SWS_JOBS=${SWS_JOBS:-2}

# Build tools and libraries, plus what the test suites need at run time
# (dbus-daemon/dbus-bin for private-bus tests, systemd for busctl).
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
  dbus-daemon
  dbus-bin
  systemd
)

sws_log() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
}

sws_die() {
  sws_log "error: $*"
  exit 1
}

# Prints the packages of SWS_DEB_PACKAGES that are not installed, one a line.
# One dpkg-query for all of them: unknown packages print nothing.
sws_missing_packages() {
  local installed
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${SWS_DEB_PACKAGES[@]}" 2>/dev/null |
    awk '$2 == "install" && $3 == "ok" && $4 == "installed" { print $1 }' || true)
  local pkg
  for pkg in "${SWS_DEB_PACKAGES[@]}"; do
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
    sws_log "not a Debian system: install by hand: ${SWS_DEB_PACKAGES[*]}"
    return 0
  fi

  mapfile -t missing < <(sws_missing_packages)
  if [ "${#missing[@]}" -eq 0 ]; then
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
