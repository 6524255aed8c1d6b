import type { ScoreGrade, ScoringRule, ScoringSettings, ScoringSignal } from '@prisma/client';

/** Activity signals: points per occurrence, decayed by age. The activity types each one counts. */
export const ACTIVITY_SIGNALS = {
  EMAIL_OPENED: ['EMAIL_OPENED'],
  EMAIL_CLICKED: ['EMAIL_CLICKED'],
  EMAIL_REPLIED: ['EMAIL_RECEIVED'],
  MEETING_HELD: ['MEETING'],
  CALL_LOGGED: ['CALL'],
  FORM_SUBMITTED: ['FORM_SUBMITTED'],
  PAGE_VISITED: ['PAGE_VISITED'],
  FILE_DOWNLOADED: ['FILE_DOWNLOADED'],
  DEAL_CREATED: ['DEAL_CREATED'],
  DEAL_WON: ['DEAL_WON'],
} as const satisfies Partial<Record<ScoringSignal, readonly string[]>>;

export type ActivitySignal = keyof typeof ACTIVITY_SIGNALS;
export const FIT_SIGNALS = ['PROFILE_COMPLETENESS', 'BUYING_ROLE', 'SENIORITY', 'LINKED_COMPANY'] as const;
export const NEGATIVE_SIGNALS = ['UNSUBSCRIBED', 'BOUNCED', 'NO_ACTIVITY'] as const;

export type FactorKind = 'fit' | 'engagement' | 'adjustment';

export function kindOf(signal: ScoringSignal): Exclude<FactorKind, 'adjustment'> {
  return (FIT_SIGNALS as readonly string[]).includes(signal) ? 'fit' : 'engagement';
}

export function isActivitySignal(signal: ScoringSignal): signal is ActivitySignal {
  return signal in ACTIVITY_SIGNALS;
}

/** The profile fields whose share filled gives PROFILE_COMPLETENESS its points. */
export const PROFILE_FIELDS = ['first name', 'last name', 'phone', 'job title', 'company', 'location', 'LinkedIn'] as const;

/** What the score of one contact is computed from, as the store reads it. */
export interface ContactFacts {
  contactId: number;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  mobile: string | null;
  jobTitle: string | null;
  companyId: number | null;
  city: string | null;
  country: string | null;
  linkedinUrl: string | null;
  buyingRole: string | null;
  status: string;
  createdAt: Date;
  /** The latest activity up to now, of any type. */
  lastActivityAt: Date | null;
  bounces: number;
  /** Per activity rule id: its occurrences, each weighted by its decay. */
  weightedCounts: Map<number, number>;
}

export interface Factor {
  ruleId: number | null;
  name: string;
  signal: ScoringSignal | 'FIT_LIMIT' | 'ENGAGEMENT_LIMIT';
  kind: FactorKind;
  points: number;
  detail: string;
}

export interface ScoreResult {
  contactId: number;
  score: number;
  fit: number;
  engagement: number;
  grade: ScoreGrade;
  breakdown: Factor[];
}

export type GradeThresholds = Pick<ScoringSettings, 'gradeA' | 'gradeB' | 'gradeC' | 'gradeD'>;
export type ScoreSettings = GradeThresholds & Pick<ScoringSettings, 'fitMax'>;

const DAY_MS = 86_400_000;

export function gradeFor(score: number, t: GradeThresholds): ScoreGrade {
  if (score >= t.gradeA) return 'A';
  if (score >= t.gradeB) return 'B';
  if (score >= t.gradeC) return 'C';
  if (score >= t.gradeD) return 'D';
  return 'F';
}

/** Rules ready to apply: keyword patterns built once, not per contact. */
export interface CompiledRule extends ScoringRule {
  keywordList: string[];
  pattern: RegExp | null;
}

export function compileRules(rules: ScoringRule[]): CompiledRule[] {
  return rules
    .filter((r) => r.enabled)
    .map((rule) => {
      const keywordList = (rule.keywords ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean);
      const escaped = keywordList.map((k) => k.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return { ...rule, keywordList, pattern: escaped.length ? new RegExp(`\\b(?:${escaped.join('|')})\\b`, 'i') : null };
    });
}

function capped(raw: number, cap: number | null): number {
  if (cap === null) return raw;
  const limit = Math.abs(cap);
  return Math.max(-limit, Math.min(limit, raw));
}

function profileFilled(f: ContactFacts): number {
  return [f.firstName, f.lastName, f.phone ?? f.mobile, f.jobTitle, f.companyId, f.city ?? f.country, f.linkedinUrl].filter((v) => v !== null && v !== '')
    .length;
}

/** Raw points of one rule for one contact, and the words that explain them. */
function apply(rule: CompiledRule, f: ContactFacts, now: Date): { raw: number; detail: string } | null {
  if (isActivitySignal(rule.signal)) {
    const weighted = f.weightedCounts.get(rule.id) ?? 0;
    if (weighted <= 0) return null;
    return { raw: rule.points * weighted, detail: rule.halfLifeDays ? `${round1(weighted)} after decay` : `${weighted} times` };
  }
  switch (rule.signal) {
    case 'PROFILE_COMPLETENESS': {
      const filled = profileFilled(f);
      return filled ? { raw: (rule.points * filled) / PROFILE_FIELDS.length, detail: `${filled} of ${PROFILE_FIELDS.length} profile fields` } : null;
    }
    case 'BUYING_ROLE':
      return f.buyingRole && (rule.keywordList.length === 0 || rule.keywordList.includes(f.buyingRole)) ? { raw: rule.points, detail: f.buyingRole } : null;
    case 'SENIORITY': {
      const match = f.jobTitle && rule.pattern ? rule.pattern.exec(f.jobTitle) : null;
      return match ? { raw: rule.points, detail: `"${match[0]}" in the job title` } : null;
    }
    case 'LINKED_COMPANY':
      return f.companyId !== null ? { raw: rule.points, detail: 'works at a known company' } : null;
    case 'UNSUBSCRIBED':
      return f.status === 'UNSUBSCRIBED' ? { raw: rule.points, detail: 'unsubscribed' } : null;
    case 'BOUNCED':
      return f.status === 'BOUNCED' || f.bounces > 0 ? { raw: rule.points, detail: f.bounces ? `${f.bounces} bounced emails` : 'email bounces' } : null;
    case 'NO_ACTIVITY': {
      const since = f.lastActivityAt && f.lastActivityAt > f.createdAt ? f.lastActivityAt : f.createdAt;
      const idle = Math.floor((now.getTime() - since.getTime()) / DAY_MS);
      return idle >= (rule.days ?? 90) ? { raw: rule.points, detail: `no activity for ${idle} days` } : null;
    }
    default:
      return null;
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Keeps a part inside [0, max], saying so in the breakdown so the factors still sum to the score. */
function limit(sum: number, max: number, signal: 'FIT_LIMIT' | 'ENGAGEMENT_LIMIT', label: string): Factor | null {
  const bounded = Math.max(0, Math.min(max, sum));
  if (bounded === sum) return null;
  const detail = sum > max ? `${label} is limited to ${max} points` : `${label} does not go below 0`;
  return { ruleId: null, name: `${label} limit`, signal, kind: 'adjustment', points: bounded - sum, detail };
}

/**
 * One contact's score: each rule's points (capped, decayed), rounded per factor, fit limited to
 * `fitMax` and engagement to the rest of 100. The breakdown's points always sum to the score.
 */
export function computeScore(facts: ContactFacts, rules: CompiledRule[], settings: ScoreSettings, now: Date): ScoreResult {
  const breakdown: Factor[] = [];
  for (const rule of rules) {
    const applied = apply(rule, facts, now);
    if (!applied) continue;
    const points = Math.round(capped(applied.raw, rule.cap));
    if (points === 0) continue;
    const detail = rule.cap !== null && Math.abs(applied.raw) > Math.abs(rule.cap) ? `${applied.detail}, capped at ${Math.abs(rule.cap)}` : applied.detail;
    breakdown.push({ ruleId: rule.id, name: rule.name, signal: rule.signal, kind: kindOf(rule.signal), points, detail });
  }
  const sum = (kind: FactorKind) => breakdown.reduce((total, f) => (f.kind === kind ? total + f.points : total), 0);
  const fitRaw = sum('fit');
  const engagementRaw = sum('engagement');
  const fitLimit = limit(fitRaw, settings.fitMax, 'FIT_LIMIT', 'Fit');
  const engagementLimit = limit(engagementRaw, 100 - settings.fitMax, 'ENGAGEMENT_LIMIT', 'Engagement');
  const fit = fitRaw + (fitLimit?.points ?? 0);
  const engagement = engagementRaw + (engagementLimit?.points ?? 0);
  for (const adjustment of [fitLimit, engagementLimit]) if (adjustment) breakdown.push(adjustment);
  const score = fit + engagement;
  return { contactId: facts.contactId, score, fit, engagement, grade: gradeFor(score, settings), breakdown };
}

/** The rules a new installation starts with; every one can be changed or removed in the admin. */
export const DEFAULT_RULES: Omit<ScoringRule, 'id' | 'createdAt' | 'updatedAt'>[] = [
  { name: 'Email opened', signal: 'EMAIL_OPENED', points: 2, cap: 10, halfLifeDays: 30, keywords: null, days: null, enabled: true },
  { name: 'Email clicked', signal: 'EMAIL_CLICKED', points: 4, cap: 12, halfLifeDays: 30, keywords: null, days: null, enabled: true },
  { name: 'Email replied', signal: 'EMAIL_REPLIED', points: 8, cap: 16, halfLifeDays: 45, keywords: null, days: null, enabled: true },
  { name: 'Meeting held', signal: 'MEETING_HELD', points: 12, cap: 24, halfLifeDays: 60, keywords: null, days: null, enabled: true },
  { name: 'Call logged', signal: 'CALL_LOGGED', points: 6, cap: 12, halfLifeDays: 45, keywords: null, days: null, enabled: true },
  { name: 'Form submitted', signal: 'FORM_SUBMITTED', points: 8, cap: 16, halfLifeDays: 60, keywords: null, days: null, enabled: true },
  { name: 'Page visited', signal: 'PAGE_VISITED', points: 1, cap: 6, halfLifeDays: 14, keywords: null, days: null, enabled: true },
  { name: 'File downloaded', signal: 'FILE_DOWNLOADED', points: 5, cap: 10, halfLifeDays: 45, keywords: null, days: null, enabled: true },
  { name: 'Deal created', signal: 'DEAL_CREATED', points: 10, cap: 10, halfLifeDays: 90, keywords: null, days: null, enabled: true },
  { name: 'Deal won', signal: 'DEAL_WON', points: 20, cap: 20, halfLifeDays: 180, keywords: null, days: null, enabled: true },
  { name: 'Profile completeness', signal: 'PROFILE_COMPLETENESS', points: 14, cap: null, halfLifeDays: null, keywords: null, days: null, enabled: true },
  {
    name: 'Decision maker or champion',
    signal: 'BUYING_ROLE',
    points: 10,
    cap: null,
    halfLifeDays: null,
    keywords: 'DECISION_MAKER, CHAMPION',
    days: null,
    enabled: true,
  },
  {
    name: 'Senior job title',
    signal: 'SENIORITY',
    points: 10,
    cap: null,
    halfLifeDays: null,
    keywords: 'chief, ceo, cto, cfo, coo, cmo, founder, owner, president, vp, vice president, director, head',
    days: null,
    enabled: true,
  },
  { name: 'Linked company', signal: 'LINKED_COMPANY', points: 6, cap: null, halfLifeDays: null, keywords: null, days: null, enabled: true },
  { name: 'Unsubscribed', signal: 'UNSUBSCRIBED', points: -20, cap: null, halfLifeDays: null, keywords: null, days: null, enabled: true },
  { name: 'Email bounced', signal: 'BOUNCED', points: -15, cap: null, halfLifeDays: null, keywords: null, days: null, enabled: true },
  { name: 'No activity for 90 days', signal: 'NO_ACTIVITY', points: -10, cap: null, halfLifeDays: null, keywords: null, days: 90, enabled: true },
];
