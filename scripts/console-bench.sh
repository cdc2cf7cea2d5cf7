#!/usr/bin/env bash
# Server time of the console's pages (docs/benchmarks.md, "Console pages"): a release binary on a
# fresh SQLite database with the demo data; an order configured through the console's own forms;
# then each page fetched N times by curl on one connection, reporting the median and the 95th
# percentile of the time to the first byte. Usage: scripts/console-bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
port=8094
work=$(mktemp -d)
bin=.build/release/convergent
[ -x "$bin" ] || swift build -c release --product convergent
CONVERGENT_ADMIN_TOKEN=bench-token "$bin" serve --database "$work/console.sqlite" --port $port --job-interval 0 > "$work/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/health" > /dev/null && break; sleep 0.2; done
cookie="convergent_console=bench%2Dtoken"
csrf=$(curl -s -H "Cookie: $cookie" "$base/" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//')
post() { curl -s -o /dev/null -H "Cookie: $cookie" -X POST --data "_csrf=$csrf&$2" "$base$1"; }
# A convergent order for Jane and ACME: a home contract with fibre, a mobile contract with a voice line.
post /orders "captureType=convergent&soldTo=CUST-JANE&relatedCustomers=CUST-ACME"
post /orders/CO000001/lines "product=HOME-CONTRACT&owner=CUST-JANE"
post /orders/CO000001/lines "product=MOBILE-CONTRACT&owner=CUST-ACME"
post /orders/CO000001/sessions ""
post /sessions/S000001/operations "op=add&product=FIBER-500&contract=L1"
post /sessions/S000001/operations "op=add&product=MOBILE-VOICE-DATA&contract=L2"
# 10 000 more customers, for the search: first and last names and cities drawn from short lists,
# so "smith" finds about one in ten and "smith zzz" checks as many as a page may.
python3 - "$base" <<'PY'
import http.client, json, sys, urllib.parse
host = urllib.parse.urlparse(sys.argv[1])
conn = http.client.HTTPConnection(host.hostname, host.port)
first = ["Ann", "Bram", "Chloé", "Dirk", "Els", "Femke", "Gert", "Hanne", "Ilse", "Joris"]
last = ["Smith", "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters"]
cities = ["Brussels", "Antwerp", "Ghent", "Leuven", "Liège", "Namur", "Bruges", "Mons", "Hasselt", "Aalst", "Kortrijk"]
for i in range(10000):
    body = {"kind": "person", "name": f"{first[i % 10]} {last[(i // 10) % 10]} {i}",
            "addresses": [{"purpose": "site", "line1": f"Street {i}", "city": cities[i % 11], "country": "BE"}]}
    conn.request("POST", "/api/v1/customers", json.dumps(body), {"Authorization": "Bearer bench-token", "Content-Type": "application/json"})
    conn.getresponse().read()
PY
for page in / /customers "/customers?q=smith" "/customers?q=ann+smith+ghent" "/customers?q=smith+zzz" "/api/v1/customers?q=smith" /customers/CUST-ACME /orders /orders/CO000001 /orders/CO000001/lines/1 /sessions/S000001 \
            /sessions/S000001/instances/new-3 /jeopardy /catalog /catalog/products /catalog/products/HOME-CONTRACT; do
  for _ in $(seq "$n"); do curl -s -o /dev/null -w "%{time_starttransfer}\n" -H "Cookie: $cookie" -H "Authorization: Bearer bench-token" "$base$page"; done \
    | python3 -c "
import sys
t = sorted(float(x) * 1000 for x in sys.stdin)
print(f'$page: median {t[len(t)//2]:.1f} ms, p95 {t[int(len(t)*0.95)-1]:.1f} ms')"
done
