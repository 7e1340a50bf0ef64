/**
 * An open-loop load at a steady rate: request i is due at start + i / rate, whatever happened to earlier
 * requests, and its latency is measured from the moment it was due (so time spent waiting for a free connection
 * or for the client's own timer counts against the server, as a user arriving at that moment would see it).
 *
 * Why not autocannon's `overallRate`: autocannon limits each connection to N requests per one-second window and
 * lets it send back to back until the window's quota is used, so "1,000 req/s" arrives as a burst at concurrency
 * 20 at the start of every second; and its coordinated-omission correction takes the expected interval as
 * ceil(1 / rate) ms = 1 ms, adding synthetic samples to every response slower than 1 ms. Both inflate p99 at a
 * rate the server carries with ease; autocannon stays in the bench for the closed-loop maximum throughput.
 */
import { Agent, request } from 'node:http';

export interface PacedLoadOptions {
  readonly url: string; // origin, e.g. http://127.0.0.1:8080
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly rate: number; // requests per second
  readonly seconds: number;
  readonly connections: number; // keep-alive sockets at most
  readonly timeoutMs?: number;
  /** Called with each response's headers (e.g. to read Server-Timing). */
  readonly onHeaders?: (headers: Readonly<Record<string, string | string[] | undefined>>) => void;
}

export interface PacedLoadResult {
  readonly sent: number;
  readonly ok: number; // 2xx
  readonly non2xx: number;
  readonly errors: number; // socket errors and timeouts
  readonly seconds: number; // from the first due time to the last response
  /** Latencies in ms from due time to the end of the response, sorted ascending (ok responses only). */
  readonly latencies: Float64Array;
  /** Latencies in ms from the moment the client sent the request, sorted ascending (ok responses only). */
  readonly fromSend: Float64Array;
  /** How late the client sent each request after its due time, in ms, sorted ascending. */
  readonly sendLag: Float64Array;
}

/** The p-th percentile (nearest rank) of ascending values. */
export function percentileOf(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function pacedLoad(o: PacedLoadOptions): Promise<PacedLoadResult> {
  const u = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const total = Math.max(1, Math.round(o.rate * o.seconds));
  const intervalMs = 1000 / o.rate;
  const lat = new Float64Array(total);
  const fromSend = new Float64Array(total);
  const lag = new Float64Array(total);
  const body = o.body === undefined ? undefined : Buffer.from(o.body);
  const headers = body ? { ...o.headers, 'content-length': String(body.length) } : { ...o.headers };
  let next = 0;
  let done = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const t0 = performance.now() + 5;
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      agent.destroy();
      resolve({
        sent: next,
        ok,
        non2xx,
        errors,
        seconds: (performance.now() - t0) / 1000,
        latencies: lat.slice(0, ok).sort(),
        fromSend: fromSend.slice(0, ok).sort(),
        sendLag: lag.slice(0, next).sort(),
      });
    };
    const settle = () => {
      done++;
      if (done === total) finish();
    };
    const send = (i: number, due: number) => {
      const sentAt = performance.now();
      lag[i] = sentAt - due;
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: o.path,
          method: o.method,
          headers,
          agent,
          timeout: o.timeoutMs ?? 5000,
        },
        (res) => {
          o.onHeaders?.(res.headers);
          res.on('data', () => {});
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              const end = performance.now();
              lat[ok] = end - due;
              fromSend[ok++] = end - sentAt;
            } else non2xx++;
            settle();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        settle();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (next < total && t0 + next * intervalMs <= now) {
        send(next, t0 + next * intervalMs);
        next++;
      }
      if (next < total) setTimeout(tick, Math.max(0, t0 + next * intervalMs - performance.now() - 0.5));
    };
    setTimeout(tick, 5);
  });
}
