const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard padded base64 only in its one canonical form (the only form this package writes): the
 * unused bits before the padding must be zero, so no two texts decode to the same bytes. Else undefined.
 */
export function decodeCanonicalBase64(text: string): Buffer | undefined {
  if (!PADDED_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : undefined;
}
