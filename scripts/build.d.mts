export const ROOT: string;
export const DIST: string;
export function staleReason(): string | undefined;
export function build(options?: { quiet?: boolean }): Promise<number>;
export function ensureBuild(): Promise<void>;
