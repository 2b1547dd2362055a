/** Who may read a certified answer: agents only, or also the public FAQ. Pure: shared by db/ and the UI. */
export const AUDIENCES = ["internal", "public"] as const;
export type Audience = (typeof AUDIENCES)[number];
