/**
 * A min-heap of (at, createdAt, key) number triples in three typed columns: no object per entry,
 * so 100,000 entries are 2.4 MB and nothing for the garbage collector. Ordered by `at`, then
 * `createdAt`.
 */
export class TimeHeap {
  private at = new Float64Array(64);
  private created = new Float64Array(64);
  private key = new Float64Array(64);
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** `at` of the top entry (undefined when empty). */
  peekAt(): number | undefined {
    return this.n ? this.at[0] : undefined;
  }

  /** Key of the top entry (call only when not empty). */
  peekKey(): number {
    return this.key[0]!;
  }

  push(at: number, created: number, key: number): void {
    if (this.n === this.at.length) this.grow();
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(at, created, p)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, at, created, key);
  }

  pop(): void {
    if (this.n === 0) return;
    const last = --this.n;
    if (last === 0) return this.shrink();
    const at = this.at[last]!;
    const created = this.created[last]!;
    const key = this.key[last]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const m = r < last && this.lessAt(r, l) ? r : l;
      if (!this.lessThan(m, at, created)) break;
      this.move(m, i);
      i = m;
    }
    this.set(i, at, created, key);
    this.shrink();
  }

  private less(at: number, created: number, j: number): boolean {
    return at < this.at[j]! || (at === this.at[j]! && created < this.created[j]!);
  }

  private lessThan(j: number, at: number, created: number): boolean {
    return this.at[j]! < at || (this.at[j]! === at && this.created[j]! < created);
  }

  private lessAt(a: number, b: number): boolean {
    return this.at[a]! < this.at[b]! || (this.at[a]! === this.at[b]! && this.created[a]! < this.created[b]!);
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from]!;
    this.created[to] = this.created[from]!;
    this.key[to] = this.key[from]!;
  }

  private set(i: number, at: number, created: number, key: number): void {
    this.at[i] = at;
    this.created[i] = created;
    this.key[i] = key;
  }

  private grow(): void {
    const cap = this.at.length * 2;
    this.resize(cap);
  }

  /** Give memory back after a big broadcast drained (a quarter full or less). */
  private shrink(): void {
    if (this.at.length > 1024 && this.n < this.at.length / 4) this.resize(this.at.length / 2);
  }

  private resize(cap: number): void {
    const copy = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a.subarray(0, Math.min(this.n, cap)));
      return b;
    };
    this.at = copy(this.at);
    this.created = copy(this.created);
    this.key = copy(this.key);
  }
}
