#!/usr/bin/env bash
# The whole test suite: static checks, unit tests, integration tests on SQLite and
# PostgreSQL, a production build, and the Playwright end-to-end tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

bash scripts/system-deps.sh --test

[ -d node_modules ] || { step "installing npm dependencies"; npm install; }
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
