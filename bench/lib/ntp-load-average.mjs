// Other engineers use this 2-core machine. Before each measurement the NTP bench waits until the
// 1-minute load average is below a threshold, within a time budget so that the run stays bounded,
// and records the load it measured at: a figure taken on a busy machine says so in the results.
import { readFileSync } from 'node:fs';
import { sleep } from './processes.mjs';

/** The 1- and 5-minute load averages of /proc/loadavg. */
export function loadAverage() {
  const [one, five] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return { one, five };
}

/**
 * `wait({ what })` polls every 5 s until the 1-minute load is below `below`, for at most
 * `perWaitS` seconds and `totalS` seconds in the whole run. Returns { loadBefore, load, waitedS, quiet }.
 */
export function createLoadGate({ below = 1.0, perWaitS = 100, totalS = 210, log = () => {} } = {}) {
  let spentS = 0;
  return {
    below,
    spentS: () => spentS,
    /** The 1-minute load average now. */
    current: () => loadAverage().one,
    async wait({ what }) {
      const started = performance.now();
      const loadBefore = loadAverage().one;
      let load = loadBefore;
      let announced = false;
      while (load >= below) {
        const waitedS = (performance.now() - started) / 1000;
        if (waitedS >= perWaitS || spentS + waitedS >= totalS) break;
        if (!announced) {
          log(`  waiting for the 1-minute load average (${load.toFixed(2)}) to drop below ${below} before ${what}`);
          announced = true;
        }
        await sleep(5_000);
        load = loadAverage().one;
      }
      const waitedS = (performance.now() - started) / 1000;
      spentS += waitedS;
      if (load >= below) log(`  load average still ${load.toFixed(2)} after ${waitedS.toFixed(0)} s: measuring ${what} anyway (marked)`);
      return { loadBefore, load, waitedS, quiet: load < below };
    },
  };
}
