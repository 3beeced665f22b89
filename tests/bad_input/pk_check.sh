#!/usr/bin/env bash
# pk_check.sh <organtwin> <case.pkargs>: bad input for `organtwin pk`. The .pkargs file
# holds the command-line arguments, one per line (@DIR@ = this folder, @SRC@ = source
# tree); the run must exit with status 1, print every line of <case>.expected, and leave
# no result folder (the runs write to ./bad_input_out).
set -u
bin=$1; argsfile=$2
dir=$(cd "$(dirname "$argsfile")" && pwd)
src=$(cd "$dir/../.." && pwd)
expected=${argsfile%.*}.expected
[ -f "$expected" ] || { echo "missing $expected"; exit 1; }
work=$(mktemp -d); cd "$work"
mapfile -t args < <(sed -e "s|@DIR@|$dir|g" -e "s|@SRC@|$src|g" "$argsfile")
"$bin" pk "${args[@]}" --out bad_input_out --no-plot >out.txt 2>&1
rc=$?
cat out.txt
fail=0
if [ $rc -ne 1 ]; then echo "FAIL: exit code $rc, expected 1 (bad input)"; fail=1; fi
while IFS= read -r line; do
  [ -z "$line" ] && continue
  grep -qF -- "$line" out.txt || { echo "FAIL: message lacks: $line"; fail=1; }
done < "$expected"
if ls -d bad_input_out* >/dev/null 2>&1; then echo "FAIL: a result folder was left behind"; ls -la; fail=1; fi
cd /; rm -rf "$work"
exit $fail
