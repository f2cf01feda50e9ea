#!/usr/bin/env bash
# Build time of a generated project of 500 files and 5,000 gated call sites, with and without the [Gate]
# generator, from scratch and after an edit in one file. Prints a markdown section for results/latest.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build "$root/src/AgentBill/AgentBill.csproj" -c Release -f net10.0 >/dev/null
core="$root/src/AgentBill/bin/Release/net10.0/AgentBill.dll"
generator="$root/generators/AgentBill.Generators/bin/Release/netstandard2.0/AgentBill.Generators.dll"

make_project() { # $1 folder, $2 "with" or "without"
  local dir=$1
  mkdir -p "$dir"
  echo '<Project />' >"$work/Directory.Build.props"
  echo '<Project />' >"$work/Directory.Packages.props"
  local analyzer=""
  [ "$2" = with ] && analyzer="<Analyzer Include=\"$generator\" />"
  cat >"$dir/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Library</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <InterceptorsNamespaces>\$(InterceptorsNamespaces);AgentBill.Generated</InterceptorsNamespaces>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="$core" />
    $analyzer
  </ItemGroup>
</Project>
XML
  {
    echo "using AgentBill;"
    echo "namespace App;"
    echo "public static class Agents {"
    for m in $(seq 0 49); do echo "  [Gate(\"agent$m\", EstimatedUnits = 3)] public static Task<int> Run$m(int x) => Task.FromResult(x);"; done
    echo "}"
  } >"$dir/Agents.cs"
  for f in $(seq 0 499); do
    {
      echo "namespace App;"
      echo "public static class Caller$f {"
      echo "  public static async Task<int> Go() {"
      echo "    var total = 0;"
      for c in $(seq 0 9); do echo "    total += await Agents.Run$(( (f * 10 + c) % 50 ))($c);"; done
      echo "    return total;"
      echo "  }"
      echo "}"
    } >"$dir/Caller$f.cs"
  done
  dotnet restore "$dir" >/dev/null
}

seconds() { # $1 project folder, rest: build arguments
  local dir=$1; shift
  local start end
  start=$(date +%s.%N)
  dotnet build "$dir" -c Release --no-restore -nologo -v:q "$@" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }' 
}

declare -A full edit
for variant in without with; do
  dir="$work/$variant"
  make_project "$dir" "$variant"
  # One build of each kind keeps bench/run.sh within its ten minutes; the two variants run back to back.
  rm -rf "$dir/obj/Release" "$dir/bin"
  full[$variant]=$(seconds "$dir")
  echo "// an edit" >>"$dir/Caller7.cs"
  edit[$variant]=$(seconds "$dir")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
full_ratio=$(ratio "${full[with]}" "${full[without]}")
edit_ratio=$(ratio "${edit[with]}" "${edit[without]}")
met() { awk -v r="$1" 'BEGIN { print (r <= 1.10 ? "met" : "missed") }'; }

cat <<MD
## Generator cost

500 files, 5,000 gated call sites (50 gated methods), built with \`dotnet build -c Release\`, one build each.

| build | without generator | with generator | ratio | target ≤ 1.10 |
|---|--:|--:|--:|:-:|
| from scratch | ${full[without]} s | ${full[with]} s | $full_ratio | $(met "$full_ratio") |
| after editing one file | ${edit[without]} s | ${edit[with]} s | $edit_ratio | $(met "$edit_ratio") |

That an edit regenerates only its own file's interceptors is checked by
\`tests/AgentBill.Generators.Tests/IncrementalityTests.cs\` (every other file's output stays cached).

MD
