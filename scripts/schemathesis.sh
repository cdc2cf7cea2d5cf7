#!/usr/bin/env bash
# R-15.1: schemathesis over the whole API contract (openapi.yaml, served as /openapi.json) against
# a running server on a fresh SQLite database with the demo data; fixed seed, bounded examples.
# It passes with no server error, no response off its schema, and no status or media type the
# document does not declare. `.ci/run` runs it after the tests and prints its summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install -q schemathesis
work=$(mktemp -d)
swift build --product convergent >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
port=${SCHEMATHESIS_PORT:-8091}
token="schemathesis-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
CONVERGENT_ADMIN_TOKEN="$token" .build/debug/convergent serve --database "$work/api.sqlite" --port "$port" --job-interval 0 \
  >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.5
done
status=0
schemathesis run "http://127.0.0.1:$port/openapi.json" --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $token" --seed 1 --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  >"$work/schemathesis.log" 2>&1 || status=$?
echo "schemathesis: $(grep -E '[0-9]+ generated' "$work/schemathesis.log" | tail -1 | sed 's/^ *//')"
if [ "$status" != 0 ]; then
  cat "$work/schemathesis.log"
  echo "--- server log ---"
  tail -50 "$work/server.log"
  exit 1
fi
