import { describe, expect, it } from 'vitest';
import { createAjv } from '../../schema/ajv.js';
import { isUuid } from '../../schema/uuid-format.js';

/** ajv-formats' own definition, which isUuid replaces. */
const AJV_FORMATS_UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

const SAMPLES = [
  '0192f3a4-5b6c-7d8e-9f01-23456789abcd',
  '0192F3A4-5B6C-7D8E-9F01-23456789ABCD',
  'urn:uuid:0192f3a4-5b6c-7d8e-9f01-23456789abcd',
  'URN:UUID:0192f3a4-5b6c-7d8e-9f01-23456789abcd',
  'urn:uuid0192f3a4-5b6c-7d8e-9f01-23456789abcd',
  'urx:uuid:0192f3a4-5b6c-7d8e-9f01-23456789abcd',
  '00000000-0000-0000-0000-000000000000',
  '0192f3a4-5b6c-7d8e-9f01-23456789abcg',
  '0192f3a4_5b6c-7d8e-9f01-23456789abcd',
  '0192f3a45b6c-7d8e-9f01-23456789abcd-',
  '0192f3a4-5b6c-7d8e-9f01-23456789abc',
  '0192f3a4-5b6c-7d8e-9f01-23456789abcde',
  ' 0192f3a4-5b6c-7d8e-9f01-23456789abc',
  '0192f3a4-5b6c-7d8e-9f01-23456789ab@d',
  '0192f3a4-5b6c-7d8e-9f01-23456789ab`d',
  '0192f3a4-5b6c-7d8e-9f01-23456789ab/d',
  '0192f3a4-5b6c-7d8e-9f01-23456789ab:d',
  '',
  'not a uuid',
];

describe('isUuid', () => {
  it.each(SAMPLES)('agrees with the ajv-formats regex on %j', (sample) => {
    expect(isUuid(sample)).toBe(AJV_FORMATS_UUID.test(sample));
  });

  it('agrees with the regex on every single-character change of a valid id', () => {
    const base = 'urn:uuid:0192f3a4-5b6c-7d8e-9f01-23456789abcd';
    for (let i = 0; i < base.length; i++) {
      for (let code = 0x20; code < 0x80; code++) {
        const sample = base.slice(0, i) + String.fromCharCode(code) + base.slice(i + 1);
        expect(isUuid(sample), sample).toBe(AJV_FORMATS_UUID.test(sample));
      }
    }
  });

  it('is the uuid format of both ajv modes', () => {
    for (const mode of ['fast', 'full'] as const) {
      const validate = createAjv(mode).compile({ type: 'string', format: 'uuid' });
      expect(validate('0192f3a4-5b6c-7d8e-9f01-23456789abcd')).toBe(true);
      expect(validate('0192f3a4-5b6c-7d8e-9f01-23456789abcz')).toBe(false);
    }
  });
});
