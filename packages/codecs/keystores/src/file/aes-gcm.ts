import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from "node:crypto";
import { StoreIntegrityError } from "@truthound/store-core";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  nonce: Buffer;
  /** Ciphertext followed by the 16-byte tag. */
  ciphertext: Buffer;
}

/** AES-256-GCM with a fresh random nonce. Each KEK seals few records, far below the 2^32 random-nonce limit. */
export function seal(kek: KeyObject, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", kek, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, ciphertext };
}

/** Opens what `seal` produced; a wrong key, changed AAD or any changed byte is an INTEGRITY error. */
export function open(kek: KeyObject, sealed: Sealed, aad: Uint8Array, what: string): Buffer {
  if (sealed.nonce.length !== NONCE_BYTES || sealed.ciphertext.length < TAG_BYTES) {
    throw new StoreIntegrityError(`${what}: malformed ciphertext`);
  }
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", kek, sealed.nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (cause) {
    throw new StoreIntegrityError(
      `${what}: authentication failed (wrong master password or key, or the file was altered)`,
      { cause },
    );
  }
}
