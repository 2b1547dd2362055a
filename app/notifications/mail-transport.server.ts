import { createTransport } from "nodemailer";
import type { Logger } from "pino";
import { getConfig, type Config } from "../../server/config";

/** One message as the queue hands it to a transport. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per queue row, so a resend after a lost acknowledgement can be recognised. */
  messageId: string;
  headers: Record<string, string>;
}

export interface MailTransport {
  readonly kind: "smtp" | "log";
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * Where mail goes: SMTP when SMTP_URL is set; without it, the server log in development (so a
 * developer sees what would be sent) and nowhere in production, where the settings page says
 * email is off and nothing is queued.
 */
export type MailMode = "smtp" | "log" | "off";

export function mailMode(config: Pick<Config, "smtpUrl" | "production"> = getConfig()): MailMode {
  if (config.smtpUrl) return "smtp";
  return config.production ? "off" : "log";
}

/** An SMTP transport. `extra` is for tests (a peer without TLS); production takes the URL alone. */
export function smtpTransport(url: string, from: string, extra: { ignoreTLS?: boolean; timeoutMs?: number } = {}): MailTransport {
  const timeout = extra.timeoutMs ?? 15_000;
  const transporter = createTransport({
    url,
    ...(extra.ignoreTLS ? { ignoreTLS: true } : {}),
    // A server that accepts the connection and then says nothing must not hold the drain forever.
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
  });
  return {
    kind: "smtp",
    async send(m) {
      await transporter.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, headers: m.headers });
    },
    close: () => transporter.close(),
  };
}

/** Development without SMTP: the message goes to the log (recipient, subject and the plain text). */
export function logTransport(log: Logger): MailTransport {
  return {
    kind: "log",
    async send(m) {
      log.info({ to: m.to, subject: m.subject, messageId: m.messageId }, `mail (SMTP_URL is not set, so it is logged instead of sent):\n${m.text}`);
    },
    close: () => {},
  };
}

let cached: MailTransport | null | undefined;
/** The process's transport from the configuration, or null when email is off. */
export function configuredTransport(log: Logger): MailTransport | null {
  if (cached !== undefined) return cached;
  const config = getConfig();
  const mode = mailMode(config);
  cached = mode === "smtp" ? smtpTransport(config.smtpUrl!, config.smtpFrom) : mode === "log" ? logTransport(log) : null;
  return cached;
}
