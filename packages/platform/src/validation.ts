/**
 * Message validation against the standard. The platform never judges message content
 * itself: it asks `validateDocument` of @jiexu/standard (the envelope schema, the body
 * schema named by `type`, and the cross-field rules) and returns its Report unchanged.
 */
import { validateDocument, type Report } from '@jiexu/standard';

export type Validator = (doc: unknown) => Report;

/** Every POST /v1/messages body is validated as an envelope (never recognised as another kind). */
export function defaultValidator(): Validator {
  return (doc) => validateDocument(doc, { schema: 'envelope' });
}
