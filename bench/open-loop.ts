// Started by bench/search.ts in a process of its own: requests at a fixed rate, each sent when its
// time comes whether or not earlier ones were answered (an open loop, as agents' questions arrive),
// unlike wrk's 20 clients that each wait for their answer before asking again (a closed loop, whose
// latency is 20 ÷ the server's throughput once it is saturated). Latency counts from the moment a
// request was due, not from when it left, so a server that falls behind is charged for the wait
// (no coordinated omission). Prints one JSON line: {sent, ok, non2xx, errors, p50, p95, p99, max}.
// OPEN_LOOP_URL (base), OPEN_LOOP_PATHS (a file of paths, one a line), OPEN_LOOP_RATE (req/s),
// OPEN_LOOP_SECONDS, OPEN_LOOP_AUTH (the Authorization header).
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";

const base = new URL(process.env.OPEN_LOOP_URL!);
const paths = readFileSync(process.env.OPEN_LOOP_PATHS!, "utf8").split("\n").filter(Boolean);
const rate = Number(process.env.OPEN_LOOP_RATE);
const seconds = Number(process.env.OPEN_LOOP_SECONDS ?? 10);
const auth = process.env.OPEN_LOOP_AUTH ?? "";
if (!(rate > 0) || paths.length === 0) throw new Error("OPEN_LOOP_RATE > 0 and a non-empty OPEN_LOOP_PATHS are required");

// Enough sockets that a slow answer never holds the next request back.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const total = Math.round(rate * seconds);
const latencies: number[] = [];
let non2xx = 0;
let errors = 0;

function send(path: string, due: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ host: base.hostname, port: base.port, path, agent, headers: { Authorization: auth } }, (res) => {
      if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
      res.on("data", () => undefined);
      res.on("end", () => {
        latencies.push(performance.now() - due);
        resolve();
      });
    });
    req.on("error", () => {
      errors++;
      resolve();
    });
    req.end();
  });
}

const start = performance.now() + 50;
const pending: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / rate;
  const wait = due - performance.now();
  // A timer fires up to a millisecond late; the latency still counts from `due`, so that is charged.
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  pending.push(send(paths[i % paths.length]!, due));
}
await Promise.all(pending);
agent.destroy();
const sorted = latencies.sort((a, b) => a - b);
const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
console.log(JSON.stringify({ sent: total, ok: latencies.length - non2xx, non2xx, errors, p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? NaN }));
