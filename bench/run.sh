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
    sed -n '/^|/p' "$report"
    echo
  done
} >"$results/latest.md"

echo "bench: wrote $results/latest.md"
