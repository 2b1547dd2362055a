import { accessSync, constants, existsSync, mkdirSync, statfsSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The file-system failures a process meets at start (a full disk, a read-only or foreign
 * directory), as one line that says what to do. PGlite's file system throws objects that are not
 * Errors (an errno and no message), hence the digging.
 */
export function describeFsError(error: unknown): string {
  const e = (error ?? {}) as { code?: string | number; errno?: number; message?: string; cause?: unknown };
  const code = typeof e.code === "string" ? e.code : errnoName(e.errno ?? (typeof e.code === "number" ? e.code : undefined));
  switch (code) {
    case "ENOSPC":
      return "the disk is full — free some space and start again";
    case "EROFS":
      return "the file system is read-only — give the data directory a writable place (DATA_DIR)";
    case "EACCES":
    case "EPERM":
      return "no permission to write there — fix its owner or permissions, or set DATA_DIR";
    default: {
      if (e.cause) return describeFsError(e.cause);
      const message = typeof e.message === "string" && e.message ? e.message : safeJson(error);
      return message.split("\n")[0] ?? "unknown error";
    }
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Emscripten's errno numbers (PGlite's file system), which differ from Linux's. */
function errnoName(errno: number | undefined): string | undefined {
  return errno === undefined ? undefined : ({ 2: "EACCES", 63: "EPERM", 51: "ENOSPC", 69: "EROFS" } as Record<number, string>)[errno];
}

/**
 * Creates `dir` if needed and writes a probe file in it, so a read-only or full file system is
 * named at start instead of surfacing later as a database crash. Returns a reason, or null.
 */
export function unwritableReason(dir: string): string | null {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, "ok");
    unlinkSync(probe);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Node reports a recursive mkdir on a read-only file system as ENOENT; ask the file system.
    if (code === "ENOENT") {
      const existing = nearestExisting(dir);
      try {
        accessSync(existing, constants.W_OK);
      } catch (accessError) {
        return describeFsError(accessError);
      }
    }
    return describeFsError(error);
  }
}

function nearestExisting(dir: string): string {
  let current = path.resolve(dir);
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** Free space where the data lives; the health check calls a disk with less than this full. */
export const FULL_DISK_BYTES = 16 * 1024 * 1024;

export function freeBytes(dir: string): number | null {
  try {
    const stats = statfsSync(nearestExisting(dir));
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}
