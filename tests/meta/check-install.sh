#!/bin/sh
# `meson install --destdir` puts every file where the system looks for it.
set -eu
build=${1:?usage: check-install.sh BUILD_ROOT PREFIX}
prefix=${2:?usage: check-install.sh BUILD_ROOT PREFIX}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null
root="$dest$prefix"
status=0
for f in \
  bin/sipwsd \
  bin/sipwsctl \
  lib/systemd/user/sipwsd.service \
  share/dbus-1/services/org.sipws.Server1.service \
  share/dbus-1/interfaces/org.sipws.Server1.xml \
  share/man/man8/sipwsd.8 \
  share/man/man1/sipwsctl.1 \
  share/man/man5/sipwsd.conf.5 \
  share/doc/sipws/examples/sipwsd.conf
do
  if [ -e "$root/$f" ]; then echo "ok: $f"; else echo "not ok: $f missing"; status=1; fi
done
# The unit and the activation file name the installed daemon and each other.
grep -qx "ExecStart=$prefix/bin/sipwsd" "$root/lib/systemd/user/sipwsd.service" || { echo "not ok: ExecStart"; status=1; }
grep -qx "Type=dbus" "$root/lib/systemd/user/sipwsd.service" || { echo "not ok: Type=dbus"; status=1; }
grep -qx "BusName=org.sipws.Server1" "$root/lib/systemd/user/sipwsd.service" || { echo "not ok: BusName"; status=1; }
grep -qx "SystemdService=sipwsd.service" "$root/share/dbus-1/services/org.sipws.Server1.service" || { echo "not ok: SystemdService"; status=1; }
exit $status
