import { describe, expect, it } from "vitest";
import { loadConfig, type ConfigError } from "../../server/config";
import { latestDigestSlot, mailBackoffMs } from "../../app/notifications/mail-queue.server";
import { renderNotificationMail, seal, unseal, unsubscribeSignature, verifyUnsubscribe } from "../../app/notifications/mail-render.server";
import { mailMode } from "../../app/notifications/mail-transport.server";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "vetted-mail-"));
const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ DATA_DIR: dataDir(), SESSION_SECRET: "x".repeat(32), ...env });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe("SMTP settings from the environment", () => {
  it("accepts smtp:// and smtps:// with a From", () => {
    const c = loadConfig({ DATA_DIR: dataDir(), SESSION_SECRET: "x".repeat(32), SMTP_URL: "smtps://u:p@mail.example.com:465", SMTP_FROM: "Acme <kb@acme.example>" });
    expect(c.smtpUrl).toBe("smtps://u:p@mail.example.com:465");
    expect(c.smtpFrom).toBe("Acme <kb@acme.example>");
    expect(mailMode(c)).toBe("smtp");
  });

  it("names a malformed value without echoing it (it may hold the password)", () => {
    const p = problems({ SMTP_URL: "http://user:hunter2@mail.example.com", SMTP_FROM: "kb@acme.example" });
    expect(p.join(" ")).toMatch(/^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(p.join(" ")).not.toContain("hunter2");
    expect(problems({ SMTP_URL: "smtp://mail.example.com", SMTP_FROM: "not an address" }).join(" ")).toMatch(/^SMTP_FROM must be an address/);
    expect(problems({ SMTP_URL: "smtp://mail.example.com" }).join(" ")).toMatch(/SMTP_FROM must be set when SMTP_URL is/);
    expect(problems({ SMTP_URL: "smtp://mail.example.com", SMTP_FROM: "Bad\r\nBcc: x@y.z <a@b.c>" })).not.toEqual([]);
  });

  it("without SMTP_URL: the log in development, off in production", () => {
    expect(mailMode({ smtpUrl: undefined, production: false })).toBe("log");
    expect(mailMode({ smtpUrl: undefined, production: true })).toBe("off");
  });
});

describe("mail pieces", () => {
  it("finds the latest digest hour in the person's time zone", () => {
    // 07:00 in Berlin (winter, UTC+1) is 06:00 UTC.
    expect(latestDigestSlot(new Date("2026-01-11T06:00:30Z"), 7, "Europe/Berlin").toISOString()).toBe("2026-01-11T06:00:00.000Z");
    expect(latestDigestSlot(new Date("2026-01-11T05:59:00Z"), 7, "Europe/Berlin").toISOString()).toBe("2026-01-10T06:00:00.000Z");
    // Summer time (UTC+2), and a half-hour zone (India, UTC+5:30).
    expect(latestDigestSlot(new Date("2026-07-01T12:00:00Z"), 7, "Europe/Berlin").toISOString()).toBe("2026-07-01T05:00:00.000Z");
    expect(latestDigestSlot(new Date("2026-07-01T12:00:00Z"), 9, "Asia/Kolkata").toISOString()).toBe("2026-07-01T03:30:00.000Z");
    expect(latestDigestSlot(new Date("2026-07-01T12:34:00Z"), 8, "UTC").toISOString()).toBe("2026-07-01T08:00:00.000Z");
  });

  it("backs off exponentially, capped at an hour", () => {
    expect([1, 2, 3, 4].map(mailBackoffMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(mailBackoffMs(30)).toBe(60 * 60_000);
  });

  it("signs unsubscribe links per person and kind", () => {
    const sig = unsubscribeSignature("secret", "u1", "certified");
    expect(verifyUnsubscribe("secret", "u1", "certified", sig)).toBe(true);
    expect(verifyUnsubscribe("secret", "u1", "flag_filed", sig)).toBe(false);
    expect(verifyUnsubscribe("secret", "u2", "certified", sig)).toBe(false);
    expect(verifyUnsubscribe("other", "u1", "certified", sig)).toBe(false);
  });

  it("seals the reset token so the queue row alone does not reveal it", () => {
    const sealed = seal("secret", "the-token");
    expect(sealed).not.toContain("the-token");
    expect(unseal("secret", sealed)).toBe("the-token");
    expect(unseal("another secret", sealed)).toBeNull();
  });

  it("escapes what people wrote in the HTML part", () => {
    const m = renderNotificationMail(
      { baseUrl: "https://kb.example.com", companyName: "A&B <Co>", secret: "s" },
      { id: "u1", displayName: "<b>Eve</b>" },
      { kind: "flag_filed", title: 'Flagged: <script>alert(1)</script> "x"', link: "/feedback/1", createdAt: new Date() },
    );
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("&lt;script&gt;");
    expect(m.html).toContain("A&amp;B &lt;Co&gt;");
    expect(m.text).toContain("Look at the flag: https://kb.example.com/feedback/1");
    expect(m.headers["List-Unsubscribe"]).toMatch(/^<https:\/\/kb\.example\.com\/unsubscribe\?u=u1&k=flag_filed&s=/);
  });
});
