#!/usr/bin/env bash
# Measures `pamphlet serve` on a generated site: the time from saving one article's body to
# (a) the reload event on the live-reload stream and (b) the rebuilt page being served with the
# change; plus the serve process's memory. A benchmark, not a test.
#
# Usage: benches/serve_latency.sh [ARTICLES=10000] [EDITS=40]
set -euo pipefail
articles="${1:-10000}"
edits="${2:-40}"
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
cargo build --release --quiet --bin pamphlet --example serve_corpus
site="$(mktemp -d)"
log="$site.log"
cleanup() {
    if [[ -n "${pid:-}" ]]; then kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$site" "$log"
}
trap cleanup EXIT
target/release/examples/serve_corpus "$site" "$articles" >/dev/null
start=$(date +%s.%N)
target/release/pamphlet serve --root "$site" --port 0 >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    grep -q "Serving at" "$log" && break
    sleep 0.1
done
port="$(grep -o '127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f2)"
[[ -n "$port" ]] || { cat "$log"; exit 1; }
echo "initial build + start: $(echo "$(date +%s.%N) - $start" | bc) s ($(grep -m1 '^Built' "$log"))"

python3 - "$site" "$port" "$edits" "$pid" <<'PY'
import os, socket, statistics, sys, threading, time
site, port, edits, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
path = os.path.join(site, "content/articles/article-05000.md")
original = open(path).read()
slug = "/articles/" + "article-05000" + "/"

def get(target):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        c = s.recv(65536)
        if not c:
            break
        data += c
    s.close()
    return data

# The live-reload stream, read on a thread that timestamps each reload event.
reloads = []
ev = socket.create_connection(("127.0.0.1", port))
ev.sendall(b"GET /__pamphlet/events HTTP/1.1\r\nHost: x\r\n\r\n")
ready = threading.Event()
def listen():
    buf = b""
    while True:
        c = ev.recv(4096)
        if not c:
            return
        buf += c
        if b"retry:" in buf:
            ready.set()
        while b"event: reload" in buf:
            reloads.append(time.perf_counter())
            buf = buf.split(b"event: reload", 1)[1]
threading.Thread(target=listen, daemon=True).start()
ready.wait(10)

to_event, to_page = [], []
for i in range(edits):
    marker = f"edit-marker-{i}-{time.time_ns()}"
    text = original + f"\nA new closing paragraph {marker}.\n"
    tmp = os.path.join(os.path.dirname(path), ".article-05000.md.tmp")
    open(tmp, "w").write(text)
    seen = len(reloads)
    t0 = time.perf_counter()
    os.rename(tmp, path)  # an editor's atomic save
    deadline = t0 + 30
    while marker.encode() not in get(slug):
        if time.perf_counter() > deadline:
            sys.exit("page never changed")
    to_page.append((time.perf_counter() - t0) * 1000)
    while len(reloads) <= seen:
        if time.perf_counter() > deadline:
            sys.exit("no reload event")
        time.sleep(0.0005)
    to_event.append((reloads[seen] - t0) * 1000)
    time.sleep(0.15)
open(path, "w").write(original)

def show(name, xs):
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
    print(f"{name}: median {statistics.median(xs):.1f} ms, p95 {p95:.1f} ms, min {xs[0]:.1f} ms, max {xs[-1]:.1f} ms (n={len(xs)})")
show("write -> reload event", to_event)
show("write -> changed page served", to_page)
for line in open(f"/proc/{pid}/status"):
    if line.startswith(("VmRSS", "VmHWM")):
        print("serve " + " ".join(line.split()))
PY
echo "serve's own rebuild times (last 5):"
grep '^Rebuilt' "$log" | tail -5
