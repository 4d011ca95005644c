#!/usr/bin/env bash
# Checks that a library (or program) uses no instruction above x86-64-v2:
# no AVX/AVX2/AVX-512/FMA/F16C (VEX or EVEX encodings: the v-prefixed
# mnemonics, ymm/zmm registers, opmask registers) and no BMI1/BMI2/LZCNT/MOVBE.
# Usage: scripts/check_isa.sh FILE...   Exit 1 and a count per file when any is found.
set -euo pipefail
status=0
for f in "$@"; do
  # The mnemonic is the third tab-separated field of objdump's listing.
  found="$(objdump -d --no-show-raw-insn "$f" | awk -F'\t' 'NF >= 2 {print $2}' \
    | grep -E '^(v[a-z0-9]+|andn|bextr|blsi|blsmsk|blsr|bzhi|pdep|pext|rorx|sarx|shlx|shrx|tzcnt|lzcnt|movbe|k[a-z]+[bwdq])( |$)|%[yz]mm|%k[0-7]' \
    || true)"
  if [ -n "$found" ]; then
    echo "$f: $(printf '%s\n' "$found" | wc -l) instructions above x86-64-v2, e.g.:"
    printf '%s\n' "$found" | awk '{print $1}' | sort | uniq -c | sort -rn | head -8
    status=1
  else
    echo "$f: x86-64-v2 (no AVX, AVX2, AVX-512, FMA, BMI or MOVBE instructions)"
  fi
done
exit $status
