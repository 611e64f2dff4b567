#!/usr/bin/env bash
# Rebuilds the two metapackages into packages/. Run only when their source changes;
# the .nupkg files are committed so a fresh clone restores with no extra step.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for project in Patched.DistributedLock.Core Patched.DistributedLock.Postgres; do
  dotnet pack "$here/src/$project/$project.csproj" -c Release -o "$here/packages" --nologo
done
