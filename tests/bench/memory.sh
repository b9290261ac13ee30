#!/usr/bin/env bash
# Benchmark (not a test): peak memory on hostile list bodies within the body cap.
# A body of empty objects (`[{},{},...]`) is the worst case per byte: before the element
# cap, 64 MiB of it took 5 GB. Target: every run under 1 GiB, ending with a clear error
# (more than 1,000,000 exports) or output. Also prints the release binary's size
# (target: under 7 MiB). Needs python3 and GNU time. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked -q
bin=$PWD/target/release/klap-export
size=$(stat -c %s "$bin")
echo "binary: $size bytes, $(awk "BEGIN { printf \"%.2f\", $size / 1048576 }") MiB (limit 7 MiB)"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/www/v2"
python3 - "$work/www" <<'PY'
import sys
www = sys.argv[1]
def write(name, text):
    with open(f"{www}/v2/{name}", "w") as f:
        f.write(text)
write("empty_999999", "[" + ",".join(["{}"] * 999_999) + "]")          # just under the cap
write("empty_64mib", "[" + ",".join(["{}"] * (64 * 1024 * 1024 // 3)) + "]")  # 22 M elements
write("deep", "[" * 100_000 + "]" * 100_000)
PY
port=$((20000 + RANDOM % 20000))
(cd "$work/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 > /dev/null 2>&1) &
sleep 1
export KLAP_API_KEY=bench
for body in empty_999999 empty_64mib deep; do
  # The list route is /exports: serve each body under that name in turn.
  cp "$work/www/v2/$body" "$work/www/v2/exports"
  for format in tsv json; do
    set +e
    /usr/bin/time -o "$work/t" -f "%e s, %M KiB peak" \
      "$bin" --base-url "http://127.0.0.1:$port/v2" list --format "$format" > /dev/null 2> "$work/err"
    code=$?
    set -e
    echo "$body $format: exit $code, $(cat "$work/t"); $(head -c 160 "$work/err" | tr '\n' ' ')"
  done
done

# The sandbox (issue 17): resident memory after 50 list requests of --seed 200000
# (target: within 1.5x of after the first; it grew ~475 MB a request before the shared
# list buffer), and a client's latency while 64 idle connections are open (target:
# under 1 s; 32 fixed workers made it 10 s).
sb_port=$((20000 + RANDOM % 20000))
"$bin" sandbox --listen "127.0.0.1:$sb_port" --seed 200000 > "$work/sandbox.out" &
sb_pid=$!
for _ in $(seq 100); do grep -q KLAP_API_KEY "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
sb_url=http://127.0.0.1:$sb_port/v2
rss() { awk '/^VmRSS/ {print $2}' "/proc/$sb_pid/status"; }
list() { curl -sf -H 'Authorization: Bearer bench' "$sb_url/exports" -o /dev/null; }
list
first=$(rss)
for _ in $(seq 49); do list; done
after=$(rss)
echo "sandbox --seed 200000: RSS $first KiB after 1 list, $after KiB after 50" \
  "($(awk -v a="$after" -v f="$first" 'BEGIN { printf "%.2f", a / f }')x, target < 1.5x)"
python3 - "$sb_port" <<'PY'
import socket, sys, time, urllib.request
port = int(sys.argv[1])
idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(64)]
time.sleep(0.2)
worst = 0.0
for _ in range(5):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v2/projects/demo",
                                 headers={"Authorization": "Bearer bench"})
    started = time.monotonic()
    with urllib.request.urlopen(req, timeout=15) as resp:
        resp.read()
    worst = max(worst, time.monotonic() - started)
print(f"sandbox with 64 idle connections: slowest of 5 requests {worst * 1000:.0f} ms (target < 1000 ms)")
PY
kill "$sb_pid"

# Config files that are not regular files (issue 17.2): each must end within 1 s (exit 2),
# under 20 MiB, never reading /dev/zero or waiting on a FIFO no one writes to.
mkfifo "$work/config.fifo"
for config in /dev/zero "$work/config.fifo"; do
  set +e
  start=$(date +%s%N)
  KLAP_CONFIG=$config timeout 5 /usr/bin/time -o "$work/t" -f "%M" \
    "$bin" --base-url "http://127.0.0.1:$port/v2" list > /dev/null 2> "$work/err"
  code=$?
  set -e
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kib=$(tail -n 1 "$work/t")  # GNU time puts "Command exited with ..." first
  verdict=ok
  if [ "$ms" -ge 1000 ] || [ "$kib" -ge $((20 << 10)) ] || [ "$code" -ne 2 ]; then verdict=FAIL; fi
  echo "KLAP_CONFIG=$config: exit $code, $ms ms, $kib KiB peak (limits: exit 2, 1000 ms, 20480 KiB): $verdict"
done
