#!/bin/sh
# Adds Indicarto to this user's application menu, pointing at this unpacked folder:
# ~/.local/share/applications/indicarto.desktop and the icons under ~/.local/share/icons/hicolor.
# Run it again after moving the folder; remove those files to undo.
set -eu
here=$(dirname "$(readlink -f "$0")")
data=${XDG_DATA_HOME:-$HOME/.local/share}

mkdir -p "$data/applications"
sed "s|^Exec=indicarto$|Exec=\"$here/bin/indicarto\"|" "$here/share/applications/indicarto.desktop" \
  > "$data/applications/indicarto.desktop"
(cd "$here/share/icons" && find hicolor -type f) | while read -r icon; do
  mkdir -p "$data/icons/$(dirname "$icon")"
  cp "$here/share/icons/$icon" "$data/icons/$icon"
done
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
echo "Indicarto ajouté au menu des applications ($data/applications/indicarto.desktop)."
