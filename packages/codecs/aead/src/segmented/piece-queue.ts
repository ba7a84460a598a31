/** Queued byte pieces: taking a prefix splits pieces with `subarray`, so nothing is copied. */
export class PieceQueue {
  #pieces: Uint8Array[] = [];
  #bytes = 0;

  get bytes(): number {
    return this.#bytes;
  }

  push(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.#pieces.push(piece);
    this.#bytes += piece.length;
  }

  /** Removes and returns the first `n` bytes as pieces (n <= bytes). */
  take(n: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let need = n;
    while (need > 0) {
      const head = this.#pieces[0] as Uint8Array;
      if (head.length <= need) {
        out.push(head);
        this.#pieces.shift();
        need -= head.length;
      } else {
        out.push(head.subarray(0, need));
        this.#pieces[0] = head.subarray(need);
        need = 0;
      }
    }
    this.#bytes -= n;
    return out;
  }

  /** Removes the first `n` bytes into one contiguous array. */
  takeContiguous(n: number): Uint8Array {
    const pieces = this.take(n);
    if (pieces.length === 1) return pieces[0] as Uint8Array;
    const out = new Uint8Array(n);
    let at = 0;
    for (const piece of pieces) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
}
