import { createHash } from "node:crypto";
import { realpathSync, unlinkSync } from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * An exclusive lock on an embedded database's data directory, held by a listening Unix socket.
 * PGlite is one process per directory: a second opener would run split-brain and lose
 * acknowledged writes. The kernel frees the socket when its process dies, however it dies, so the
 * lock is never stale (a pid file is). On Linux the socket lives in the abstract namespace (no
 * file, no path-length limit); elsewhere it is a socket file in the directory, and a file whose
 * owner is gone (connection refused) is taken over.
 */
export interface DataDirLock {
  release(): Promise<void>;
}

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

interface Holder {
  pid: number;
  command: string;
  since: string;
}

function socketAddress(dataDir: string): { address: string; file?: string } {
  let real = path.resolve(dataDir);
  try {
    real = realpathSync(real);
  } catch {
    // Not created yet: the resolved path names it.
  }
  if (process.platform === "linux") {
    const hash = createHash("sha256").update(real).digest("hex").slice(0, 32);
    return { address: `\0vetted-data-dir-${hash}` };
  }
  const file = path.join(real, ".lock.sock");
  return { address: file, file };
}

function listen(server: net.Server, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(address, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Asks the process holding the lock who it is; null when nobody answers (a stale socket file). */
function askHolder(address: string): Promise<Holder | null> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    let data = "";
    const done = (holder: Holder | null) => {
      socket.destroy();
      resolve(holder);
    };
    socket.setTimeout(2000, () => done({ pid: 0, command: "an unresponsive process", since: "" }));
    socket.on("data", (chunk) => (data += chunk.toString()));
    socket.on("end", () => {
      try {
        done(JSON.parse(data) as Holder);
      } catch {
        done({ pid: 0, command: "another process", since: "" });
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) =>
      done(error.code === "ECONNREFUSED" || error.code === "ENOENT" ? null : { pid: 0, command: "another process", since: "" }),
    );
  });
}

/** Takes the lock or throws DataDirLockedError naming the holder and what to do. */
export async function lockDataDir(dataDir: string, command = describeThisProcess()): Promise<DataDirLock> {
  const { address, file } = socketAddress(dataDir);
  const me: Holder = { pid: process.pid, command, since: new Date().toISOString() };
  const server = net.createServer((socket) => socket.end(JSON.stringify(me)));
  // The lock must never keep a process alive that has nothing else to do.
  server.unref();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await listen(server, address);
      return {
        release: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
          }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
      const holder = await askHolder(address);
      if (holder) {
        const who = holder.pid ? `process ${holder.pid} (${holder.command}${holder.since ? `, since ${holder.since}` : ""})` : holder.command;
        throw new DataDirLockedError(
          `the data directory ${dataDir} is in use by ${who}: stop that process first, or set DATABASE_URL to a PostgreSQL server to run several processes on one database`,
        );
      }
      if (file) unlinkSync(file);
    }
  }
  throw new DataDirLockedError(`could not lock the data directory ${dataDir}`);
}

function describeThisProcess(): string {
  const event = process.env.npm_lifecycle_event;
  if (event && event !== "npx") return event === "start" ? "npm start" : `npm run ${event}`;
  return path.basename(process.argv[1] ?? "node");
}
