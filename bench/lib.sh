# Shared by the bench scripts: time whole processes, variants interleaved (A B A B …), and report
# each variant's median and spread and the pairwise ratios. Source it; needs awk and date.

# Seconds (wall, fractional) to run "$@", its output discarded.
bench_time() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b-a}'
}

# "min median max" of the numbers given as arguments.
bench_stats() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.3f %.3f %.3f\n", a[1], a[int((NR+1)/2)], a[NR]}'
}

# bench_pair LABEL ROUNDS PREP_A CMD_A PREP_B CMD_B
# Runs PREP (untimed, e.g. removing an output) then CMD, for A then B, ROUNDS times (after one untimed
# warm-up of each), and prints one line: medians, min–max, and the median of the per-round ratios B/A.
bench_pair() {
  local label=$1 rounds=$2 prep_a=$3 cmd_a=$4 prep_b=$5 cmd_b=$6
  local as=() bs=() rs=() a b i
  eval "$prep_a"; eval "$cmd_a" >/dev/null 2>&1 || { echo "bench: A failed: $cmd_a" >&2; return 1; }
  eval "$prep_b"; eval "$cmd_b" >/dev/null 2>&1 || { echo "bench: B failed: $cmd_b" >&2; return 1; }
  for i in $(seq 1 "$rounds"); do
    eval "$prep_a"; a=$(bench_time bash -c "$cmd_a")
    eval "$prep_b"; b=$(bench_time bash -c "$cmd_b")
    as+=("$a"); bs+=("$b"); rs+=("$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.3f", b/a}')")
  done
  read -r amin amed amax <<<"$(bench_stats "${as[@]}")"
  read -r bmin bmed bmax <<<"$(bench_stats "${bs[@]}")"
  read -r rmin rmed rmax <<<"$(bench_stats "${rs[@]}")"
  printf '%-22s A %6.2fs (%.2f–%.2f)  B %6.2fs (%.2f–%.2f)  B/A %.2fx (%.2f–%.2f)  n=%d\n' \
    "$label" "$amed" "$amin" "$amax" "$bmed" "$bmin" "$bmax" "$rmed" "$rmin" "$rmax" "$rounds"
}
