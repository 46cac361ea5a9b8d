#!/usr/bin/env bash
# EngineBenchmark, the wave-2 jar (94642b7) and this change's jar, alternately, twice each.
set -u
out=/work/helpers/bench-out; mkdir -p $out
for round in 1 2; do
  for side in before after; do
    jar=/tmp/$side-benchmarks.jar
    java -jar $jar 'EngineBenchmark.(baseline|nanoTime|oursExecutor|oursExecutorWithMetrics)$' -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc \
      > $out/$side-$round.txt 2>&1
    echo "== $side $round (load $(cut -d' ' -f1-3 /proc/loadavg))"
    grep -E "^EngineBenchmark\.\w+ |gc.alloc.rate.norm " $out/$side-$round.txt | grep -v "·gc.alloc.rate " | sed -E 's/ +/ /g'
  done
done
