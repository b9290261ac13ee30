#!/usr/bin/env bash
# Benchmark (not a test), issue 21: every row of its table on one 100,000-export body
# (built once by the sandbox, served by a static loopback server), each beside its peer,
# ratios last. Times are medians of RUNS runs (wall and CPU = user+sys); peak memory is
# the median max RSS (GNU time %M; for a pipeline the largest process in it).
# On a loaded machine compare the CPU column and the ratios, not the wall times.
#
# Needs curl, jq, python3, GNU time (`apt-get install -y time`). Used when installed:
# gojq (`apt-get install -y gojq`), jaq's CLI (`cargo install jaq --locked`).
# RUNS=5 by default; SEED=100000 exports; BIN=binary to measure instead of a release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-5}
# BIN=path compares another build (e.g. one with symbols for perf) without building.
if [ -z "${BIN:-}" ]; then cargo build --release --locked -q; fi
bin=${BIN:-$PWD/target/release/klap-export}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

"$bin" sandbox --listen 127.0.0.1:0 --seed "${SEED:-100000}" --ready-after 1s > "$work/sandbox.out" &
until [ -s "$work/sandbox.out" ]; do sleep 0.1; done
sandbox=$(head -1 "$work/sandbox.out" | awk '{print $NF}')
mkdir -p "$work/www/v2"
curl -sf -H 'Authorization: Bearer bench' "$sandbox/exports" > "$work/www/v2/exports"
body=$(wc -c < "$work/www/v2/exports")
port=$((20000 + RANDOM % 20000))
(cd "$work/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 > /dev/null 2>&1) &
static=http://127.0.0.1:$port/v2
until curl -sf -o /dev/null "$static/exports"; do sleep 0.1; done
export KLAP_API_KEY=bench
url=$static/exports
klap="$bin --base-url $static"
printf 'body: %d bytes (%.1f MiB), %s runs each, load %s\n' "$body" \
  "$(echo "$body / 1048576" | bc -l)" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"

# measure NAME CMD: runs CMD (a bash command line, stdout to /dev/null) $runs times;
# records "wall cpu kb" medians in $work/NAME.
measure() {
  local name=$1 cmd=$2
  : > "$work/$name.runs"
  for _ in $(seq "$runs"); do
    /usr/bin/time -a -o "$work/$name.runs" -f "%e %U %S %M" bash -c "$cmd > /dev/null"
  done
  awk '{ print $1 }' "$work/$name.runs" | sort -n | awk '{w[NR]=$1} END {print w[int((NR+1)/2)]}' > "$work/$name.w"
  awk '{ print $2 + $3 }' "$work/$name.runs" | sort -n | awk '{c[NR]=$1} END {print c[int((NR+1)/2)]}' > "$work/$name.c"
  awk '{ print $4 }' "$work/$name.runs" | sort -n | awk '{m[NR]=$1} END {print m[int((NR+1)/2)]}' > "$work/$name.m"
}
w() { cat "$work/$1.w"; }
c() { cat "$work/$1.c"; }
m() { cat "$work/$1.m"; }
row() { # row LABEL NAME
  printf '%-58s %6.2f s %6.2f s cpu %6.0f MiB\n' "$1" "$(w "$2")" "$(c "$2")" "$(echo "$(m "$2") / 1024" | bc -l)"
}

have() { command -v "$1" > /dev/null; }
peers=(jq)
have gojq && peers+=(gojq)
have jaq && peers+=(jaq)

tsv_jq='.[] | [.id, .status, .name, .created_at, .finished_at, .src_url] | @tsv'
sel='.[] | select(.status=="ready") | .src_url'

measure curl "curl -sf -o /dev/null $url"
# status: one export, served where its full ref points.
ref=$(jq -r '.[0] | .folder_id + "/" + .project_id + "/" + .id' "$work/www/v2/exports")
mkdir -p "$work/www/v2/projects/${ref%/*}/exports"
jq '.[0]' "$work/www/v2/exports" > "$work/www/v2/projects/${ref%/*}/exports/${ref##*/}"
measure status "$klap status $ref"
measure curl1 "curl -sf -H 'Authorization: Bearer bench' -o /dev/null $static/projects/${ref%/*}/exports/${ref##*/}"
# --version: below GNU time's 10 ms resolution, so the mean of 20 runs by the clock.
t0=$(date +%s%N); for _ in $(seq 20); do "$bin" --version > /dev/null; done; t1=$(date +%s%N)
version_ms=$(echo "($t1 - $t0) / 20 / 1000000" | bc -l)
# and its CPU time (task-clock), which load does not inflate as much.
version_cpu=$(perf stat -x, -e task-clock -r 20 "$bin" --version 2>&1 > /dev/null | awk -F, '/task-clock/ {print $1}' || echo "?")
measure q "$klap list -q --limit 1"
measure tsv "$klap list --format tsv"
measure jq_tsv "curl -sf $url | jq -r '$tsv_jq'"
measure json "$klap list --json"
measure ndjson "$klap list --format ndjson"
measure jq_pretty "curl -sf $url | jq ."
measure table "$klap list"
exprs=("length" "map(.id)" "$sel")
for i in 0 1 2; do
  measure "k_jq$i" "$klap list --jq '${exprs[$i]}'"
  for p in "${peers[@]}"; do
    measure "${p}_$i" "curl -sf $url | $p '${exprs[$i]}'"
  done
done

echo
printf '%-58s %8s %10s %10s\n' "command" "wall" "cpu" "peak"
row "curl -o /dev/null" curl
row "status REF" status
row "  curl -o /dev/null (that export)" curl1
row "list -q --limit 1" q
row "list --format tsv" tsv
row "  curl | jq -r '.[] | [...] | @tsv'" jq_tsv
row "list --json" json
row "list --format ndjson" ndjson
row "  curl | jq ." jq_pretty
row "list (table, piped)" table
for i in 0 1 2; do
  row "list --jq '${exprs[$i]}'" "k_jq$i"
  for p in "${peers[@]}"; do
    row "  curl | $p '${exprs[$i]}'" "${p}_$i"
  done
done
have jaq || echo "(jaq's CLI not installed: cargo install jaq --locked)"
have gojq || echo "(gojq not installed: apt-get install -y gojq)"

echo
echo "ratios (wall; cpu in brackets) and memory / body:"
div() { echo "if ($2 > 0) $1 / $2 else 0" | bc -l; }
ratio() { # ratio LABEL A B: A/B for wall and cpu (0 when B's is below time's resolution)
  printf '%-58s %5.2fx (%5.2fx cpu)\n' "$1" "$(div "$(w "$2")" "$(w "$3")")" "$(div "$(c "$2")" "$(c "$3")")"
}
mem() { printf '%-58s %5.2fx body\n' "$1" "$(echo "$(m "$2") * 1024 / $body" | bc -l)"; }
ratio "status / curl (target <= 1.0)" status curl1
ratio "tsv / curl|jq @tsv (target <= 0.12)" tsv jq_tsv
ratio "json / curl|jq . (target <= 0.12)" json jq_pretty
ratio "ndjson / curl|jq . (target <= 0.12)" ndjson jq_pretty
for n in tsv json ndjson table; do mem "$n memory (target <= 2x)" "$n"; done
printf '%-58s %5.2f s (target <= 0.25 s)\n' "table piped wall" "$(w table)"
printf '%-58s %5.1f ms (target < 5 ms)\n' "--version wall (mean of 20)" "$version_ms"
printf '%-58s %5s ms\n' "--version task-clock (perf stat -r 20)" "${version_cpu:-?}"
for i in 0 1 2; do
  for p in "${peers[@]}"; do
    ratio "--jq '${exprs[$i]}' / $p (target < 1)" "k_jq$i" "${p}_$i"
  done
  if have gojq; then
    printf '%-58s %5.2fx gojq\n' "  memory" "$(echo "$(m "k_jq$i") / $(m "gojq_$i")" | bc -l)"
  fi
done
# A BIN built with symbols (for perf) is measured as release strips it.
strip -o "$work/stripped" "$bin"
size=$(stat -c %s "$work/stripped")
printf '%-58s %5.2f MiB (target < 7)\n' "release binary (stripped)" "$(echo "$size / 1048576" | bc -l)"
