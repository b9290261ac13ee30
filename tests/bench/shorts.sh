#!/usr/bin/env bash
# Benchmark (not a test) of `shorts` against the sandbox, loopback only.
# Needs GNU time (/usr/bin/time) and bc. Targets (issue 20):
#   - while 20 clips render: one request per poll round (the task's status, the folder's
#     projects while still empty, then the folder's export list; a lone export's status route only when one is left)
#   - peak memory of the whole job with 20 clips < 32 MiB
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked -q
bin=$PWD/target/release/klap-export
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export KLAP_API_KEY=bench
interval=0.2

# Tasks and exports take 2 s; -v logs each request it serves, stamped here with the time.
"$bin" -v sandbox --listen 127.0.0.1:0 --ready-after 2s > "$work/sandbox.out" 2> >(
  while IFS= read -r line; do echo "$(date +%s.%N) $line"; done > "$work/requests.log"
) &
until [ -s "$work/sandbox.out" ]; do sleep 0.1; done
export KLAP_BASE_URL=$(head -1 "$work/sandbox.out" | awk '{print $NF}')

echo "== the whole job, 20 clips (--max-clips 20 --top 20), --interval $interval"
/usr/bin/time -f "%e %M" -o "$work/time" \
  "$bin" shorts https://example.com/talk.mp4 --max-clips 20 --top 20 --interval "$interval" \
  --download "$work/clips" --no-progress > "$work/stdout"
read -r took rss < "$work/time"
sleep 0.2 # the log's last lines
files=$(find "$work/clips" -name '*.mp4' | wc -l)
echo "took ${took}s; $files files; peak RSS $((rss / 1024)) MiB (${rss} KB; target < 32 MiB)"

# Poll requests: GETs of the task, of the folder's export list, of one export's status.
grep -E 'GET /v2/(tasks/|exports\?folder_id=|projects/[^/ ?]+ |projects/[^/ ]+/[^/ ]+/exports/)' "$work/requests.log" \
  > "$work/polls.log" || true
count() { grep -cE "$1" "$work/polls.log" || true; }
tasks=$(count 'GET /v2/tasks/')
lists=$(count 'GET /v2/exports\?folder_id=')
folders=$(count 'GET /v2/projects/[^/ ?]+ ')
single=$(count 'GET /v2/projects/[^/ ]+/[^/ ]+/exports/')
echo "polls: $tasks of the task, $folders of the folder's projects, $lists of the folder's export list (one is the reuse lookup), $single of a lone export"
# Rounds are at least --interval apart: two polls of one kind (the task, the folder's
# projects, its export list) closer than half an interval would be two requests in one
# round. (A step's first request follows the last one of the step before at once, and the
# first export list is the reuse lookup, made right before the first poll.)
close=$(awk -v half="$(echo "$interval / 2" | bc -l)" '
  { kind = ($3 ~ /^\/v2\/tasks\//) ? "task" : ($3 ~ /^\/v2\/exports/) ? "list" : "folder" }
  kind == "list" && !lookup { lookup = 1; next }
  kind in prev && $1 - prev[kind] < half { n++ }
  { prev[kind] = $1 }
  END { print n + 0 }' "$work/polls.log")
span=$(awk 'NR == 1 { first = $1 } { last = $1 } END { printf "%.1f", last - first }' "$work/polls.log")
# Three polling steps, each starting with a request: at most span/interval + 3 rounds.
rounds=$(echo "$span / $interval + 3" | bc)
echo "poll requests: $((tasks + folders + lists + single)) in ${span}s (at most $rounds rounds of ${interval}s)"
echo "polls of one kind closer than half an interval: $close (target 0: one request a round)"
exports=$(grep -c 'POST /v2/projects/' "$work/requests.log" || true)
echo "exports created: $exports (target 20)"

echo "== the same command again on the finished directory"
before=$(wc -l < "$work/requests.log")
"$bin" shorts https://example.com/talk.mp4 --max-clips 20 --top 20 --interval "$interval" \
  --download "$work/clips" --no-progress > /dev/null
sleep 0.2
again=$(tail -n +"$((before + 1))" "$work/requests.log" | grep -cE ' (GET|POST) ' || true)
echo "requests: $again (target: no POST, no file GET)"
