import autocannon from "autocannon";
const [url, path, token] = process.argv.slice(2);
const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
await autocannon({ url: url!, connections: 20, duration: 2, requests: [{ method: "GET", path: path!, headers }] });
const r = await autocannon({ url: url!, connections: 20, duration: 6, requests: [{ method: "GET", path: path!, headers }] });
console.log(`${path}: ${Math.round(r.requests.average)} req/s p50 ${r.latency.p50} p97.5 ${r.latency.p97_5} non2xx ${r.non2xx}`);
