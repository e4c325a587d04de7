// Imported first by extension.ts, so this runs before the language client's code is evaluated:
// the start of the extension's own module load, for the activation figure.
export const moduleLoadStarted = performance.now();
