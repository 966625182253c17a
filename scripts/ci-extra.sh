#!/usr/bin/env bash
# Checks CI runs after `npm test` that are scripts rather than tests (each exits non-zero on failure).
set -uo pipefail
status=0
run() { echo "-- $*"; "$@" || { echo "FAILED: $*"; status=1; }; }
[ -f scripts/fr64-birthday.ts ] && run node --import tsx scripts/fr64-birthday.ts
[ -f scripts/replay-stream-memory.mjs ] && run node --expose-gc scripts/replay-stream-memory.mjs
[ -f scripts/soak.mjs ] && run node scripts/soak.mjs
# Size budgets (scripts/size.mjs): prints every budget, exits 1 on a miss.
[ -f scripts/size.mjs ] && run node scripts/size.mjs
exit $status
