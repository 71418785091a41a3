#!/usr/bin/env bash
# Starts podman's Docker-compatible API service for testcontainers; prints the socket path.
# Usage: podman-service.sh start DIR | stop DIR
set -euo pipefail
dir=$2
case $1 in
  start)
    mkdir -p "$dir"
    nohup sh -c "echo \$\$ > '$dir/podman.pid'; exec podman system service --time=0 unix://$dir/podman.sock" \
      > "$dir/podman.log" 2>&1 &
    for _ in $(seq 100); do
      curl -sf --unix-socket "$dir/podman.sock" http://d/_ping >/dev/null 2>&1 && { echo "$dir/podman.sock"; exit 0; }
      sleep 0.1
    done
    echo "podman API service did not answer; log: $dir/podman.log" >&2; exit 1 ;;
  stop)
    [ -f "$dir/podman.pid" ] && kill "$(cat "$dir/podman.pid")" 2>/dev/null || true ;;
esac
