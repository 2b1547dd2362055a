/**
 * The one error type the domain throws for things a user can fix or must be told. Routes turn
 * it into a response with `toResponse` (server) or show `message` beside the field it names.
 */
export type DomainErrorCode = "bad_request" | "forbidden" | "not_found" | "conflict" | "unprocessable";

const STATUS: Record<DomainErrorCode, number> = {
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { field?: string; [key: string]: unknown } = {},
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
