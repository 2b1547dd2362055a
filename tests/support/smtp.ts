import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { smtpTransport, type MailTransport } from "../../app/notifications/mail-transport.server";

/** One message as the SMTP peer received it, parsed enough to assert on. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
}

/**
 * A real SMTP server (the npm package smtp-server) inside the test, on a free port. Its built-in
 * certificate has expired, so STARTTLS is off (and nodemailer is told to ignore TLS).
 */
export class SmtpPeer {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          this.messages.push({
            ...parseMail(raw),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  transport(): MailTransport {
    return smtpTransport(`smtp://127.0.0.1:${this.port}`, "Vetted <vetted@example.test>", { ignoreTLS: true, timeoutMs: 3000 });
  }
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < src.length; i++) {
    const hex = src.slice(i + 1, i + 3);
    if (src[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(src[i]!, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** RFC 2047 encoded words in headers (=?UTF-8?Q?…?= and =?UTF-8?B?…?=). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

function splitHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
  return body;
}

/** Headers, subject and the text and HTML parts of a (multipart/alternative) message. */
export function parseMail(raw: string): Omit<ReceivedMail, "from" | "to"> {
  const cut = raw.search(/\r?\n\r?\n/);
  const headers = splitHeaders(raw.slice(0, cut));
  const body = raw.slice(cut).replace(/^\r?\n\r?\n/, "");
  let text = "";
  let html = "";
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1)
        .filter((p) => !p.startsWith("--"))
        .map((p) => {
          const c = p.replace(/^\r?\n/, "").search(/\r?\n\r?\n/);
          const trimmed = p.replace(/^\r?\n/, "");
          return { headers: splitHeaders(trimmed.slice(0, c)), body: trimmed.slice(c).replace(/^\r?\n\r?\n/, "").replace(/\r?\n$/, "") };
        })
    : [{ headers, body }];
  for (const part of parts) {
    const partType = part.headers.get("content-type") ?? "text/plain";
    if (partType.startsWith("text/plain")) text = decodeBody(part.headers, part.body);
    if (partType.startsWith("text/html")) html = decodeBody(part.headers, part.body);
  }
  return { raw, headers, subject: headers.get("subject") ?? "", text, html };
}
