/** Every few seconds: refresh the consumer lag and, when asked, print throughput and lag on stderr. */
import type { Metrics } from './metrics.js';
import type { Source } from './transport.js';

/** Lag is refreshed this often even when no progress lines are printed (for --metrics-port). */
const LAG_EVERY_S = 5;

export function progressLine(m: Metrics, eventsPerSecond: number): string {
  const lag = m.lag === undefined ? 'unknown' : String(m.lag);
  return `dataplan: ${m.messages} messages, ${m.batches} batches, ${m.events} events (${Math.round(eventsPerSecond)} events/s), ${m.violations} violations, ${m.inputErrors} input errors, lag ${lag}, in flight ${m.inFlight}\n`;
}

/** Start the ticker; the returned function stops it. `everyS` 0 prints nothing. */
export function watchProgress(m: Metrics, source: Source, everyS: number, write: (s: string) => void): () => void {
  const period = (everyS > 0 ? Math.min(everyS, LAG_EVERY_S) : LAG_EVERY_S) * 1000;
  let last = { at: performance.now(), events: m.events };
  let sinceLine = 0;
  let shown = '';
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void source.lag().then(
      (lag) => void (m.lag = lag),
      () => undefined,
    ).finally(() => {
      busy = false;
      sinceLine += period;
      if (everyS <= 0 || sinceLine < everyS * 1000) return;
      sinceLine = 0;
      // An idle worker says so once, not every few seconds.
      const state = `${m.messages} ${m.lag} ${m.inFlight}`;
      if (state === shown) return;
      shown = state;
      const now = performance.now();
      write(progressLine(m, ((m.events - last.events) * 1000) / Math.max(1, now - last.at)));
      last = { at: now, events: m.events };
    });
  }, period);
  timer.unref();
  void source.lag().then((lag) => void (m.lag = lag), () => undefined);
  return () => clearInterval(timer);
}
