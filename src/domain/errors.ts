/**
 * A failure meant for people: it carries a code the front ends can branch on and a message that
 * can be shown as it is. Anything else that is thrown is a bug or an outage and goes to the log.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
