#!/usr/bin/env bash
# Benchmark (not a test): `list --format tsv` on 100,000 exports against
# `curl | jq -r ... @tsv` on the same static body, plus `status` against one curl.
# Needs curl, jq, python3 and GNU time (/usr/bin/time). Loopback only.
# Target: klap-export well under a third of curl|jq; peak memory under ~4x the body.
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

jq_tsv='sort_by(.created_at) | reverse | .[]
  | [((if .folder_id then .folder_id + "/" else "" end) + .project_id + "/" + .id),
     .status, .name, .created_at, .finished_at, .src_url] | @tsv'
for i in 1 2 3; do
  /usr/bin/time -f "klap-export list --format tsv: %e s, %M KB peak" \
    "$bin" --base-url "$static" list --format tsv > "$work/klap.tsv"
  /usr/bin/time -f "curl | jq @tsv:              %e s" \
    bash -c "curl -sf -H 'Authorization: Bearer bench' '$static/exports' | jq -r '$jq_tsv' > '$work/jq.tsv'"
done
echo "rows: klap-export $(wc -l < "$work/klap.tsv"), jq $(wc -l < "$work/jq.tsv")"

id=$("$bin" --base-url "$sandbox" create bench/clip -q)
for i in 1 2 3; do
  /usr/bin/time -f "klap-export status: %e s" "$bin" --base-url "$sandbox" status "$id" --json > /dev/null
  /usr/bin/time -f "curl status:        %e s" curl -sf -H 'Authorization: Bearer bench' "$sandbox/projects/${id%/*}/exports/${id##*/}" > /dev/null
done
