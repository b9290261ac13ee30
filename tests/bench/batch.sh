#!/usr/bin/env bash
# Benchmark (not a test) of the batch pipeline against the sandbox, loopback only.
# Needs GNU time (/usr/bin/time). Targets (issue 12):
#   - wait on 50 exports of one folder: <= 1 request per poll round
#   - 8 ready exports whose files take 1 s each: --jobs 4 <= 0.35x the time of --jobs 1
#   - peak memory of a 50-export wait + download < 64 MiB
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked -q
bin=$PWD/target/release/klap-export
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export KLAP_API_KEY=bench

# A sandbox whose exports take 2 s; -v logs each request it serves.
"$bin" -v sandbox --listen 127.0.0.1:0 --ready-after 2s > "$work/sandbox.out" 2> "$work/requests.log" &
until [ -s "$work/sandbox.out" ]; do sleep 0.1; done
export KLAP_BASE_URL=$(head -1 "$work/sandbox.out" | awk '{print $NF}')

echo "== 1. requests per poll round, 50 exports of one folder"
seq 1 50 | sed 's|^|bench/p|' | "$bin" create - -q > "$work/refs"
before=$(wc -l < "$work/requests.log")
start=$(date +%s.%N)
"$bin" wait - --interval 0.2 -q < "$work/refs" > /dev/null
took=$(echo "$(date +%s.%N) - $start" | bc)
tail -n +"$((before + 1))" "$work/requests.log" > "$work/wait.log"
total=$(wc -l < "$work/wait.log")
lists=$(grep -c 'GET /v2/exports?folder_id=bench ' "$work/wait.log" || true)
# Each round asks the folder's list; any other request would be a second one that round.
echo "wait: ${took}s, $total requests, $lists of them the folder's list"
echo "requests per round: $(echo "scale=2; $total / $lists" | bc) (target <= 1)"

echo "== 2. 8 ready exports, files served in about 1 s each: --jobs 4 vs --jobs 1"
seq 1 8 | sed 's|^|bench/slow|' | "$bin" create - -q > "$work/slow"
"$bin" wait - --interval 0.2 -q < "$work/slow" > /dev/null
for jobs in 1 4; do
  mkdir -p "$work/j$jobs"
  /usr/bin/time -f "%e" -o "$work/t$jobs" \
    "$bin" download - -o "$work/j$jobs" --jobs "$jobs" --no-progress < "$work/slow" > /dev/null
  echo "--jobs $jobs: $(cat "$work/t$jobs") s, $(ls "$work/j$jobs" | wc -l) files"
done
echo "ratio: $(echo "scale=3; $(cat "$work/t4") / $(cat "$work/t1")" | bc) (target <= 0.35)"

echo "== 3. peak memory of a 50-export wait + download"
seq 51 100 | sed 's|^|bench/p|' | "$bin" create - -q > "$work/more"
mkdir -p "$work/clips"
/usr/bin/time -f "%M" -o "$work/rss" \
  "$bin" wait - --download "$work/clips" --interval 0.2 --no-progress < "$work/more" > /dev/null
echo "files: $(ls "$work/clips" | wc -l), peak RSS: $(( $(cat "$work/rss") / 1024 )) MiB ($(cat "$work/rss") KB; target < 64 MiB)"
