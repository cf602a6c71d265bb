import { describe, expect, it } from 'vitest';
import { makeEnvelope } from './envelope.ts';

describe('makeEnvelope', () => {
  const input = { message: 'pension.contact-letter', sender: '110000-si', receivers: ['210100-si'], caseId: '110000-si:PT-1', caseType: 'pension-transfer', data: { a: 1 } };

  it('derives source, type, subject and dataschema from what the sender decides', () => {
    const env = makeEnvelope({ ...input, id: 'm-1', time: '2026-03-02T09:30:00+08:00', inreplyto: 'm-0' });
    expect(env).toMatchObject({
      specversion: '1.0',
      id: 'm-1',
      source: 'urn:jiexu:institution:110000-si',
      type: 'cn.jiexu.pension.contact-letter.v1',
      subject: '110000-si:PT-1',
      caseid: '110000-si:PT-1',
      dataschema: 'https://jiexu.org/standard/1.0/messages/pension.contact-letter.schema.json',
      standardversion: '1.0',
      caseversion: '1.0',
      inreplyto: 'm-0',
    });
  });

  it('keeps the major version in type and the exact minor in dataschema; the case keeps its own version', () => {
    const env = makeEnvelope({ ...input, version: '1.1', caseVersion: '1.0' });
    expect(env.type).toBe('cn.jiexu.pension.contact-letter.v1');
    expect(env.dataschema).toBe('https://jiexu.org/standard/1.1/messages/pension.contact-letter.schema.json');
    expect([env.standardversion, env.caseversion]).toEqual(['1.1', '1.0']);
    expect('inreplyto' in env).toBe(false);
    expect(env.id).not.toBe(makeEnvelope(input).id);
  });
});
