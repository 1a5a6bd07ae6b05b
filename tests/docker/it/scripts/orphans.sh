#!/bin/sh
# Makes orphans: ROUNDS (3) rounds of COUNT (200) processes whose parent exits at once, so
# that PID 1 (or the nearest subreaper) inherits them; each round's orphans all exit together
# about a second later. Prints "round N" per round and "done" at the end, then idles.
i=0
while [ $i -lt "${ROUNDS:-3}" ]; do
  i=$((i + 1))
  n=0
  while [ $n -lt "${COUNT:-200}" ]; do
    (sleep 1 &)
    n=$((n + 1))
  done
  echo "round $i"
  sleep 1
done
echo done
while :; do sleep 1 & wait $!; done
