#!/usr/bin/env bash
# Benchmark (not a test): `list --json` on 100,000 exports against `curl | jq .`
# on the same static body; prints the best of 3 runs of each and their ratio.
# Needs curl, jq, python3 and GNU time (/usr/bin/time). Loopback only.
# Target: klap-export at most 0.15x of curl|jq; peak memory under ~4x the body.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked -q
bin=$PWD/target/release/klap-export
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

"$bin" sandbox --listen 127.0.0.1:0 --seed 100000 --ready-after 1s > "$work/sandbox.out" &
until [ -s "$work/sandbox.out" ]; do sleep 0.1; done
sandbox=$(head -1 "$work/sandbox.out" | awk '{print $NF}')
mkdir -p "$work/www/v2"
curl -sf -H 'Authorization: Bearer bench' "$sandbox/exports" > "$work/www/v2/exports"
echo "body: $(wc -c < "$work/www/v2/exports") bytes"
port=$((20000 + RANDOM % 20000))
(cd "$work/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 > /dev/null 2>&1) &
sleep 1
static=http://127.0.0.1:$port/v2
export KLAP_API_KEY=bench

for i in 1 2 3; do
  /usr/bin/time -a -o "$work/klap.times" -f "%e %M" \
    "$bin" --base-url "$static" list --json > "$work/klap.json"
  /usr/bin/time -a -o "$work/jq.times" -f "%e" \
    bash -c "curl -sf -H 'Authorization: Bearer bench' '$static/exports' | jq . > '$work/jq.json'"
done
klap=$(sort -n "$work/klap.times" | head -1)
jq=$(sort -n "$work/jq.times" | head -1)
echo "klap-export list --json: ${klap% *} s, ${klap#* } KB peak (best of 3)"
echo "curl | jq .:             $jq s (best of 3)"
awk -v k="${klap% *}" -v j="$jq" 'BEGIN { printf "ratio: %.2fx\n", k / j }'

# Same objects, whatever the order (list sorts newest first).
if cmp -s <(jq -c 'sort_by(.id)[]' "$work/klap.json") <(jq -c 'sort_by(.id)[]' "$work/jq.json"); then
  echo "objects: same as jq ($(jq length "$work/klap.json"))"
else
  echo "objects: DIFFER from jq"
fi
