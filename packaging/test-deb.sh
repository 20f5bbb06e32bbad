#!/usr/bin/env bash
# Installs the Debian package on a clean Debian 12 (a debootstrap chroot) and checks it there:
#   1. `apt-get install --no-install-recommends ./indicarto_*.deb` pulls the declared dependencies;
#   2. --version, --help, `check` and `portrait` on the installed sample, written to /tmp;
#   3. the window under Xvfb with Mesa's software OpenGL: every library the process opens (LD_DEBUG)
#      and the package that owns it, the window's WM_CLASS and icon, and a screenshot written to
#      CHROOT_DIR.run.shot.png (look at it: the sample's portrait, not an error);
#   4. the window on Wayland (weston's headless backend): it stays up, and the libraries it opens.
# Usage (as root): packaging/test-deb.sh path/to/indicarto_*.deb [CHROOT_DIR]
# CHROOT_DIR defaults to target/deb-test/chroot and is made with debootstrap when it does not exist;
# each run installs into a copy of that clean base, so the base stays clean. Mounts are undone on exit.
# Needs: debootstrap, and ImageMagick's `convert` on the host to turn the screenshot into PNG.
set -euo pipefail

deb=$(readlink -f "${1:?usage: packaging/test-deb.sh path/to/indicarto_*.deb [CHROOT_DIR]}")
cd "$(dirname "$0")/.."
base=$(readlink -f "${2:-target/deb-test/chroot}")
work="$base.run"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
wait_seconds=${WAIT_SECONDS:-20}

if [ ! -f "$base/etc/debian_version" ]; then
  debootstrap --variant=minbase bookworm "$base" "$mirror"
fi

mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" || true; done
}
trap cleanup EXIT

# Never delete a previous copy while something is still mounted in it (its /dev is the host's).
if grep -q " $work/" /proc/mounts; then
  echo "$work has mounts left from an interrupted run: umount -R them first" >&2
  grep " $work/" /proc/mounts >&2
  exit 1
fi
rm -rf "$work"
cp -a "$base" "$work"
cp /etc/resolv.conf "$work/etc/resolv.conf"
mount -t proc proc "$work/proc" && mounted+=("$work/proc")
mount --rbind /dev "$work/dev" && mount --make-rslave "$work/dev" && mounted+=("$work/dev")
mount -t sysfs sysfs "$work/sys" && mounted+=("$work/sys")
cp "$deb" "$work/tmp/"
in_root() { chroot "$work" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

step() { printf '\n== %s\n' "$1"; }

step "install the package (dependencies only, no recommends)"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "/tmp/$(basename "$deb")"
in_root dpkg -s indicarto | grep -E '^(Version|Depends|Recommends|Installed-Size):'

step "command line on the installed sample"
in_root indicarto --version
in_root indicarto --help | head -n 3
in_root indicarto check /usr/share/indicarto/sample_data
in_root indicarto portrait --pack /usr/share/indicarto/sample_data --territory 248000531 --pdf --png 96 \
  -o /tmp/portrait-amiens
ls "$work/tmp/portrait-amiens" | head -n 20
man_page=$(in_root dpkg -L indicarto | grep '/man1/')
echo "man page: $man_page"

step "window test tools (Xvfb, xwd, xprop, weston) and the package's recommends"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb x11-apps x11-utils weston \
  "/tmp/$(basename "$deb")" >/dev/null
in_root sh -c 'dpkg-query -W -f "\${Package}\n" | sort' > "$work.packages.txt"

step "the window under Xvfb, Mesa software OpenGL"
cat > "$work/tmp/window-test.sh" <<'SCRIPT'
#!/bin/sh
set -u
Xvfb :42 -screen 0 1280x800x24 -nolisten tcp >/tmp/xvfb.log 2>&1 &
xvfb=$!
sleep 2
export DISPLAY=:42 LIBGL_ALWAYS_SOFTWARE=1 HOME=/tmp/home XDG_RUNTIME_DIR=/tmp/home/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
LD_DEBUG=libs LD_DEBUG_OUTPUT=/tmp/ld indicarto >/tmp/indicarto.log 2>&1 &
app=$!
sleep "$1"
alive=no; kill -0 "$app" 2>/dev/null && alive=yes
echo "indicarto still running after $1 s: $alive"
window=$(xwininfo -root -tree | awk '/"Indicarto"/ {print $1; exit}')
echo "window: ${window:-none}"
[ -n "$window" ] && xprop -id "$window" WM_CLASS && xprop -id "$window" _NET_WM_ICON | head -n 2 | tr -d '\t'
xwd -root -silent -out /tmp/shot.xwd
kill "$app" 2>/dev/null; wait "$app" 2>/dev/null
kill "$xvfb"; wait "$xvfb" 2>/dev/null
echo "--- indicarto's output"; cat /tmp/indicarto.log
# Every shared object the process opened (DT_NEEDED and dlopen alike) and its Debian package.
cat /tmp/ld.* | sed -n 's/.*calling init: \(.*\)/\1/p' | sort -u | while read -r lib; do
  real=$(readlink -f "$lib")
  owner=$( (dpkg -S "$lib" || dpkg -S "$real" || dpkg -S "*/$(basename "$real")") 2>/dev/null | head -n 1)
  printf '%s\t%s\n' "${owner%%:*}" "$lib"
done > /tmp/libraries.tsv
[ "$alive" = yes ]
SCRIPT
chmod +x "$work/tmp/window-test.sh"
status=0
in_root /tmp/window-test.sh "$wait_seconds" || status=$?
echo "--- libraries opened by the window (package, file)"
sort "$work/tmp/libraries.tsv"
convert "xwd:$work/tmp/shot.xwd" "$work.shot.png"
echo "screenshot: $work.shot.png"

step "the window on Wayland (weston, headless, no input devices), Mesa software EGL"
cat > "$work/tmp/wayland-test.sh" <<'SCRIPT'
#!/bin/sh
set -u
export XDG_RUNTIME_DIR=/tmp/wayland-run HOME=/tmp/home-wayland
mkdir -p "$XDG_RUNTIME_DIR" "$HOME" && chmod 700 "$XDG_RUNTIME_DIR"
weston --backend=headless-backend.so --use-pixman --width=1280 --height=800 --socket=indicarto-test \
  >/tmp/weston.log 2>&1 &
weston=$!
sleep 3
WAYLAND_DISPLAY=indicarto-test LIBGL_ALWAYS_SOFTWARE=1 LD_DEBUG=libs LD_DEBUG_OUTPUT=/tmp/ld-wayland \
  indicarto >/tmp/indicarto-wayland.log 2>&1 &
app=$!
sleep "$1"
alive=no; kill -0 "$app" 2>/dev/null && alive=yes
echo "indicarto still running after $1 s: $alive"
kill "$app" 2>/dev/null; wait "$app" 2>/dev/null
kill "$weston"; wait "$weston" 2>/dev/null
echo "--- indicarto's output"; cat /tmp/indicarto-wayland.log
echo "--- window-system and OpenGL libraries it opened"
cat /tmp/ld-wayland.* | sed -n 's/.*calling init: \(.*\)/\1/p' | sort -u | grep -E 'wayland|xkb|EGL|GLX|libGL\.'
[ "$alive" = yes ]
SCRIPT
chmod +x "$work/tmp/wayland-test.sh"
in_root /tmp/wayland-test.sh "$wait_seconds" || status=$?
exit "$status"
