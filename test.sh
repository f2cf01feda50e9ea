#!/usr/bin/env bash
# Runs every test in the solution, installing what the tests need first (redis-server for the Redis store,
# chromium for the dashboard's browser tests, PostgreSQL's server programs for the PostgreSQL store).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK 10 is required (https://dot.net); install it and run again." >&2
  exit 1
fi

# redis-cli too: the Redis Cluster tests create their cluster with it.
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "test.sh: installing redis-server and redis-cli (the Redis store's tests start their own servers)"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq redis-server redis-tools >/dev/null
  # The package starts a system-wide server; the tests start their own on free ports and need no other.
  $sudo_cmd systemctl stop redis-server >/dev/null 2>&1 || $sudo_cmd service redis-server stop >/dev/null 2>&1 || true
fi

# The dashboard's browser tests drive Debian's chromium with Playwright (no browser is downloaded).
if [ -z "${AGENTBILL_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing chromium (the dashboard's browser tests drive it headless)"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

# The PostgreSQL store's tests run initdb and pg_ctl themselves (as the postgres OS user when run as root), on
# free ports in temporary folders; AGENTBILL_PG_BIN names another folder holding those programs.
if [ -z "${AGENTBILL_PG_BIN:-}" ] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  echo "test.sh: installing postgresql (the PostgreSQL store's tests start their own servers)"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
  # The package starts a system-wide cluster; the tests need no other.
  $sudo_cmd systemctl stop postgresql >/dev/null 2>&1 || $sudo_cmd service postgresql stop >/dev/null 2>&1 || true
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test AgentBill.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# A crashed test host can still end in a "Passed!" line for the tests that ran before the crash.
if grep -qE "Catastrophic failure|Test process crashed|Test Run Aborted" "$log"; then
  echo "test.sh: a test host crashed; see the output above." >&2
  status=1
fi

# One plain closing line over every test assembly.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
     } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
