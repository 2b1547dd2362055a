import type { Logger } from "pino";
import { createUserWithInvite } from "../app/models/user.server";
import type { Config } from "./config";

/**
 * A server database with no users and no demo data gets one admin, who signs in through an
 * invite link printed to the log (there is no mail yet).
 */
export async function bootstrapAdmin(config: Config, log: Logger): Promise<void> {
  const baseUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const { inviteUrl } = await createUserWithInvite({
    email: config.bootstrapAdminEmail,
    displayName: "Administrator",
    roles: ["admin"],
    actorId: null,
    baseUrl,
  });
  log.warn({ email: config.bootstrapAdminEmail, inviteUrl }, "no users yet: open this invite link to set the first admin's password");
}
