#!/usr/bin/env bash
# Runs a command as if the CPU reported a large L3 cache (260 MiB by default, as some cloud VMs report), which is
# where .NET 10 reads the cache size to choose the GC gen0 budget: it bind-mounts a file with the fake size over
# sysfs in a private mount namespace (needs root). MW_FAKE_L3_KB sets another size. Example:
#   bench/scripts/big-l3-cache.sh dotnet bench/Moltworker.Benchmarks/bin/Release/net10.0/Moltworker.Benchmarks.dll kernel
set -euo pipefail
fake=$(mktemp); echo "${MW_FAKE_L3_KB:-266240}K" > "$fake"
exec unshare -m bash -c "mount --bind '$fake' /sys/devices/system/cpu/cpu0/cache/index3/size && for c in /sys/devices/system/cpu/cpu[1-9]*/cache/index3/size; do [ -e \"\$c\" ] && mount --bind '$fake' \"\$c\"; done; exec \"\$@\"" bash "$@"
