// Fifo: a first-in first-out queue with O(1) push and shift, and removal from the middle for withdrawn waiters.

/** A FIFO queue backed by an array and a moving head. */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item, or undefined. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Remove and return the oldest item, or undefined. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The item at position `i` from the oldest (0), or undefined. */
  at(i: number): T | undefined {
    return i >= 0 && i < this.length ? this.items[this.head + i] : undefined;
  }

  /** Position of the first item satisfying `predicate`, or -1. */
  findIndex(predicate: (item: T) => boolean): number {
    for (let i = this.head; i < this.items.length; i++) if (predicate(this.items[i]!)) return i - this.head;
    return -1;
  }

  /** Remove the item at position `i` and return it. */
  removeAt(i: number): T {
    if (i === 0) return this.shift()!;
    return this.items.splice(this.head + i, 1)[0]!;
  }

  /** Remove `item` (by identity); false if it is not queued. */
  remove(item: T): boolean {
    const i = this.items.indexOf(item, this.head);
    if (i < 0) return false;
    this.removeAt(i - this.head);
    return true;
  }

  /** The items, oldest first, as a new array. */
  toArray(): T[] {
    return this.items.slice(this.head);
  }
}
