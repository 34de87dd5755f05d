#!/bin/sh
# Hooks the installed application into the system, and takes it out again. Called by the
# package's maintainer scripts (deb postinst/prerm, rpm %post/%preun):
#   integrate.sh install   menu entry, icons, AppStream metadata, the `bittorrent-relay` command,
#                          and the systemd unit for headless servers with its own system user;
#                          the unit is installed, never enabled or started here
#   integrate.sh remove    stops and disables the service, removes what `install` added
# Both are idempotent. The relay's data (/var/lib/bittorrent-relay) is removed only on purge.
set -e
APP=/opt/bittorrent-relay
FILES=$APP/lib/app/system
USER=bittorrent-relay
UNIT=/usr/lib/systemd/system/bittorrent-relay.service
ID=org.btrelay.BittorrentRelay
SIZES="16 24 32 48 64 128 256 512"

systemd_running() { [ -d /run/systemd/system ]; }

case "$1" in
  install)
    install -D -m 644 "$FILES/$ID.desktop" "/usr/share/applications/$ID.desktop"
    install -D -m 644 "$FILES/$ID.metainfo.xml" "/usr/share/metainfo/$ID.metainfo.xml"
    for size in $SIZES; do
      install -D -m 644 "$FILES/icons/bittorrent-relay-$size.png" \
        "/usr/share/icons/hicolor/${size}x${size}/apps/bittorrent-relay.png"
    done
    ln -sfn "$APP/bin/bittorrent-relay" /usr/bin/bittorrent-relay
    install -D -m 644 "$FILES/bittorrent-relay.service" "$UNIT"
    if ! getent passwd "$USER" >/dev/null; then
      useradd --system --user-group --home-dir /var/lib/bittorrent-relay --no-create-home \
        --shell /usr/sbin/nologin --comment "BitTorrent Relay" "$USER"
    fi
    if systemd_running; then
      systemctl daemon-reload || true
      # An upgrade restarts a service that was running; a new install starts nothing.
      systemctl try-restart bittorrent-relay.service || true
    fi
    command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    ;;
  remove)
    if systemd_running; then
      systemctl --no-reload disable --now bittorrent-relay.service >/dev/null 2>&1 || true
    fi
    rm -f "$UNIT" "/usr/share/applications/$ID.desktop" "/usr/share/metainfo/$ID.metainfo.xml"
    for size in $SIZES; do
      rm -f "/usr/share/icons/hicolor/${size}x${size}/apps/bittorrent-relay.png"
    done
    if [ "$(readlink /usr/bin/bittorrent-relay 2>/dev/null)" = "$APP/bin/bittorrent-relay" ]; then
      rm -f /usr/bin/bittorrent-relay
    fi
    if systemd_running; then systemctl daemon-reload || true; fi
    command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    ;;
  *)
    echo "usage: integrate.sh install|remove" >&2
    exit 2
    ;;
esac
exit 0
