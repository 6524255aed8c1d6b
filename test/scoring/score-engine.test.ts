import { describe, expect, it } from 'vitest';
import type { ScoringRule } from '@prisma/client';
import { compileRules, computeScore, gradeFor, type ContactFacts } from '../../plugins/scoring/score-engine.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const SETTINGS = { fitMax: 40, gradeA: 80, gradeB: 60, gradeC: 40, gradeD: 20 };
let nextId = 1;

function rule(fields: Partial<ScoringRule> & Pick<ScoringRule, 'signal' | 'points'>): ScoringRule {
  return {
    id: nextId++,
    name: fields.signal,
    cap: null,
    halfLifeDays: null,
    keywords: null,
    days: null,
    enabled: true,
    createdAt: NOW,
    updatedAt: NOW,
    ...fields,
  };
}

function facts(fields: Partial<ContactFacts> = {}): ContactFacts {
  return {
    contactId: 1,
    firstName: null,
    lastName: null,
    phone: null,
    mobile: null,
    jobTitle: null,
    companyId: null,
    city: null,
    country: null,
    linkedinUrl: null,
    buyingRole: null,
    status: 'ACTIVE',
    createdAt: new Date('2026-05-30T00:00:00Z'),
    lastActivityAt: null,
    bounces: 0,
    weightedCounts: new Map(),
    ...fields,
  };
}

function score(rules: ScoringRule[], f: ContactFacts, settings = SETTINGS) {
  const result = computeScore(f, compileRules(rules), settings, NOW);
  // Whatever the rules, the factors explain the whole score.
  expect(result.breakdown.reduce((sum, factor) => sum + factor.points, 0)).toBe(result.score);
  expect(result.fit + result.engagement).toBe(result.score);
  return result;
}

describe('score engine', () => {
  it.each([
    'EMAIL_OPENED',
    'EMAIL_CLICKED',
    'EMAIL_REPLIED',
    'MEETING_HELD',
    'CALL_LOGGED',
    'FORM_SUBMITTED',
    'PAGE_VISITED',
    'FILE_DOWNLOADED',
    'DEAL_CREATED',
    'DEAL_WON',
  ] as const)('gives points per %s occurrence as engagement', (signal) => {
    const r = rule({ signal, points: 7 });
    const result = score([r], facts({ weightedCounts: new Map([[r.id, 3]]) }));
    expect(result).toMatchObject({ score: 21, engagement: 21, fit: 0 });
    expect(result.breakdown).toEqual([expect.objectContaining({ ruleId: r.id, signal, kind: 'engagement', points: 21, detail: '3 times' })]);
    expect(score([r], facts()).score).toBe(0);
  });

  it('caps a signal whatever the number of occurrences, and says so', () => {
    const r = rule({ signal: 'PAGE_VISITED', points: 2, cap: 10 });
    const result = score([r], facts({ weightedCounts: new Map([[r.id, 40]]) }));
    expect(result.score).toBe(10);
    expect(result.breakdown[0]!.detail).toBe('40 times, capped at 10');
    const negative = rule({ signal: 'BOUNCED', points: -30, cap: 12 });
    expect(score([r, negative], facts({ bounces: 1, weightedCounts: new Map([[r.id, 40]]) })).breakdown.find((f) => f.signal === 'BOUNCED')!.points).toBe(-12);
  });

  it('scores profile completeness by the share of profile fields filled', () => {
    const r = rule({ signal: 'PROFILE_COMPLETENESS', points: 14 });
    expect(score([r], facts()).score).toBe(0);
    const half = score([r], facts({ firstName: 'Ada', lastName: 'Lovelace', mobile: '+44 20 7946 0000', jobTitle: 'Analyst' }));
    expect(half).toMatchObject({ score: 8, fit: 8 });
    expect(half.breakdown[0]!.detail).toBe('4 of 7 profile fields');
    const full = facts({ firstName: 'A', lastName: 'L', phone: '1', jobTitle: 'CEO', companyId: 3, country: 'UK', linkedinUrl: 'https://linkedin.com/in/a' });
    expect(score([r], full).score).toBe(14);
  });

  it('scores the buying roles listed, or any role when none are listed', () => {
    const listed = rule({ signal: 'BUYING_ROLE', points: 10, keywords: 'DECISION_MAKER, CHAMPION' });
    expect(score([listed], facts({ buyingRole: 'CHAMPION' })).score).toBe(10);
    expect(score([listed], facts({ buyingRole: 'END_USER' })).score).toBe(0);
    expect(score([listed], facts()).score).toBe(0);
    expect(score([rule({ signal: 'BUYING_ROLE', points: 4 })], facts({ buyingRole: 'END_USER' })).score).toBe(4);
  });

  it('finds seniority words in the job title as whole words, ignoring case', () => {
    const r = rule({ signal: 'SENIORITY', points: 10, keywords: 'vp, vice president, chief' });
    expect(score([r], facts({ jobTitle: 'VP Sales' })).breakdown[0]!.detail).toBe('"VP" in the job title');
    expect(score([r], facts({ jobTitle: 'Senior Vice President, Europe' })).score).toBe(10);
    expect(score([r], facts({ jobTitle: 'Chief of Staff' })).score).toBe(10);
    expect(score([r], facts({ jobTitle: 'MVP engineer' })).score).toBe(0);
    expect(score([r], facts({ jobTitle: null })).score).toBe(0);
  });

  it('scores a linked company', () => {
    const r = rule({ signal: 'LINKED_COMPANY', points: 6 });
    expect(score([r], facts({ companyId: 9 })).score).toBe(6);
    expect(score([r], facts()).score).toBe(0);
  });

  it('takes points away for unsubscribes, bounces and long silence, never below zero', () => {
    const meeting = rule({ signal: 'MEETING_HELD', points: 12 });
    const unsubscribed = rule({ signal: 'UNSUBSCRIBED', points: -20 });
    const bounced = rule({ signal: 'BOUNCED', points: -15 });
    const idle = rule({ signal: 'NO_ACTIVITY', points: -10, days: 30 });
    const rules = [meeting, unsubscribed, bounced, idle];
    const engaged = new Map([[meeting.id, 3]]);
    expect(score(rules, facts({ weightedCounts: engaged, lastActivityAt: new Date('2026-05-31T00:00:00Z') })).score).toBe(36);
    expect(score(rules, facts({ weightedCounts: engaged, status: 'UNSUBSCRIBED', lastActivityAt: NOW })).score).toBe(16);
    const bouncedResult = score(rules, facts({ weightedCounts: engaged, bounces: 2, lastActivityAt: NOW }));
    expect(bouncedResult.score).toBe(21);
    expect(bouncedResult.breakdown.find((f) => f.signal === 'BOUNCED')!.detail).toBe('2 bounced emails');
    expect(score(rules, facts({ weightedCounts: engaged, status: 'BOUNCED', lastActivityAt: NOW })).score).toBe(21);
    // Silence counts from the last activity, or from creation for someone never contacted.
    const silent = score(
      rules,
      facts({ weightedCounts: engaged, lastActivityAt: new Date('2026-04-01T00:00:00Z'), createdAt: new Date('2026-01-01T00:00:00Z') }),
    );
    expect(silent.score).toBe(26);
    expect(silent.breakdown.find((f) => f.signal === 'NO_ACTIVITY')!.detail).toBe('no activity for 61 days');
    expect(score(rules, facts({ createdAt: new Date('2026-05-20T00:00:00Z') })).score).toBe(0);
    const floored = score(rules, facts({ status: 'UNSUBSCRIBED', createdAt: new Date('2025-01-01T00:00:00Z') }));
    expect(floored).toMatchObject({ score: 0, engagement: 0 });
    expect(floored.breakdown.at(-1)).toMatchObject({ signal: 'ENGAGEMENT_LIMIT', points: 30, detail: 'Engagement does not go below 0' });
  });

  it('limits fit to its share and engagement to the rest of 100', () => {
    const fit = [rule({ signal: 'LINKED_COMPANY', points: 30 }), rule({ signal: 'SENIORITY', points: 30, keywords: 'ceo' })];
    const meeting = rule({ signal: 'MEETING_HELD', points: 50 });
    const result = score([...fit, meeting], facts({ companyId: 1, jobTitle: 'CEO', weightedCounts: new Map([[meeting.id, 3]]) }));
    expect(result).toMatchObject({ score: 100, fit: 40, engagement: 60, grade: 'A' });
    expect(result.breakdown.filter((f) => f.kind === 'adjustment').map((f) => [f.signal, f.points])).toEqual([
      ['FIT_LIMIT', -20],
      ['ENGAGEMENT_LIMIT', -90],
    ]);
    expect(score([...fit, meeting], facts({ companyId: 1, jobTitle: 'CEO' }), { ...SETTINGS, fitMax: 25 })).toMatchObject({ score: 25, fit: 25 });
  });

  it('skips disabled rules', () => {
    expect(score([rule({ signal: 'LINKED_COMPANY', points: 6, enabled: false })], facts({ companyId: 9 })).score).toBe(0);
  });

  it('grades by the thresholds', () => {
    expect([100, 80, 79, 60, 59, 40, 39, 20, 19, 0].map((s) => gradeFor(s, SETTINGS)).join('')).toBe('AABBCCDDFF');
    expect(gradeFor(50, { gradeA: 50, gradeB: 30, gradeC: 20, gradeD: 10 })).toBe('A');
  });
});
