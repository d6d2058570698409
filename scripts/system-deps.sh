#!/usr/bin/env bash
# Debian packages the portal needs: qemu-utils (qemu-img), bzip2, xz-utils; with `--test`
# also chromium and qemu-block-extra (qemu-img over http) for the end-to-end tests; with
# `--bench` also nginx, the baseline of `npm run bench:downloads`. Installs what is missing when
# run as root with apt-get; otherwise names what is missing and fails.
set -euo pipefail
need=()
command -v qemu-img >/dev/null || need+=(qemu-utils)
command -v bzip2 >/dev/null || need+=(bzip2)
command -v xz >/dev/null || need+=(xz-utils)
if [ "${1:-}" = "--test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # qemu-img's http driver, with which the end-to-end tests read downloads as a cloud would
  compgen -G "/usr/lib/*/qemu/block-curl.so" >/dev/null || need+=(qemu-block-extra)
fi
if [ "${1:-}" = "--bench" ]; then
  # the benchmark starts its own nginx (never the system's service) and drives it with curl
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
  command -v curl >/dev/null || need+=(curl)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "==> installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Missing system packages: ${need[*]}." >&2
  echo "Install them (Debian/Ubuntu: sudo apt-get install -y ${need[*]}) and run again." >&2
  exit 1
fi
