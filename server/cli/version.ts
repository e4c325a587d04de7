// The version the CLI and the server report: the package's own, inlined at build time.
declare const CLIPWISE_VERSION: string | undefined;
export const VERSION: string = typeof CLIPWISE_VERSION === 'string' ? CLIPWISE_VERSION : '0.0.0-dev';
