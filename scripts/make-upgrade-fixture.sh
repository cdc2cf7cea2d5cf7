#!/usr/bin/env bash
# Makes the upgrade-in-place fixture: a SQLite database written by a released commit (the schema
# and data that release writes), for `StorageUpgradeTests`. Usage:
#   scripts/make-upgrade-fixture.sh <commit> [output]
# It builds the commit in a scratch worktree, carries four orders of 21 components through the
# whole pipeline and fulfillment (customers, accounts, catalog, sessions, orders, installed
# contracts, jobs and their history), drops the benchmark's scratch tables and compacts the file.
set -euo pipefail
commit=${1:?usage: $0 <commit> [output]}
out=${2:-Tests/StoreConformanceTests/Fixtures/release-$(git rev-parse --short "$commit").sqlite}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/src" "$commit" >/dev/null
(cd "$work/src" && swift build --scratch-path "$work/build" >/dev/null)
"$work/build/debug/convergent" bench pipeline --orders 4 --fulfill --database "$work/fixture.sqlite" >/dev/null
python3 - "$work/fixture.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
for t in ('bench_raw_headers', 'bench_raw_lines'):
    c.execute(f'DROP TABLE IF EXISTS {t}')
c.commit()
c.execute('VACUUM')
c.execute('PRAGMA journal_mode=DELETE')
PY
cp "$work/fixture.sqlite" "$out"
echo "wrote $out"
