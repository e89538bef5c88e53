import { describe, expect, it } from 'vitest';
import {
  channelMessageName,
  compareCodePoints,
  compareNatural,
} from '../../../generator/emit/names.js';

describe('names', () => {
  it('names the message union of a channel', () => {
    expect(channelMessageName('campaign-status')).toBe('CampaignStatusMessage');
  });

  it.each<[string, { given: string[]; want: string[] }]>([
    [
      'case-insensitive, upper first on ties',
      { given: ['b', 'B', 'a', 'A'], want: ['A', 'a', 'B', 'b'] },
    ],
    ['digit runs as numbers', { given: ['a10', 'a9', 'a1'], want: ['a1', 'a9', 'a10'] }],
    [
      'Biome order of specifiers',
      {
        given: ['PublishMeta', 'Published', 'EventBus'],
        want: ['EventBus', 'Published', 'PublishMeta'],
      },
    ],
    [
      'relative paths',
      { given: ['./realtime.js', './events.js'], want: ['./events.js', './realtime.js'] },
    ],
  ])('compareNatural: %s', (_, { given, want }) => {
    expect([...given].sort(compareNatural)).toEqual(want);
  });

  it.each<[string, { given: string[]; want: string[] }]>([
    ['upper case before lower case', { given: ['b', 'B', 'a'], want: ['B', 'a', 'b'] }],
    ['digits by code point, not value', { given: ['a10', 'a9'], want: ['a10', 'a9'] }],
  ])('compareCodePoints: %s', (_, { given, want }) => {
    expect([...given].sort(compareCodePoints)).toEqual(want);
  });
});
