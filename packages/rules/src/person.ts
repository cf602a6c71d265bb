/** What the 公民身份号码 (GB 11643-1999) itself says about a person: address code, birth date, gender. */

export interface IdFacts {
  addressCode: string;
  birthDate: string;
  gender: 'M' | 'F';
}

export function factsFromCitizenId(id: string): IdFacts | null {
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  return { addressCode: id.slice(0, 6), birthDate, gender: Number(id[16]) % 2 === 1 ? 'M' : 'F' };
}

/** Full years of age on `date` (both YYYY-MM-DD): the birthday itself is the day the age is reached. */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** The two-digit province of a six-digit GB/T 2260 code. */
export function provinceOf(code: string): string {
  return code.slice(0, 2);
}
