#!/bin/sh
# The compose deployment's scheduled backup: every BACKUP_INTERVAL_SECONDS a custom-format pg_dump
# of the database and a tar of the attachment store (files stay encrypted as stored: keep
# STORAGE_KEY in your vault, apart from the backups) into /backups/<UTC time>/, written under a
# .partial name and renamed when complete; backups older than BACKUP_KEEP_DAYS are deleted.
# Restore: docs/deployment.md ("Backups").
set -eu
: "${PGHOST:=postgres}" "${PGUSER:=caunoi}" "${PGDATABASE:=caunoi}"
: "${BACKUP_DIR:=/backups}" "${ATTACHMENTS_DIR:=/var/lib/caunoi/attachments}"
: "${BACKUP_INTERVAL_SECONDS:=86400}" "${BACKUP_KEEP_DAYS:=14}" "${BACKUP_ONCE:=false}"
export PGHOST PGUSER PGDATABASE
while true; do
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  work="$BACKUP_DIR/$stamp.partial"
  mkdir -p "$work"
  pg_dump -Fc -f "$work/database.dump"
  tar -C "$(dirname "$ATTACHMENTS_DIR")" -cf "$work/attachments.tar" "$(basename "$ATTACHMENTS_DIR")"
  mv "$work" "$BACKUP_DIR/$stamp"
  find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -mtime +"$BACKUP_KEEP_DAYS" -exec rm -rf {} +
  echo "backup $stamp complete"
  [ "$BACKUP_ONCE" = true ] && exit 0
  sleep "$BACKUP_INTERVAL_SECONDS"
done
