#!/usr/bin/env bash
# The whole test suite: static checks, unit tests, integration tests on SQLite and
# PostgreSQL, a production build, and the Playwright end-to-end tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# --- system packages the suite needs -------------------------------------------------
need_pkgs=()
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing Debian packages: ${need_pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    echo "Missing system packages: ${need_pkgs[*]}." >&2
    echo "Install them (Debian/Ubuntu: sudo apt-get install -y ${need_pkgs[*]}) and run again." >&2
    exit 1
  fi
fi

[ -d node_modules ] || { step "installing npm dependencies"; npm ci; }
[ -d lib/db/generated/sqlite ] || node scripts/prisma-generate.mjs

step "typecheck"
npx tsc --noEmit
step "lint"
npx eslint .
step "format"
npx prettier --check . >/dev/null || { npx prettier --check . ; exit 1; }

step "unit and integration tests (SQLite and PostgreSQL)"
npx vitest run

step "production build"
npx next build

step "end-to-end tests (Playwright, Chromium)"
npx playwright test
