/** A contact as GET /contacts/:id returns it. */
export type Contact = Record<string, any> & {
  id: number;
  fullName: string;
  email: string;
  secondaryEmails?: string[];
  tags: string[];
  company: { id: number; name: string } | null;
  owner: { name: string } | null;
  lifecycleStage: string;
  customFields: Record<string, unknown> | null;
  display?: { phone: string | null; mobile: string | null; country: string | null };
};
