/**
 * checkCitizenId of the last ID asked, remembered. validateDocument checks a record's citizen ID
 * twice, once as the schema's `citizen-id` format (formats.ts) and once for its warnings and the
 * gender and birth date it encodes (validate.ts); the answer, with its messages, was most of a
 * valid record's identifier cost in the gate.
 *
 * The same answers: checkCitizenId depends on the ID and on today's date in China only, and the
 * memo answers only for the same ID on the same day. The answer is frozen, since two callers
 * share it. One ID is kept (a slice of a reader's text keeps that text alive: one at a time).
 */
import { checkCitizenId, type CitizenIdCheck } from './identifiers.ts';
import { todayInChina } from './today-in-china.ts';

let last: { id: string; today: string; check: CitizenIdCheck } | undefined;

/** checkCitizenId(id), the last answer again when the ID and today's date are those it was given for. */
export function checkCitizenIdRemembered(id: string): CitizenIdCheck {
  const today = todayInChina();
  if (last !== undefined && last.id === id && last.today === today) return last.check;
  const check = frozen(checkCitizenId(id, { today }));
  last = { id, today, check };
  return check;
}

function frozen(check: CitizenIdCheck): CitizenIdCheck {
  for (const p of check.problems) Object.freeze(Object.freeze(p).message);
  Object.freeze(check.problems);
  return Object.freeze(check);
}
