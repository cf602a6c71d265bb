import { describe, expect, it } from 'vitest';
import { temporaryAccount } from './temporary-account.ts';

const man = { birthDate: '1962-08-03', gender: 'M' as const, hukouRegion: '230128', fromRegion: '210100', toRegion: '110000' };

describe('temporary account (66号 art. 5)', () => {
  it('a man aged 49 on the move date transfers; aged 50 (his birthday) he gets a temporary account', () => {
    expect(temporaryAccount({ ...man, moveDate: '2012-08-02' })).toMatchObject({ applies: false, age: 49 });
    expect(temporaryAccount({ ...man, moveDate: '2012-08-03' })).toMatchObject({ applies: true, age: 50 });
  });
  it('a woman from 40', () => {
    const woman = { ...man, birthDate: '1977-11-11', gender: 'F' as const };
    expect(temporaryAccount({ ...woman, moveDate: '2017-11-10' }).applies).toBe(false);
    expect(temporaryAccount({ ...woman, moveDate: '2017-11-11' }).applies).toBe(true);
  });
  it('not when moving to the hukou province or within one province; undecided without a hukou', () => {
    expect(temporaryAccount({ ...man, toRegion: '230100', moveDate: '2020-01-01' })).toMatchObject({ applies: false, toHukouProvince: true });
    expect(temporaryAccount({ ...man, fromRegion: '110000', toRegion: '110000', moveDate: '2020-01-01' })).toMatchObject({ applies: false, crossProvince: false });
    expect(temporaryAccount({ ...man, hukouRegion: null, moveDate: '2020-01-01' }).applies).toBeNull();
  });
});
