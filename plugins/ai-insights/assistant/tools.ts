import { z } from 'zod';
import type { ToolSpec } from '../providers/provider.js';

/** The assistant's tools: what a plain-language request may be mapped to, with argument schemas. */
export const toolArgs = {
  find_contacts: z.strictObject({
    company: z.string().trim().min(1).max(200).optional().describe('Company name the contacts work at'),
    query: z.string().trim().min(1).max(200).optional().describe('Name, email or other text to look for'),
    inactive: z.boolean().optional().describe('Only contacts with no activity in the last 90 days'),
    noDeals: z.boolean().optional().describe('Only contacts without any deal'),
  }),
  get_lead_score: z.strictObject({
    contact: z.string().trim().min(1).max(200).describe('The contact’s name or email'),
  }),
  create_contact: z.strictObject({
    email: z.email().max(254).describe('Email address (required)'),
    firstName: z.string().trim().min(1).max(100).optional(),
    lastName: z.string().trim().min(1).max(100).optional(),
    company: z.string().trim().min(1).max(200).optional().describe('Company name'),
    phone: z.string().trim().min(3).max(40).optional(),
    jobTitle: z.string().trim().min(1).max(200).optional(),
  }),
  update_contact: z.strictObject({
    contact: z.string().trim().min(1).max(200).describe('The contact’s name or email'),
    changes: z
      .strictObject({
        phone: z.string().trim().min(3).max(40).optional(),
        mobile: z.string().trim().min(3).max(40).optional(),
        email: z.email().max(254).optional(),
        jobTitle: z.string().trim().min(1).max(200).optional(),
      })
      .refine((c) => Object.keys(c).length > 0, 'name at least one field to change'),
  }),
} as const;

export type ToolName = keyof typeof toolArgs;
export type ToolArgs<N extends ToolName> = z.output<(typeof toolArgs)[N]>;

/** Tools that change data: they only ever produce a proposal, applied after confirmation. */
export const WRITE_TOOLS: ReadonlySet<ToolName> = new Set(['create_contact', 'update_contact']);

export const toolSpecs: ToolSpec[] = [
  {
    name: 'find_contacts',
    description: 'Find contacts by company, name or text; optionally only inactive ones or those without deals',
    parameters: toolArgs.find_contacts,
  },
  { name: 'get_lead_score', description: 'The lead score, grade and trend of one contact', parameters: toolArgs.get_lead_score },
  { name: 'create_contact', description: 'Propose creating a contact (applied only after the user confirms)', parameters: toolArgs.create_contact },
  {
    name: 'update_contact',
    description: 'Propose changing a contact’s phone, mobile, email or job title (applied only after the user confirms)',
    parameters: toolArgs.update_contact,
  },
];

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(toolArgs, name);
}
