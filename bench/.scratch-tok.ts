import { createApiToken } from "../app/models/agent.server";
import { createDb } from "../db/client.server";
import { users } from "../db/schema";
const database = await createDb({ url: `postgres://postgres@127.0.0.1:5432/vetted_perf` });
const { token } = await createApiToken({ name: "bench", scopes: ["search:read"], createdBy: (await database.db.select().from(users).limit(1))[0]!.id }, database.db);
console.log(token);
await database.close();
