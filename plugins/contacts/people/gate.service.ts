import type { ContactsExtensions, GateVerdict } from '../extensions.js';

/**
 * Whether contacts may be contacted on a channel for a purpose. Every plugin that registered a gate
 * (consent does) is asked; a contact passes only if each one allows it. With no gate, everyone passes.
 */
export class ContactGateService {
  constructor(private readonly extensions: ContactsExtensions) {}

  async check(contactIds: number[], channel: string, purpose: string): Promise<Map<number, GateVerdict>> {
    const verdicts = new Map<number, GateVerdict>(contactIds.map((id) => [id, { allowed: true }]));
    for (const { value: gate } of this.extensions.of('gate')) {
      const answers = await gate.check(contactIds, channel, purpose);
      for (const id of contactIds) {
        const answer = answers.get(id);
        if (answer && !answer.allowed && verdicts.get(id)!.allowed) verdicts.set(id, answer);
      }
    }
    return verdicts;
  }

  async canContact(contactId: number, channel: string, purpose: string): Promise<GateVerdict> {
    return (await this.check([contactId], channel, purpose)).get(contactId)!;
  }

  /** The opt-out link of the first gate that offers one, or undefined when none does. */
  async unsubscribeUrl(contactId: number, channel: string, purpose: string): Promise<string | undefined> {
    const gate = this.extensions.of('gate').find((e) => e.value.unsubscribeUrl);
    return gate?.value.unsubscribeUrl!(contactId, channel, purpose);
  }
}
