/** The ways a request can be refused by the rules, independent of how it arrived. */

export interface FieldError {
  field: string;
  message: string;
  /** For a file's rows (a CSV import): the line (1 is the header) and column (1-based). */
  line?: number;
  column?: number;
}

/** Base of every refusal the domain gives; the HTTP edge maps each kind to a status. */
export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid' | 'forbidden' | 'not-found' | 'conflict';
  /** A refusal with a problem type of its own names it here; otherwise the kind's title is used. */
  readonly title?: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is well-formed JSON but breaks a rule about its content. */
export class InvalidRequestError extends DomainError {
  readonly kind = 'invalid';
  constructor(
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
  }
}

/** The actor's role or unit does not allow this action on this application. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** The application is not in the state the request expected (stale version, stage already decided). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
