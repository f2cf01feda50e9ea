#!/usr/bin/env bash
# Runs every benchmark and writes bench/results/latest.md: the machine, the date, each figure and its ratio
# to a baseline measured in the same run. Budget: under ten minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")"

results=results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$results"

echo "bench: micro-benchmarks (BenchmarkDotNet)"
dotnet run -c Release --project AgentBill.Benchmarks -- --filter '*' --artifacts "$work/bdn" >"$work/bdn.log" 2>&1 \
  || { tail -40 "$work/bdn.log"; exit 1; }

{
  echo "# AgentBill benchmarks"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "- runtime: $(dotnet --version) SDK"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo
  echo "Every figure is read as its ratio to the baseline of its table, measured in the same run."
  echo
  echo "## Micro-benchmarks"
  echo
  for report in "$work"/bdn/results/*-report-github.md; do
    echo "### $(basename "$report" -report-github.md | sed 's/^AgentBill\.Benchmarks\.//')"
    echo
    sed -n '/^|/p' "$report"
    echo
  done

  echo "## Micro-benchmark targets"
  echo
  sed -n '/^<!-- targets -->$/,/^<!-- \/targets -->$/p' "$work/bdn.log" | sed '1d;$d'
  echo

  # Tokens per second of the estimator: the prompt's size (printed by the benchmark) over its mean time.
  tokens=$(grep -ho 'estimator prompt tokens: [0-9]*' "$work"/bdn/*.log 2>/dev/null | head -1 | grep -o '[0-9]*$' || true)
  mean=$(grep -h 'estimate a' "$work"/bdn/results/*EstimatorBenchmarks-report-github.md 2>/dev/null | awk -F'|' '{ print $3 }' | head -1)
  if [ -n "$tokens" ] && [ -n "$mean" ]; then
    echo "Estimator: $tokens tokens in $mean →" "$(awk -v t="$tokens" -v m="$mean" 'BEGIN {
      split(m, p, " "); v = p[1]; gsub(",", "", v); u = p[2];
      s = (u == "ns") ? v / 1e9 : (u == "μs" || u == "us") ? v / 1e6 : (u == "ms") ? v / 1e3 : v;
      printf "%.1f million tokens/s", t / s / 1e6 }')"
    echo
  fi
} >"$results/latest.md"

echo "bench: Redis load test"
dotnet run -c Release --project AgentBill.LoadTest -- 8 >>"$results/latest.md"

echo "bench: SQLite load test"
dotnet run -c Release --project AgentBill.SqliteLoadTest -- 8 >>"$results/latest.md"
echo >>"$results/latest.md"

echo "bench: PostgreSQL load test"
# A throwaway PostgreSQL server of the installed version (initdb + pg_ctl), with the defaults a money ledger keeps
# (fsync, synchronous_commit on); as root it runs as the postgres user, which initdb requires.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -n "$pgbin" ]; then
  pgdir=$(mktemp -d)
  pgport=54329
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$pgdir"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U agentbill --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=300" -w start >/dev/null
  "${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U agentbill bench
  dotnet run -c Release --project AgentBill.PostgresLoadTest -- 8 "Host=127.0.0.1;Port=$pgport;Username=agentbill;Database=bench" \
    "auto-prepare=Max Auto Prepare=64;Auto Prepare Min Usages=2" >>"$results/latest.md" || status=$?
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null || true
  rm -rf "$pgdir"
  [ "${status:-0}" -eq 0 ] || exit "$status"
  echo >>"$results/latest.md"
else
  echo "bench: no PostgreSQL installed (apt-get install postgresql): its load test is skipped" | tee -a "$results/latest.md"
fi

echo "bench: generator build cost"
./generator-cost.sh >>"$results/latest.md"

echo "bench: wrote $results/latest.md"
