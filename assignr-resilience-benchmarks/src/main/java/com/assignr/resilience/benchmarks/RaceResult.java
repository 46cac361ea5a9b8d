package com.assignr.resilience.benchmarks;

import java.util.List;

/**
 * One strategy's row of goodput.csv, plus the journal's arrival times for the chart.
 *
 * @param strategy the strategy's label
 * @param requests requests the workload asked for
 * @param succeeded calls that ended with a 200
 * @param http429 429s the simulator served
 * @param attempts requests the simulator received
 * @param makespanSeconds from the start until the last call returned
 * @param idealSeconds the least time the windows allow for {@code requests}
 * @param windowsCrossed window boundaries between the start and the end
 * @param retries retries our listener saw (ours only, else -1)
 * @param gateWaits gate waits our listener saw (ours only, else -1)
 * @param failures how the calls that did not end in a 200 ended, with counts
 * @param okTimes arrival times of requests answered 200, seconds since the start
 * @param limitedTimes arrival times of requests answered 429, seconds since the start
 */
record RaceResult(
    String strategy,
    int requests,
    int succeeded,
    long http429,
    long attempts,
    double makespanSeconds,
    double idealSeconds,
    int windowsCrossed,
    long retries,
    long gateWaits,
    java.util.Map<String, Long> failures,
    List<Double> okTimes,
    List<Double> limitedTimes) {

  String csvRow() {
    return String.format(java.util.Locale.ROOT, "%s,%d,%d,%d,%d,%.2f,%.2f", strategy, requests,
        succeeded, http429, attempts, makespanSeconds, idealSeconds);
  }
}
