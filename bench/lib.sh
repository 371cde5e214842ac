# Shared by the bench scripts: time whole processes, variants interleaved (A B A B …), and report
# each variant's median and spread and the pairwise ratios. Source it; needs bash 5 (EPOCHREALTIME), awk and date.

# "WALL CPU RSS_MB" of running "$@" (CPU = user + sys of the process and its children, which on a
# shared machine moves less than wall time; RSS = the largest process's peak), its output discarded.
# Wall time is read from bash's microsecond clock around the run (time(1)'s own is in hundredths: a
# difference of two medians over 90 layers could only be told to 0.11 ms a layer).
# With BENCH_RESIDENT_DIR (the folder of resident JVMs), a command run with DISTROLIX_DAEMON=1 has their CPU in the
# run added (with their waited-for children: Nix) and RSS is the larger of the process's and theirs (their peak in
# the run: the kernel's peak is reset before it), since a run they serve spends its CPU and memory there, not in
# the client time(1) sees.
bench_time() {
  local f t0 t1 x0 x1 xm
  f=$(mktemp)
  x0="0 0"
  [[ "$*" == *DISTROLIX_DAEMON=1* ]] && x0=$(bench_resident_cpu reset)
  t0=${EPOCHREALTIME/[^0-9]/} # microseconds: the locale's decimal mark (a comma in some) taken out
  /usr/bin/time -o "$f" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || { rm -f "$f"; echo "bench: failed: $*" >&2; return 1; }
  t1=${EPOCHREALTIME/[^0-9]/}
  x1=${x0% *} xm=0
  # the resident JVM collects its heap after the client has its exit status: charged to the run that left it
  [[ "$*" == *DISTROLIX_DAEMON=1* ]] && sleep 0.3 && read -r x1 xm <<<"$(bench_resident_cpu)"
  read -r x0 _ <<<"$x0"
  awk -v us=$((t1 - t0)) -v x=$((x1 - x0)) -v hz="$(getconf CLK_TCK)" -v xm="$xm" \
    '{m = $4 > xm ? $4 : xm; printf "%.4f %.3f %.1f\n", us / 1000000, $2 + $3 + x / hz, m / 1024}' "$f"
  rm -f "$f"
}

# "TICKS PEAK_KB": the CPU clock ticks (user + system, with waited-for children) and the largest peak RSS of the
# resident JVMs whose lock files are in BENCH_RESIDENT_DIR; "0 0" without it. With "reset", each one's peak RSS is
# then reset to its present RSS (/proc/PID/clear_refs, Linux 4.0+).
bench_resident_cpu() {
  local f pid stat rest ticks=0 peak=0 line fields
  for f in ${BENCH_RESIDENT_DIR:+"$BENCH_RESIDENT_DIR"/*.lock}; do
    { read -r pid < "$f"; } 2>/dev/null || continue # a lock file its JVM removed at exit meanwhile
    [ "${1:-}" = reset ] && { echo 5 > "/proc/$pid/clear_refs"; } 2>/dev/null
    { read -r stat < "/proc/$pid/stat"; } 2>/dev/null || continue
    rest=${stat##*) } # after the command's name, which may hold spaces
    read -r -a fields <<<"$rest"
    # fields from the state (field 3): utime 14, stime 15, cutime 16, cstime 17
    ticks=$((ticks + fields[11] + fields[12] + fields[13] + fields[14]))
    while read -r line; do
      case $line in VmHWM:*) line=${line#VmHWM:}; line=${line% kB}; line=${line// /}; [ "$line" -gt "$peak" ] && peak=$line ;; esac
    done < "/proc/$pid/status"
  done
  echo "$ticks $peak"
}

# "min median max" of the numbers given as arguments.
bench_stats() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.3f %.3f %.3f\n", a[1], a[int((NR+1)/2)], a[NR]}'
}

# Where the start-up archives of the checkouts measured are: this one's (run from the repository root), and
# another's too where a bench runs two (revisions-bench.sh sets it; space-separated).
BENCH_ARCHIVE_DIRS=${BENCH_ARCHIVE_DIRS:-distrolix-cli/target}

# The start-up archives' stamps (size, java, what each was trained on), or nothing.
bench_archive_stamp() {
  local d
  for d in $BENCH_ARCHIVE_DIRS; do
    # the content and the time: an archive made again by a run like the last is often the same size
    cat "$d"/distrolix*.aot.stamp "$d"/distrolix*.jsa.stamp 2>/dev/null || true
    stat -c '%n %y' "$d"/distrolix*.aot.stamp "$d"/distrolix*.jsa.stamp 2>/dev/null || true
  done
}

# Waits (up to 30 s) until no start-up archive is being made in the background.
bench_archive_settle() {
  local i d busy
  for i in $(seq 1 150); do
    busy=0
    for d in $BENCH_ARCHIVE_DIRS; do
      ls "$d"/distrolix*.making >/dev/null 2>&1 && busy=1
    done
    [ "$busy" = 0 ] && return 0
    sleep 0.2
  done
}

# Removes the start-up archives (once none is being made), so that the next runs of each kind make them anew.
bench_archive_reset() {
  local d
  bench_archive_settle
  for d in $BENCH_ARCHIVE_DIRS; do
    rm -f "$d"/distrolix*.aot "$d"/distrolix*.jsa "$d"/distrolix*.stamp "$d"/distrolix*.failed "$d"/distrolix*.partial*
  done
}

# bench_pair LABEL ROUNDS PREP_A CMD_A PREP_B CMD_B
# Runs PREP (untimed, e.g. removing an output) then CMD, for A then B, ROUNDS times (after untimed
# warm-ups of each, see below), and prints two lines: wall and CPU seconds, each as medians with min–max and the
# median of the per-round ratios B/A, and the peak RSS medians. With BENCH_DIFF=1, a last line
# "LABEL diff MEDIAN MIN MAX": each round's B - A wall seconds (a paired difference, for a cost in seconds).
bench_pair() {
  local label=$1 rounds=$2 prep_a=$3 cmd_a=$4 prep_b=$5 cmd_b=$6
  local aw=() bw=() rw=() dw=() ac=() bc=() rc=() am=() bm=() a b i pass before
  # Warm-up: bin/distrolix (re)makes its start-up archive after a run that loads classes it lacks, in the
  # background; a timed run must neither record one nor race its making. So each warm-up waits for the archive,
  # and the pair warms up again while a pass made one (B's first run may have started while A's was made; a warm
  # build makes again what a cold one made). Each case starts without archives: its own runs make them, as a
  # user's first runs of a kind make the archive the runs like them use after. One made by another case or a
  # test lacks classes these runs load and holds others they never do, all loaded at every start: a locked
  # re-push took 1.8x the time with the archive a `--locked` build to a folder had made (its kind then). A run that
  # made no layer (an unchanged rebuild or re-push) leaves its archive to be made again by the next run of its kind,
  # twice at most (bin/distrolix's ARCHIVE.partial): up to three passes record for such a case.
  bench_archive_reset
  # quick mode (one round: CI's, so that the benches never rot; its figures are not results) does not warm up: each
  # command still runs once, and the next case's reset waits for an archive its run is making. It kept CI under its
  # 30 minutes (29:11 with a warm-up a case, 20 min of it Maven's, on a slow hour).
  local passes=5
  [ "$rounds" = 1 ] && passes=0
  for pass in $(seq 1 "$passes"); do
    before=$(bench_archive_stamp)
    # a peer or floor (no distrolix in A or its preparation) makes no archive: warmed up once
    if [ "$pass" = 1 ] || [[ "$prep_a $cmd_a" == *distrolix* ]]; then
      eval "$prep_a"; eval "$cmd_a" >/dev/null 2>&1 || { echo "bench: A failed: $cmd_a" >&2; return 1; }
      bench_archive_settle
    fi
    eval "$prep_b"; eval "$cmd_b" >/dev/null 2>&1 || { echo "bench: B failed: $cmd_b" >&2; return 1; }
    bench_archive_settle
    [ "$(bench_archive_stamp)" = "$before" ] && break
    [ "$pass" = 5 ] && echo "bench: $label: the start-up archives were still being made after five warm-ups" >&2
  done
  for i in $(seq 1 "$rounds"); do
    eval "$prep_a"; read -r a_w a_c a_m <<<"$(bench_time bash -c "$cmd_a")"
    eval "$prep_b"; read -r b_w b_c b_m <<<"$(bench_time bash -c "$cmd_b")"
    aw+=("$a_w"); bw+=("$b_w"); rw+=("$(awk -v a="$a_w" -v b="$b_w" 'BEGIN{printf "%.3f", b/a}')")
    dw+=("$(awk -v a="$a_w" -v b="$b_w" 'BEGIN{printf "%.4f", b - a}')")
    ac+=("$a_c"); bc+=("$b_c"); rc+=("$(awk -v a="$a_c" -v b="$b_c" 'BEGIN{printf "%.3f", b/a}')")
    am+=("$a_m"); bm+=("$b_m")
  done
  for kind in wall cpu; do
    if [ $kind = wall ]; then read -r amin amed amax <<<"$(bench_stats "${aw[@]}")"; read -r bmin bmed bmax <<<"$(bench_stats "${bw[@]}")"; read -r rmin rmed rmax <<<"$(bench_stats "${rw[@]}")"
    else read -r amin amed amax <<<"$(bench_stats "${ac[@]}")"; read -r bmin bmed bmax <<<"$(bench_stats "${bc[@]}")"; read -r rmin rmed rmax <<<"$(bench_stats "${rc[@]}")"; fi
    printf '%-20s %-4s A %6.2fs (%.2f–%.2f)  B %6.2fs (%.2f–%.2f)  B/A %.2fx (%.2f–%.2f)  n=%d\n' \
      "$label" "$kind" "$amed" "$amin" "$amax" "$bmed" "$bmin" "$bmax" "$rmed" "$rmin" "$rmax" "$rounds"
  done
  read -r _ amem _ <<<"$(bench_stats "${am[@]}")"; read -r _ bmem _ <<<"$(bench_stats "${bm[@]}")"
  printf '%-20s rss  A %6.0f MB  B %6.0f MB\n' "$label" "$amem" "$bmem"
  if [ "${BENCH_DIFF:-}" = 1 ]; then
    read -r dmin dmed dmax <<<"$(bench_stats "${dw[@]}")"
    printf '%s diff %s %s %s\n' "$label" "$dmed" "$dmin" "$dmax"
  fi
}

# "MEDIAN MIN MAX" of the per-round B - A wall seconds in what BENCH_DIFF=1 bench_pair printed ("$1").
bench_diffs() {
  awk '$(NF - 3) == "diff" {print $(NF - 2), $(NF - 1), $NF}' <<<"$1"
}

# bench_registry DIR: starts the distribution registry on a random free loopback port (another one when it
# is taken), its data and log in DIR; sets port and regpid (the caller's EXIT trap kills it).
bench_registry() {
  local dir=$1
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    cat > "$dir/registry.yml" <<CONF
version: 0.1
storage: { filesystem: { rootdirectory: $dir/registry-data } }
http: { addr: 127.0.0.1:$port }
log: { level: error, accesslog: { disabled: true } }
CONF
    docker-registry serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 &
    regpid=$!
    for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && return 0
    kill $regpid 2>/dev/null || true
  done
  echo "bench: the registry did not start (see $dir/registry.log)" >&2
  return 1
}

# bench_signed_cache WORK NAME ROOT CACHE: a signed binary cache (file://WORK/CACHE, Nix's default xz NARs) of ROOT's
# closure, its key pair WORK/CACHE.sk and WORK/CACHE.pk, the key named NAME.
bench_signed_cache() {
  local work=$1 X=(--extra-experimental-features nix-command)
  nix-store --generate-binary-cache-key "$2" "$work/$4.sk" "$work/$4.pk" >/dev/null
  nix "${X[@]}" copy --to "file://$work/$4" "$3" 2>/dev/null
  nix "${X[@]}" store sign --store "file://$work/$4" --key-file "$work/$4.sk" -r "$3" >/dev/null 2>&1
}

# bench_lock_paths3000 WORK NAME: a signed binary cache of the 3,001-path synthetic closure
# (file://WORK/bincache-paths3000, key NAME) and bench/paths3000.yaml copied to WORK/locked-paths3000 (its package
# file named by its absolute path) with a lock against it; sets pspec (its spec). Needs D. A build from it runs no Nix program: the lock is fresh and Nix's database says the local
# store holds every locked path with its locked NAR hash.
bench_lock_paths3000() {
  bench_signed_cache "$1" "$2" "$(readlink -f testing/result/syn-paths3000)" bincache-paths3000
  mkdir -p "$1/locked-paths3000"
  pspec="$1/locked-paths3000/image.yaml"
  sed "s|\.\./testing/synthetic/|$PWD/testing/synthetic/|" bench/paths3000.yaml > "$pspec"
  "$D" lock "$pspec" --substituter "file://$1/bincache-paths3000" \
    --trusted-public-key "$(cat "$1/bincache-paths3000.pk")" >/dev/null
}

# bench_lock_nginx WORK NAME: a signed binary cache of the nginx fixture's closure (file://WORK/bincache, key NAME)
# and the nginx example copied to WORK/locked with a lock against it; sets lspec (its spec). Needs D and inc.
bench_lock_nginx() {
  bench_signed_cache "$1" "$2" "$(readlink -f testing/result/nginx)" bincache
  cp -r examples/nginx "$1/locked"
  lspec="$1/locked/image.yaml"
  "$D" lock "$lspec" $inc --substituter "file://$1/bincache" --trusted-public-key "$(cat "$1/bincache.pk")" >/dev/null
}
