/** DECISION_MAKER → "Decision maker": how the admin shows enum values (the API keeps the codes). */
export function words(value: string | null | undefined): string {
  if (!value) return '';
  const text = value.toLowerCase().replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
