#!/usr/bin/env bash
# Shows that the hardening tests (harness/**/*hardening*.test.ts) fail against an earlier harness and
# pass against this one: the same test files run on both trees, with the same node_modules.
# Usage: scripts/hardening-proof.sh [BASE]   (default BASE: d6b706d, the harness before the hardening issue)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-d6b706d}
old=$(mktemp -d /tmp/tfjs-repro-old-XXXXXX)
trap 'rm -rf "$old"' EXIT
git archive "$base" | tar -x -C "$old"
ln -s "$PWD/node_modules" "$old/node_modules"
mapfile -t tests < <(git ls-files 'harness/*hardening*.test.ts' 'harness/**/*hardening*.test.ts' | sort -u)
for t in "${tests[@]}"; do mkdir -p "$old/$(dirname "$t")"; cp "$t" "$old/$t"; done
count() { # tree file → "passing failing"; a file that cannot load in that tree reports "load-error"
  (cd "$1" && npx mocha --no-config --node-option import=tsx --extension ts --timeout 120000 --reporter json "$2" 2>/dev/null || true) \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const j=JSON.parse(s.slice(s.indexOf("{")));console.log(j.stats.passes, j.stats.failures)}catch{console.log("0 load-error")}})'
}
printf '%-52s %-22s %s\n' "hardening test file" "before ($base)" "now"
worse=0; better=0
for t in "${tests[@]}"; do
  read -r op of < <(count "$old" "$t")
  read -r np nf < <(count "$PWD" "$t")
  printf '%-52s %-22s %s\n' "$t" "$op passing, $of failing" "$np passing, $nf failing"
  [ "$nf" = 0 ] || worse=1
  [ "$of" != 0 ] || better=1
done
# Every file must pass now, and every file must have failed before (a test that passes on the old harness proves nothing).
[ "$worse" = 0 ] && [ "$better" = 0 ]
