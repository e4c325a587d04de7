// A source file's bytes to text and back, as Python reads them: UTF-8 (with or without a byte
// order mark), UTF-16 with a byte order mark, or the encoding a PEP 263 declaration names on line
// 1 or 2 (`# -*- coding: latin-1 -*-`, `# vim: set fileencoding=cp1252 :`).

export interface Decoded {
  text?: string;
  error?: string;
  /** How to write the text back: the encoding, and whether a byte order mark leads. */
  encoding: string;
  bom: boolean;
}

// PEP 263's regular expression, on a line that is only a comment.
const DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** Python's spellings of Latin-1 (WHATWG's "latin1" label means windows-1252, which differs in 0x80–0x9F). */
const LATIN1 = new Set(['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', 'iso-latin-1', 'l1', 'cp819', '8859', 'latin']);
const UTF8 = new Set(['utf-8', 'utf8', 'u8', 'utf', 'cp65001', 'utf-8-sig']);

/** The encoding named on line 1 or 2 (line 2 only after a comment or blank line 1), normalised; undefined when none. */
export function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1').split(/\r\n|\r|\n/, 2);
  for (const [i, line] of head.entries()) {
    const match = DECLARATION.exec(line);
    if (match) return match[1].toLowerCase().replace(/_/g, '-');
    if (i === 0 && !/^[ \t\f]*(#.*)?$/.test(line)) return undefined;
  }
  return undefined;
}

/** A WHATWG label TextDecoder knows for a Python codec name (cp1252 → windows-1252). */
function whatwgLabel(name: string): string {
  const cp = /^(?:cp|windows-)(125[0-8]|874)$/.exec(name);
  if (cp) return `windows-${cp[1]}`;
  if (name === 'shift-jis' || name === 'sjis') return 'shift_jis';
  return name;
}

export function decodeSource(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith(bytes.subarray(2), 'utf-16le', true, 'UTF-16');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith(bytes.subarray(2), 'utf-16be', true, 'UTF-16');
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bytes.subarray(0, 8192).includes(0)) return { error: 'file looks binary (it contains NUL bytes)', encoding: 'utf-8', bom };
  const declared = bom ? undefined : declaredEncoding(bytes);
  if (!declared || UTF8.has(declared)) {
    const out = decodeWith(bom ? bytes.subarray(3) : bytes, 'utf-8', bom, 'UTF-8');
    return out.error ? { ...out, error: declared ? `file is not valid UTF-8 text (it declares ${declared})` : 'file is not valid UTF-8 text' } : out;
  }
  if (LATIN1.has(declared)) return { text: Buffer.from(bytes).toString('latin1'), encoding: 'latin-1', bom: false };
  let label: string;
  try {
    label = new TextDecoder(whatwgLabel(declared)).encoding;
  } catch {
    return { error: `file declares an encoding this checker cannot read (coding: ${declared})`, encoding: declared, bom: false };
  }
  return decodeWith(bytes, label, false, declared);
}

function decodeWith(bytes: Uint8Array, label: string, bom: boolean, shown: string): Decoded {
  try {
    return { text: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes), encoding: label, bom };
  } catch {
    return { error: `file is not valid ${shown} text`, encoding: label, bom };
  }
}

/** The text in the file's own encoding (and byte order mark); undefined when a character has no byte in it. */
export function encodeSource(text: string, encoding: string, bom: boolean): Buffer | undefined {
  if (encoding === 'utf-8') return Buffer.from((bom ? '\uFEFF' : '') + text, 'utf8');
  if (encoding === 'utf-16le') return Buffer.from('\uFEFF' + text, 'utf16le');
  if (encoding === 'utf-16be') return Buffer.from('\uFEFF' + text, 'utf16le').swap16();
  if (encoding === 'latin-1') return /[^\u0000-\u00ff]/.test(text) ? undefined : Buffer.from(text, 'latin1');
  // A single-byte encoding: each character back to the byte that decodes to it.
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    return undefined;
  }
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    try {
      const c = decoder.decode(Uint8Array.of(b));
      if (c.length === 1 && !byChar.has(c)) byChar.set(c, b);
    } catch {
      // not a character on its own (a lead byte, or unassigned)
    }
  }
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = byChar.get(text[i]);
    if (b === undefined) return undefined;
    out[i] = b;
  }
  // A multi-byte encoding would not round-trip this way: only write what decodes back to the text.
  return decoder.decode(out) === text ? out : undefined;
}
