#!/usr/bin/env bash
# The size budget of STYLE.md: no source file over 800 lines, no function in
# the library (src/, placement/, kernels_cpu/, kernels_cuda/) over 80 lines.
# Prints what is over and exits 1; needs Universal Ctags for function lengths.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
while read -r n f; do
  if [ "$f" != total ] && [ "$n" -gt 800 ]; then echo "file over 800 lines: $f ($n)"; status=1; fi
done < <(git ls-files '*.cc' '*.h' '*.cu' '*.cuh' | xargs wc -l)
if command -v ctags >/dev/null; then
  over=$(git ls-files 'src/*' 'placement/*' 'kernels_cpu/*' 'kernels_cuda/*' | grep -E '\.(cc|h|cu)$' |
    ctags --languages=C++ --map-C++=+.cu --kinds-C++=f --fields=+ne -x --_xformat='%{line} %{end} %N %F' -L - |
    awk '$2 != "" && $2 - $1 + 1 > 80 { print "function over 80 lines: " $4 ":" $1 " " $3 " (" $2 - $1 + 1 ")" }')
  if [ -n "$over" ]; then echo "$over"; status=1; fi
else
  echo "ctags not found: function lengths not checked"
fi
exit $status
