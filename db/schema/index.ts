export * from "./users";
export * from "./topics";
export * from "./system";
export * from "./answers";
export * from "./search";
export * from "./agent";
export * from "./content";
export * from "./faq";
