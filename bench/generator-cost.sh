#!/usr/bin/env bash
# Build time of generated projects with and without the [Gate] generator, as ratios to the build without it
# measured in the same run. Three projects of 500 files each:
#   all-gated   5,000 call sites, every one of a gated method (50 gated methods): the generator's worst case
#   realistic   ~5,000 ordinary invocations and method groups, 50 gated call sites
#   no-gate     the realistic project without any [Gate]: what a project that only references AgentBill pays
# The figure is the CPU time (user + system) of the build, with the compiler in the build's own process tree
# (UseSharedCompilation=false, no MSBuild node reuse): on a shared machine other work stretches wall time by
# seconds (measured here: identical builds 0.6x to 1.4x apart), but hardly the CPU a build needs. It is the cold
# compiler's case, as on CI: every build loads and JIT-compiles the compiler and the generator, which a warm
# compiler server does once. Each build is taken $runs times, the variants alternating, and the least is kept.
# The generator's own time, as the compiler reports it, comes from one more build. Prints a markdown section.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=${GENERATOR_COST_RUNS:-2}

dotnet build "$root/src/AgentBill/AgentBill.csproj" -c Release -f net10.0 >/dev/null
core="$root/src/AgentBill/bin/Release/net10.0/AgentBill.dll"
generator="$root/generators/AgentBill.Generators/bin/Release/netstandard2.0/AgentBill.Generators.dll"
echo '<Project />' >"$work/Directory.Build.props"
echo '<Project />' >"$work/Directory.Packages.props"

write_csproj() { # $1 folder, $2 "with" or "without"
  local analyzer=""
  [ "$2" = with ] && analyzer="<Analyzer Include=\"$generator\" />"
  cat >"$1/App.csproj" <<XML
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
}

write_agents() { # $1 folder, $2 "gated" or "plain"
  {
    echo "using AgentBill;"
    echo "namespace App;"
    echo "public static class Agents {"
    for m in $(seq 0 49); do
      [ "$2" = gated ] && echo "  [Gate(\"agent$m\", EstimatedUnits = 3)]"
      echo "  public static Task<int> Run$m(int x) => Task.FromResult(x);"
    done
    echo "}"
  } >"$1/Agents.cs"
}

# 500 files of 10 calls each, every call a gated one.
write_all_gated() {
  write_agents "$1" gated
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
    } >"$1/Caller$f.cs"
  done
}

# 500 files of ordinary code: about ten invocations a file (collections, strings, LINQ, calls into other files,
# a method group), and in the first 50 files one call of a gated method each. $2: "gated" or "plain".
write_realistic() {
  write_agents "$1" "$2"
  for f in $(seq 0 499); do
    local next=$(( (f + 1) % 500 ))
    {
      echo "namespace App;"
      echo "public sealed class Service$f {"
      echo "  private readonly List<string> _names = new();"
      echo "  public int Count => _names.Count;"
      echo "  public void Add(string name) { _names.Add(name.Trim()); _names.Sort(StringComparer.Ordinal); }"
      echo "  public string Describe() => string.Join(\", \", _names.Where(n => n.Length > 2).Select(n => n.ToUpperInvariant()));"
      echo "  public int Total(IEnumerable<int> values) => values.Where(IsPositive).Sum() + Math.Max(Count, 1);"
      echo "  private static bool IsPositive(int value) => value > 0;"
      echo "  public async Task<int> RunAsync(Service$next other) {"
      echo "    other.Add(Describe());"
      if [ "$f" -lt 50 ]; then
        echo "    return await Agents.Run$f(other.Count);"
      else
        echo "    return await Task.FromResult(other.Count).ConfigureAwait(false);"
      fi
      echo "  }"
      echo "}"
    } >"$1/Service$f.cs"
  done
}

make_project() { # $1 name, $2 variant ("with"/"without")
  local dir="$work/$1-$2"
  mkdir -p "$dir"
  write_csproj "$dir" "$2"
  case $1 in
    all-gated) write_all_gated "$dir" ;;
    realistic) write_realistic "$dir" gated ;;
    no-gate) write_realistic "$dir" plain ;;
  esac
  dotnet restore "$dir" >/dev/null
}

build() { # $1 project folder, rest: more build arguments
  local dir=$1; shift
  dotnet build "$dir" -c Release --no-restore -nologo -nodeReuse:false -p:UseSharedCompilation=false "$@" >"$work/build.log" 2>&1 \
    || { tail -50 "$work/build.log"; exit 1; }
}

seconds() { # $1 project folder; prints the CPU seconds (user + system) of one build
  local TIMEFORMAT='%U %S'
  { time build "$1" -v:q; } 2>"$work/time.txt"
  awk '{ printf "%.2f", $1 + $2 }' "$work/time.txt"
}

# The GateGenerator's own time as the compiler reports it, from one more build from scratch. Kept out of the
# timed builds: reporting analyzer times slows the build down.
generator_seconds() { # $1 project folder
  rm -rf "$1/obj/Release" "$1/bin"
  build "$1" -v:d -p:ReportAnalyzer=true
  awk '/AgentBill.Generators.GateGenerator/ { print $1; exit }' "$work/build.log"
}

min() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a == "" || b < a) ? b : a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
met() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "met" : "missed") }'; }

declare -A full edit generator
projects="${PROJECTS:-all-gated realistic no-gate}"
for project in $projects; do
  for variant in without with; do make_project "$project" "$variant"; done
  for run in $(seq 1 "$runs"); do
    for variant in without with; do
      dir="$work/$project-$variant"
      rm -rf "$dir/obj/Release" "$dir/bin"
      full[$project-$variant]=$(min "${full[$project-$variant]:-}" "$(seconds "$dir")")
      for edited in "$dir/Service7.cs" "$dir/Caller7.cs"; do
        if [ -f "$edited" ]; then echo "// an edit $run" >>"$edited"; fi
      done
      edit[$project-$variant]=$(min "${edit[$project-$variant]:-}" "$(seconds "$dir")")
    done
  done
  generator[$project]=$(generator_seconds "$work/$project-with")
done

row() { # $1 project, $2 label, $3 target
  local kind name
  for kind in full edit; do
    local -n times=$kind
    name=$([ "$kind" = full ] && echo "from scratch" || echo "after editing one file")
    local without=${times[$1-without]} with=${times[$1-with]}
    local r; r=$(ratio "$with" "$without")
    echo "| $2, $name | $without s | $with s | ${generator[$1]} s | $r | ≤ $3: $(met "$r" "$3") |"
  done
}

cat <<MD
## Generator cost

500-file projects built with \`dotnet build -c Release\`, with and without the [Gate] generator: CPU seconds of
the build with the compiler in-process (the cold compiler's case), the least of $runs builds of each kind, the
variants alternating. "Generator" is the GateGenerator's own time inside the compiler
(\`-p:ReportAnalyzer=true\`, one build from scratch), loading and JIT-compiling it included.

| project | without generator | with generator | generator | ratio | target |
|---|--:|--:|--:|--:|:-:|
$(row realistic "realistic: ~5,000 ordinary invocations, 50 gated call sites" 1.10)
$(row no-gate "no [Gate] at all" 1.10)
$(row all-gated "all gated: 5,000 gated call sites" 1.5)

That an edit regenerates only the interceptors of the methods its file calls is checked by
\`tests/AgentBill.Generators.Tests/IncrementalityTests.cs\` (every other output stays cached).

MD
