#!/usr/bin/env bash
# GET /api/v1/orders/{id} against GET /health of the same release binary (docs/benchmarks.md,
# "Reading one order over HTTP"). Needs wrk. Usage: [SERVE_ARGS="--node-cache 0"] scripts/read-bench.sh [runs]
set -euo pipefail
runs=${1:-2}
port=8092
db=$(mktemp -d)/read.sqlite
bin=.build/release/convergent
[ -x "$bin" ] || swift build -c release --product convergent
CONVERGENT_ADMIN_TOKEN=t "$bin" serve --database "$db" --port $port --job-interval 0 ${SERVE_ARGS:-} > "$db.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
api="http://127.0.0.1:$port/api/v1"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
post() { curl -sf -X POST "$api$1" -H 'Authorization: Bearer t' -H 'Content-Type: application/json' -d "${2:-{\}}" > /dev/null; }
# An order with a home contract of 21 components, its session submitted.
post /orders '{"captureType": "simple", "soldTo": "CUST-JANE"}'
post /orders/COM000001/lines '{"product": "HOME-CONTRACT"}'
post /orders/COM000001/sessions
post /sessions/S000001/operations '{"operations": [{"op": "add", "product": "FIBER-500", "contract": "L1"}, {"op": "add", "product": "TV-BASIC-PACK", "contract": "L1"}]}'
post /sessions/S000001/submit
echo "answer: $(curl -sf "$api/orders/COM000001" -H 'Authorization: Bearer t' | wc -c) bytes"
for run in $(seq "$runs"); do
    health=$(wrk -t2 -c32 -d8s "http://127.0.0.1:$port/health" | awk '/Requests\/sec/ {print $2}')
    order=$(wrk -t2 -c32 -d8s -H "Authorization: Bearer t" "$api/orders/COM000001" | awk '/Requests\/sec/ {print $2}')
    one=$(wrk -t1 -c1 -d8s --latency -H "Authorization: Bearer t" "$api/orders/COM000001" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} /Requests\/sec/ {rps=$2} END {print "p50 " p50 ", p99 " p99 " at " rps " req/s"}')
    two=$(wrk -t2 -c2 -d8s --latency -H "Authorization: Bearer t" "$api/orders/COM000001" | awk '/ 99%/ {p99=$2} /Requests\/sec/ {rps=$2} END {print rps " req/s, p99 " p99}')
    echo "run $run: /health $health req/s, order $order req/s, ratio $(python3 -c "print(round($order/$health, 2))"); one connection: $one; two connections: $two"
done
