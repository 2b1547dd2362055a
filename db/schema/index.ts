export * from "./users";
export * from "./topics";
export * from "./system";
export * from "./answers";
export * from "./faq";
