/** A purpose contacts may be reached for; `consentRequired` purposes need consent (or an allowed basis). */
export interface PurposeRule {
  consentRequired: boolean;
  label?: string;
}

/** The purposes consent knows: MARKETING and TRANSACTIONAL, and those other plugins register. */
export class ConsentPurposes {
  private readonly rules = new Map<string, PurposeRule>([
    ['MARKETING', { consentRequired: true, label: 'Marketing' }],
    ['TRANSACTIONAL', { consentRequired: false, label: 'Transactional (orders, accounts, service)' }],
  ]);

  register(name: string, rule: PurposeRule): void {
    if (!/^[A-Z][A-Z0-9_]{1,39}$/.test(name)) throw new Error(`consent purpose "${name}" must be an upper-case name such as NEWSLETTER`);
    this.rules.set(name, rule);
  }

  get(name: string): PurposeRule | undefined {
    return this.rules.get(name);
  }

  names(): string[] {
    return [...this.rules.keys()];
  }
}
