#!/usr/bin/env bash
# check.sh <organtwin> <deck>: the run must fail with a non-zero exit, print the
# message given in <deck-stem>.expected (one substring per line, all required), and
# leave no result folder (the deck writes to ./bad_input_out).
set -u
bin=$1; deck=$2
expected=${deck%.*}.expected
[ -f "$expected" ] || { echo "missing $expected"; exit 1; }
work=$(mktemp -d); cd "$work"
extra=()
[ -f "${deck%.*}.args" ] && mapfile -t extra < <(sed "s|@DECK_DIR@|$(dirname "$deck")|g" "${deck%.*}.args")
"$bin" run "$deck" "${extra[@]}" >out.txt 2>&1
rc=$?
cat out.txt
fail=0
if [ $rc -eq 0 ]; then echo "FAIL: exit code 0 for a bad deck"; fail=1; fi
while IFS= read -r line; do
  [ -z "$line" ] && continue
  grep -qF -- "$line" out.txt || { echo "FAIL: message lacks: $line"; fail=1; }
done < "$expected"
if ls -d bad_input_out* >/dev/null 2>&1; then echo "FAIL: a result folder was left behind"; ls -la; fail=1; fi
cd /; rm -rf "$work"
exit $fail
