import net from "node:net";

/**
 * A TCP proxy that can be cut: a database outage for one client while the shared test server
 * stays up for everyone else.
 */
export class CuttableProxy {
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  /** When set, a connection is dropped as soon as the client sends bytes it matches. */
  dropWhen: ((fromClient: Buffer) => boolean) | undefined;
  constructor(
    readonly port: number,
    readonly target: { host: string; port: number },
  ) {}
  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.on("data", (chunk: Buffer) => {
        if (this.dropWhen?.(chunk)) {
          client.destroy();
          upstream.destroy();
        } else upstream.write(chunk);
      });
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }
  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
