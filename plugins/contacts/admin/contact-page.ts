/** A component another plugin shows on the contact page, and where: in the hero or the action bar. */
export interface ContactPagePanel {
  plugin: string;
  /** The name the component was registered under with the admin's component loader. */
  component: string;
  placement: 'hero' | 'actions';
}

/** The contact page's extension point: the page renders every panel added here with the contact's id. */
export class ContactPageExtensions {
  readonly panels: ContactPagePanel[] = [];

  add(panel: ContactPagePanel): void {
    this.panels.push(panel);
  }
}
