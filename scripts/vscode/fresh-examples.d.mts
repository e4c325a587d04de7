export function freshExamples(root: string): { folder: string; remove(): void };
