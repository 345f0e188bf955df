#!/bin/sh
# Every source file that marks strings for translation must be listed in
# po/POTFILES.in, or its strings never reach translators.
set -eu
top=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$top"
status=0
for f in $(grep -l -E '(^|[^A-Za-z0-9_])N?_\("' src/*.c src/sip/*.c 2>/dev/null); do
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "not ok: $f has translatable strings but is missing from po/POTFILES.in"
    status=1
  fi
done
for f in $(grep -v '^#' po/POTFILES.in); do
  if [ ! -f "$f" ]; then
    echo "not ok: po/POTFILES.in lists $f, which does not exist"
    status=1
  fi
done
[ $status -eq 0 ] && echo "ok: po/POTFILES.in lists every file with translatable strings"
exit $status
