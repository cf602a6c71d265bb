/**
 * Generator for the rules engine's official working-day calendar:
 * packages/rules/data/calendar/<year>.json from the devDependency chinese-days.
 * The implementation lives with the rules (packages/rules/scripts/calendar-data.ts).
 */
import { generate as generateCalendar } from '../../../rules/scripts/calendar-data.ts';
import type { GeneratedFile } from './common.ts';

export async function generate(root: string): Promise<GeneratedFile[]> {
  return generateCalendar(root);
}
