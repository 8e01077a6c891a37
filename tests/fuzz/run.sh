#!/usr/bin/env bash
# Builds the fuzz harnesses (tests/fuzz/, clang++ with libFuzzer, ASan and
# UBSan) and runs each for a bounded time or number of executions, starting
# from the seed corpora of tests/fuzz/seeds.list. docs/fuzzing.md.
#
#   tests/fuzz/run.sh --ci                 # CI: a fixed seed and a fixed number of executions
#   tests/fuzz/run.sh                      # 10 s per harness, a new random seed each time
#   tests/fuzz/run.sh --time 600 scenario  # 10 minutes of the scenario reader
#   tests/fuzz/run.sh --runs 1000000       # the long run: a million executions per harness
#
# Options: --time S (seconds per harness), --runs N (executions per harness;
# with both, whichever comes first), --seed N (libFuzzer's random seed; default
# random), --ci (seed 1 and, per harness, the executions of about 10 s on the
# 2-core machine, capped at 60 s: the same inputs on every CI run, so that CI
# passes or fails on the code, not on the luck of the draw; docs/fuzzing.md),
# --build DIR (default build-fuzz), --no-build, --timeout S (seconds one input
# may take before it counts as a hang; default 10: raise it for a long run on a
# loaded machine, where a starved process can miss 10 s of wall clock).
# Exit 0 when every harness ran clean; 1 when one found something (the input is
# kept under DIR/artifacts/HARNESS/, the report in DIR/logs/HARNESS.log); 2 for
# a bad flag or a build failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

all=(scenario rulebook trace mapping import sweep size_program)
time_s=10
time_given=0
runs=""
build=build-fuzz
do_build=1
seed=""
ci=0
timeout_s=10
selected=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --time) time_s="${2:?--time needs seconds}"; time_given=1; shift 2 ;;
    --runs) runs="${2:?--runs needs a count}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --ci) ci=1; seed=1; shift ;;
    --build) build="${2:?--build needs a folder}"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --timeout) timeout_s="${2:?--timeout needs seconds}"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *)
      if [[ " ${all[*]} " != *" $1 "* ]]; then
        echo "run.sh: unknown harness '$1' (expected one of: ${all[*]})" >&2; exit 2
      fi
      selected+=("$1"); shift ;;
  esac
done
[[ ${#selected[@]} -eq 0 ]] && selected=("${all[@]}")
[[ "$time_s" =~ ^[0-9]+$ ]] || { echo "run.sh: --time expects whole seconds, got '$time_s'" >&2; exit 2; }
[[ -z "$runs" || "$runs" =~ ^[0-9]+$ ]] || { echo "run.sh: --runs expects a count, got '$runs'" >&2; exit 2; }
[[ -z "$seed" || "$seed" =~ ^[0-9]+$ ]] || { echo "run.sh: --seed expects a number, got '$seed'" >&2; exit 2; }
[[ "$timeout_s" =~ ^[0-9]+$ && "$timeout_s" -ge 1 ]] || { echo "run.sh: --timeout expects whole seconds >= 1, got '$timeout_s'" >&2; exit 2; }

# --ci: executions per harness, about 10 s each at the rates measured on the
# 2-core machine (docs/fuzzing.md). A fixed seed and count make the run
# repeatable; the 60 s cap only ever cuts it short, to a prefix of the same
# inputs, so a slow machine can pass less but never fail differently.
ci_runs() {
  case "$1" in
    scenario) echo 900 ;;
    import) echo 1800 ;;
    trace) echo 100000 ;;
    *) echo 8000 ;;
  esac
}

if [[ $do_build -eq 1 ]]; then
  echo "== fuzz build ($build: clang++, libFuzzer, ASan, UBSan; readers only) =="
  start=$SECONDS
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ -DHALLTWIN_FUZZ=ON \
    -DHALLTWIN_VIEWER=OFF -DHALLTWIN_MPI=OFF "${launcher[@]}" >/dev/null || exit 2
  cmake --build "$build" -j2 || exit 2
  echo "build: $((SECONDS - start)) s"
fi

# Seeds: tests/fuzz/seeds.list and tests/fuzz/regressions/HARNESS/*.
seed_corpus() {
  local name=$1 dir=$2 h src file n
  while read -r h src; do
    [[ -z "$h" || "$h" == \#* || "$h" != "$name" ]] && continue
    if [[ "$src" == *"#csv" ]]; then
      # Every ```csv block of a Markdown file, one seed each.
      awk -v out="$dir/seed-md" '/^```csv/{n++; f=out "-" n ".csv"; on=1; next} /^```/{on=0} on{print > f}' \
        "$root/${src%#csv}"
    elif [[ "$src" == *"@"* ]]; then
      n=${src##*@}
      for file in $root/${src%@*}; do
        [[ -f "$file" ]] && head -c "$n" "$file" > "$dir/seed-$(basename "$file")"
      done
    else
      for file in $root/$src; do
        [[ -f "$file" ]] && cp "$file" "$dir/seed-$(echo "${file#"$root"/}" | tr / _)"
      done
    fi
  done < "$root/tests/fuzz/seeds.list"
  if [[ -d "$root/tests/fuzz/regressions/$name" ]]; then
    for file in "$root/tests/fuzz/regressions/$name"/*; do
      [[ -f "$file" ]] && cp "$file" "$dir/regression-$(basename "$file")"
    done
  fi
  return 0
}

mkdir -p "$build/corpus" "$build/logs" "$build/artifacts"
failed=()
printf '%-14s %10s %10s %8s %8s  %s\n' harness executions exec/s seconds corpus result
for name in "${selected[@]}"; do
  corpus="$build/corpus/$name"
  artifacts="$build/artifacts/$name"
  log="$build/logs/$name.log"
  # --ci starts from the seeds alone, as a clean clone does, whatever earlier runs grew.
  [[ $ci -eq 1 ]] && rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts"
  seed_corpus "$name" "$corpus"
  limits=(-max_total_time="$time_s")
  if [[ $ci -eq 1 ]]; then
    limits=(-runs="$(ci_runs "$name")" -max_total_time=60)
  elif [[ -n "$runs" ]]; then
    limits=(-runs="$runs")
    [[ $time_given -eq 1 ]] && limits+=(-max_total_time="$time_s")
  fi
  # -timeout: one input taking --timeout s (10) is a finding (a reader that hangs);
  # -rss_limit_mb: one input taking 2 GB is one too. detect_leaks: a leak is a finding.
  # -purge_allocator_interval=-1: libFuzzer otherwise purges ASan's caches and
  # quarantine every second once the process passes half the RSS limit (1 GB,
  # which a long run's quarantine and corpus reach): the scenario run of
  # 2026-12-03 then spent three quarters of its time refaulting freed pages and
  # fell from 90 to 7 executions per second (docs/fuzzing.md).
  start=$SECONDS
  set +e
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/fuzz_$name" "${limits[@]}" ${seed:+-seed="$seed"} -timeout="$timeout_s" -rss_limit_mb=2048 -purge_allocator_interval=-1 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" > "$log" 2>&1
  rc=$?
  set -e
  secs=$((SECONDS - start))
  execs=$(awk '/stat::number_of_executed_units/{print $2}' "$log")
  rate=$(awk '/stat::average_exec_per_sec/{print $2}' "$log")
  size=$(find "$corpus" -type f | wc -l)
  if [[ $rc -eq 0 ]]; then result=clean; else result="FINDING (exit $rc): $log, $artifacts/"; failed+=("$name"); fi
  printf '%-14s %10s %10s %8s %8s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "$secs" "$size" "$result"
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  for name in "${failed[@]}"; do grep -m3 -E 'ERROR|SUMMARY|runtime error|deadly|timeout|uncaught' "$build/logs/$name.log" >&2 || true; done
  exit 1
fi
echo "fuzz: all ${#selected[@]} harnesses clean"
