#!/usr/bin/env bash
# Seeds the corpus of every fuzz target from ../fixtures (and ./seeds).
# Usage: fuzz/seed.sh   (from anywhere; rewrites fuzz/corpus/*/seed-*)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fixtures="$here/../fixtures"
corpus="$here/corpus"
mkdir -p "$corpus"/{org_file,org_files,config,pack}
rm -f "$corpus"/*/seed-*

n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$corpus/org_file/seed-$n-$(basename "$f")"
done < <(find "$fixtures" -name '*.toml' -not -name 'orglint.toml' -not -path '*/packs/*/rules/*' -print0 | sort -z)

# One multi-file input per fixture directory that holds org files.
n=0
while IFS= read -r -d '' dir; do
  files=()
  while IFS= read -r -d '' f; do files+=("$f"); done \
    < <(find "$dir" -name '*.toml' -not -name 'orglint.toml' -not -path '*/packs/*/rules/*' -print0 | sort -z)
  [ "${#files[@]}" -gt 0 ] || continue
  n=$((n + 1))
  out="$corpus/org_files/seed-$n"
  : > "$out"
  for i in "${!files[@]}"; do
    [ "$i" -eq 0 ] || printf '\n#%%%%\n' >> "$out"
    cat "${files[$i]}" >> "$out"
  done
done < <(find "$fixtures/example" "$fixtures/formats" "$fixtures/hostile" "$fixtures/packs/acme/org" "$fixtures/rules" -mindepth 0 -type d \( -name pass -o -name fail -o -name example -o -name formats -o -name hostile -o -name org \) -print0 | sort -z)

cp "$fixtures/packs/acme/orglint.toml" "$corpus/config/seed-acme.toml"
cp "$here/../src/cli/init/orglint.toml" "$corpus/config/seed-init.toml"
for f in "$here"/seeds/config/*.toml; do cp "$f" "$corpus/config/seed-$(basename "$f")"; done

cp "$fixtures/packs/acme/rules/acme.toml" "$corpus/pack/seed-acme.toml"
cp "$here/../rules/builtin.toml" "$corpus/pack/seed-builtin.toml"
for f in "$here"/seeds/pack/*.toml; do cp "$f" "$corpus/pack/seed-$(basename "$f")"; done

for t in org_file org_files config pack; do
  echo "$t: $(ls "$corpus/$t" | wc -l) inputs"
done
