#!/usr/bin/env bash
# Renders every icon file from the two SVG sources (run it after editing either SVG; the
# results are committed, so building the project never needs these tools):
#   icons/png/bittorrent-relay-N.png   16-1024 px (below 48 px from bittorrent-relay-small.svg)
#   icons/bittorrent-relay.ico         Windows (16-256 px), used by the .msi and the launcher
#   icons/bittorrent-relay.icns        macOS (16-1024 px), used by the .app and the .dmg
#   src/main/resources/org/btrelay/ui/icons/app-N.png   the dashboard window's icons
# Needs rsvg-convert (librsvg2-bin), ImageMagick's convert and png2icns (icnsutils).
set -euo pipefail
cd "$(dirname "$0")"
for tool in rsvg-convert convert png2icns; do
  command -v "$tool" >/dev/null || { echo "generate.sh: $tool is missing (apt-get install librsvg2-bin imagemagick icnsutils)" >&2; exit 2; }
done

mkdir -p png
for size in 16 24 32 48 64 128 256 512 1024; do
  source=bittorrent-relay.svg
  [ "$size" -lt 48 ] && source=bittorrent-relay-small.svg
  rsvg-convert -w "$size" -h "$size" "$source" -o "png/bittorrent-relay-$size.png"
done

convert png/bittorrent-relay-{16,24,32,48,64,128,256}.png bittorrent-relay.ico
png2icns bittorrent-relay.icns png/bittorrent-relay-{16,32,48,128,256,512,1024}.png >/dev/null

ui=../src/main/resources/org/btrelay/ui/icons
for size in 16 32 64 128 256; do
  cp "png/bittorrent-relay-$size.png" "$ui/app-$size.png"
done
echo "icons written: png/, bittorrent-relay.ico, bittorrent-relay.icns, $ui"
