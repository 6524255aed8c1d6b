/** The people every benchmark imports: varied names, companies, phones, countries, tags and stages. */
const FIRST = [
  'Anna',
  'Ben',
  'Carla',
  'David',
  'Elif',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
  'Mona',
  'Nils',
  'Olga',
  'Paul',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Uwe',
  'Vera',
  'Wim',
  'Xenia',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Schmidt',
  'Meyer',
  'Nguyen',
  'Garcia',
  'Kowalski',
  'Smith',
  'Rossi',
  'Dubois',
  'Jensen',
  'Novak',
  'Silva',
  'Kim',
  'Weber',
  'Fischer',
  'Hoffmann',
  'Larsen',
  'Moreau',
  'Bauer',
  'Young',
  'Ivanova',
];
const TITLES = ['CEO', 'CTO', 'Head of Sales', 'Buyer', 'Engineer', 'Marketing Manager', 'Office Manager', 'Founder', 'Consultant', 'Analyst'];
const CITIES = [
  ['Berlin', 'DE'],
  ['Hamburg', 'DE'],
  ['London', 'GB'],
  ['Paris', 'FR'],
  ['Austin', 'US'],
  ['Oslo', 'NO'],
  ['Madrid', 'ES'],
  ['Vienna', 'AT'],
] as const;
const STAGES = ['New', 'Engaged', 'Qualified', 'Customer', 'Inactive'];
const PHONES = (i: number) =>
  [`+49 30 ${1000000 + i}`, `(415) 555-${String(i % 10000).padStart(4, '0')}`, `+44 20 7946 ${String(i % 10000).padStart(4, '0')}`, ''][i % 4]!;

export function row(i: number): string[] {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[(i * 7) % LAST.length]!;
  const [city, country] = CITIES[i % CITIES.length]!;
  return [
    `${first}.${last}.${i}@example${i % 50}.com`,
    first,
    last,
    `Company ${i % 1000}`,
    TITLES[i % TITLES.length]!,
    PHONES(i),
    city,
    country,
    i % 3 === 0 ? 'vip;newsletter' : i % 3 === 1 ? 'newsletter' : '',
    STAGES[i % STAGES.length]!,
  ];
}

export function csv(rows: number): Buffer {
  const lines = ['Email,First Name,Last Name,Company,Job Title,Phone,City,Country,Tags,Lifecycle Stage'];
  for (let i = 0; i < rows; i++) lines.push(row(i).join(','));
  return Buffer.from(lines.join('\n') + '\n');
}
