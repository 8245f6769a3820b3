#!/usr/bin/env bash
# Where did the late new coverage of a libFuzzer run land? Symbolizes every
# `NEW_PC:` line of a log written with `-print_pcs=1`, attributes each new
# edge to the run (`#N`) of the status line that reports it, and classifies it
# by the source file of its innermost inlined frame:
#   orglint     the crate's own src/
#   harness     this fuzz crate (fuzz/src, fuzz/fuzz_targets)
#   dependency  .cargo/registry, .cargo/git, /rust/deps/ (std's own deps)
#   std         /rustc/... (core, alloc, std)
#   unknown     no line info (??)
# Only edges found after the corpus replay (INITED) are printed by libFuzzer.
#
# Usage: fuzz/newpcs.sh LOG [MAPS] [BIN]
#   LOG   libFuzzer log, e.g. fuzz/logs/org_file.log from plateau.sh
#   MAPS  copy of /proc/PID/maps of that fuzzer process (the binary is a PIE,
#         so addresses are only meaningful with its load base); default
#         LOG with .log replaced by .maps, which plateau.sh saves
#   BIN   the fuzz binary that ran (unchanged since); default: taken from
#         the log's "Running `target/...`" line, relative to fuzz/
# NEWPCS_ALL=1 also lists every new edge.
# Needs python3 and llvm-addr2line or GNU addr2line (ADDR2LINE=... overrides).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
[ $# -ge 1 ] && [ $# -le 3 ] || { sed -n "2,21p" "$0" >&2; exit 2; }
log="$1"
maps="${2:-${log%.log}.maps}"
bin="${3:-}"
[ -r "$log" ] || { echo "newpcs: cannot read log $log" >&2; exit 2; }
[ -r "$maps" ] || { echo "newpcs: cannot read maps $maps" >&2; exit 2; }
if [ -z "$bin" ]; then
  rel=$(grep -o -m1 'Running `[^ `]*' "$log" | sed 's/^Running `//' || true)
  [ -n "$rel" ] || { echo "newpcs: no 'Running' line in $log; pass BIN" >&2; exit 2; }
  case "$rel" in /*) bin="$rel" ;; *) bin="$here/$rel" ;; esac
fi
[ -r "$bin" ] || { echo "newpcs: cannot read binary $bin" >&2; exit 2; }
if [ -z "${ADDR2LINE:-}" ]; then
  # llvm-addr2line names inlined frames correctly; GNU addr2line gives the
  # innermost frame the name of the enclosing symbol (files/lines are right).
  ADDR2LINE=$(command -v llvm-addr2line || true)
  [ -n "$ADDR2LINE" ] || ADDR2LINE=$(compgen -c llvm-addr2line- | sort -V | tail -1 || true)
  [ -n "$ADDR2LINE" ] || ADDR2LINE=$(command -v addr2line || true)
  [ -n "$ADDR2LINE" ] || { echo "newpcs: no addr2line found" >&2; exit 2; }
fi
export ADDR2LINE
exec python3 - "$log" "$maps" "$bin" "$root" <<'PY'
import os, re, subprocess, sys

log, maps, binpath, root = sys.argv[1:5]
a2l = os.environ["ADDR2LINE"]
root = os.path.realpath(root)

# Load base: the first mapping of the binary with file offset 0.
base = None
bname = os.path.basename(binpath)
first = None
for line in open(maps, errors="replace"):
    f = line.split()
    if len(f) < 5:
        continue
    start = int(f[0].split("-")[0], 16)
    if first is None:
        first = (start, f)
    if len(f) >= 6 and os.path.basename(f[5]) == bname and int(f[2], 16) == 0:
        base = start
        try:
            if int(f[4]) != os.stat(binpath).st_ino:
                print(f"warning: {binpath} is not the file that ran (inode differs): rebuilt since?", file=sys.stderr)
        except (OSError, ValueError):
            pass
        break
if base is None:
    if first is None:
        sys.exit(f"newpcs: no mappings in {maps}")
    base = first[0]
    print(f"warning: {bname} not found in {maps}; using its first mapping as base", file=sys.stderr)

status_re = re.compile(r"^#(\d+)\s+(\w+)\s.*?exec/s: (\d+)")
newpc_re = re.compile(r"^\s*NEW_PC: (0x[0-9a-fA-F]+)")
done_re = re.compile(r"^Done (\d+) runs in (\d+) second")
pending = []          # NEW_PC addresses waiting for their status line
edges = []            # (run, address)
rate = {}             # run -> exec/s on its status line
inited = None
last_run = 0
done = None
for line in open(log, errors="replace"):
    m = newpc_re.match(line)
    if m:
        pending.append(int(m.group(1), 16))
        continue
    m = status_re.match(line)
    if m:
        n, kind, e = int(m.group(1)), m.group(2), int(m.group(3))
        rate[n] = e
        last_run = max(last_run, n)
        if kind == "INITED":
            inited = n
        edges += [(n, a) for a in pending]
        pending = []
        continue
    m = done_re.match(line)
    if m:
        done = (int(m.group(1)), int(m.group(2)))
unreported = len(pending)
edges += [(last_run, a) for a in pending]   # log cut before their status line
total = done[0] if done else last_run
if not edges:
    sys.exit(f"{log}: no NEW_PC lines (run libFuzzer with -print_pcs=1)")

# plateau.sh's clock (`SECONDS RUN` every 10 s), when there is one: a run is
# dated by the first poll that had reached it (exact to the poll interval).
clock = []
clock_file = re.sub(r"\.log$", ".clock", log)
if clock_file != log and os.path.exists(clock_file):
    for line in open(clock_file):
        f = line.split()
        if len(f) == 2 and f[0].isdigit() and f[1].isdigit():
            clock.append((int(f[1]), int(f[0])))

def secs(n):
    """Seconds since the start: from the clock when there is one, else
    estimated (libFuzzer's exec/s is runs / elapsed)."""
    for run, t in clock:
        if run >= n:
            return t
    if done and n == done[0]:
        return done[1]
    e = rate.get(n)
    return round(n / e) if e else None

def fmt_run(n):
    s = secs(n)
    return f"{n} (~{s} s)" if s is not None else str(n)

# Symbolize all addresses in one call; the printed PC is the next instruction
# after the PC-table entry (libFuzzer's GetNextInstructionPc), hence -1.
offs = sorted({a - base - 1 for _, a in edges})
out = subprocess.run([a2l, "-f", "-C", "-i", "-a", "-e", binpath],
                     input="".join(f"0x{o:x}\n" for o in offs),
                     capture_output=True, text=True, check=True).stdout.splitlines()
gnu = "llvm" not in os.path.basename(a2l)
frames = {}           # offset -> [(function, file, line)], innermost first
cur = None
i = 0
while i < len(out):
    l = out[i]
    if re.fullmatch(r"0x[0-9a-fA-F]+", l.strip()):
        cur = int(l, 16)
        frames[cur] = []
        i += 1
        continue
    fn = l
    loc = out[i + 1] if i + 1 < len(out) else "??:0"
    i += 2
    file, _, ln = loc.rpartition(":")
    ln = ln.split()[0] if ln else "?"
    if cur is not None:
        frames[cur].append([fn, file or loc, ln])
outer_name = {o: fr[-1][0] for o, fr in frames.items() if fr}
if gnu:
    for o, fr in frames.items():
        if len(fr) > 1:
            # GNU prints the enclosing symbol here, not the inlined function.
            outer_name[o] = fr[0][0]
            fr[0][0] = "?"

def classify(path):
    if not path or path.startswith("??"):
        return "unknown"
    if ".cargo/registry/" in path or ".cargo/git/" in path or "/rust/deps/" in path:
        return "dependency"
    if "/rustc/" in path:
        return "std"
    p = os.path.normpath(path)
    if p.startswith(root + "/fuzz/"):
        return "harness"
    if p.startswith(root + "/src/"):
        return "orglint"
    # Built elsewhere: match on the suffix after a /src/ (or /fuzz/) that
    # names a file of this checkout.
    parts = p.split("/")
    for k in range(len(parts) - 1, -1, -1):
        suffix = "/".join(parts[k:])
        if parts[k] == "fuzz" and os.path.exists(os.path.join(root, suffix)):
            return "harness"
        if parts[k] == "src" and (k == 0 or parts[k - 1] != "fuzz") \
                and os.path.exists(os.path.join(root, suffix)):
            return "orglint"
    return "other"

def short(path):
    p = os.path.normpath(path)
    if p.startswith(root + "/"):
        return p[len(root) + 1:]
    for mark in ("/registry/src/", "/rust/deps/", "/library/"):
        if mark in p:
            q = p.split(mark, 1)[1]
            return q.split("/", 1)[1] if mark == "/registry/src/" else q
    return p

def clip(s, n=90):
    return s if len(s) <= n else s[: n - 1] + "…"

classes = ["orglint", "harness", "dependency", "std", "unknown", "other"]
rows = []             # (run, class, frames, via_orglint, outermost function)
for n, a in edges:
    o = a - base - 1
    fr = frames.get(o) or [["??", "??", "0"]]
    c = classify(fr[0][1])
    via = c != "orglint" and any(classify(f[1]) == "orglint" for f in fr[1:])
    rows.append((n, c, fr, via, outer_name.get(o, fr[-1][0])))

start = inited or 0
print(f"{log}: {len(rows)} new edges after the corpus replay (INITED at run {start}); "
      f"{total} runs in all ({'exact' if done else 'still running or stopped'}; "
      f"~{secs(total) if secs(total) is not None else '?'} s)")
if unreported:
    print(f"  ({unreported} NEW_PC lines after the last status line, counted at run {last_run})")
span = max(total - start, 1)
q = lambda n: min(3, max(0, (n - start) * 4 // span))
print(f"{'class':<11} {'edges':>5}  {'last new at run':<22} per quarter of the fuzzing runs")
for c in classes:
    rs = [r for r in rows if r[1] == c]
    if not rs and c in ("harness", "other"):
        continue
    quarters = [0, 0, 0, 0]
    for r in rs:
        quarters[q(r[0])] += 1
    last = fmt_run(max(r[0] for r in rs)) if rs else "-"
    print(f"{c:<11} {len(rs):>5}  {last:<22} {' '.join(f'{x:>4}' for x in quarters)}")
via = [r for r in rows if r[3]]
if via:
    print(f"(of the non-orglint edges, {len(via)} are inlined into orglint functions; "
          f"last at run {fmt_run(max(r[0] for r in via))})")
print("seconds: from plateau.sh's clock (to 10 s)" if clock
      else "seconds are estimates: run / exec/s of that status line")

def nearest_own(fr):
    for f in fr[1:]:
        if classify(f[1]) == "orglint":
            return f
    return None

def edge_line(n, c, fr, outer):
    fn, file, ln = fr[0]
    s = f"  run {fmt_run(n):<20} {clip(fn, 50):<50} {short(file)}:{ln}"
    if c != "orglint":
        o = nearest_own(fr)
        if o:
            return s + f"  <- {clip(o[0], 50)} {short(o[1])}:{o[2]}"
    return s + (f"  (in {clip(outer, 60)})" if len(fr) > 1 and outer != fn else "")

if os.environ.get("NEWPCS_ALL"):
    print("\nall new edges (innermost frame; '<-' the nearest orglint frame it is inlined into):")
    for n, c, fr, _, outer in rows:
        print(f"{c:<10}" + edge_line(n, c, fr, outer))

own = [r for r in rows if r[1] == "orglint"]
print(f"\nlast {min(15, len(own))} new edges in orglint code:")
for n, c, fr, _, outer in own[-15:]:
    print(edge_line(n, c, fr, outer))
if via:
    print(f"last {min(10, len(via))} new edges in other code inlined into orglint functions "
          f"(innermost frame <- nearest orglint frame):")
    for n, c, fr, _, outer in via[-10:]:
        print(edge_line(n, c, fr, outer))
if own:
    n = max(r[0] for r in own)
    print(f"\norglint-code edges: last new at run {n} (of {total} runs, "
          f"{100 * n / total:.0f}% of the run; ~{secs(n)} of ~{secs(total)} s)")
else:
    print(f"\norglint-code edges: none new after the corpus replay (of {total} runs)")
PY
