#!/usr/bin/env bash
# Release builds of the host into artifacts/publish/<rid>[-self-contained]/ and a tarball of each into artifacts/release/.
#   eng/release.sh                       framework-dependent ReadyToRun for linux-x64 and linux-arm64, self-contained for linux-x64
#   eng/release.sh linux-x64             only that runtime (framework-dependent)
#   SELF_CONTAINED_RIDS="linux-x64 linux-arm64" eng/release.sh
# The commit (git rev-parse HEAD, or $SOURCE_REVISION outside a git checkout) is stamped into the version:
# `moltworker --version` prints e.g. 0.1.0+3f2a…  Set DOTNET=... to use another dotnet, LOCK=... to wrap each dotnet
# call in `flock $LOCK` (shared build machines).
set -euo pipefail
cd "$(dirname "$0")/.."
rids=("${@:-linux-x64 linux-arm64}")
read -r -a rids <<< "${rids[*]}"
read -r -a self_contained <<< "${SELF_CONTAINED_RIDS-linux-x64}"
revision="${SOURCE_REVISION:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)"
dotnet() { if [ -n "${LOCK:-}" ]; then flock "$LOCK" "${DOTNET:-dotnet}" "$@"; else "${DOTNET:-dotnet}" "$@"; fi; }
mkdir -p artifacts/release

publish() { # $1 rid, $2 profile, $3 folder suffix
  local rid="$1" profile="$2" suffix="$3"
  echo "== $rid ($profile)"
  dotnet publish src/Moltworker.Host/Moltworker.Host.csproj -c Release -r "$rid" -p:PublishProfile="$profile" \
    -p:SourceRevisionId="$revision" --nologo
  local dir="artifacts/publish/$rid$suffix"
  tar -C "$dir" -czf "artifacts/release/moltworker-$version-$rid$suffix.tar.gz" .
  echo "   $dir -> artifacts/release/moltworker-$version-$rid$suffix.tar.gz"
}

for rid in "${rids[@]}"; do publish "$rid" ReadyToRun ""; done
if [ "$#" -eq 0 ]; then
  for rid in "${self_contained[@]}"; do publish "$rid" SelfContained "-self-contained"; done
fi
echo "version $version+$revision"
