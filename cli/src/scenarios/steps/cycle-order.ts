/**
 * The order a load cycles through a list: each of `length` items `repeat` times, the reads of one
 * item `apart` places from each other, every place filled (item k's j-th read is due at k + j *
 * apart, and sends take them in that order, the earlier read first on a tie).
 */
export function cycleOrder(length: number, repeat: number, apart: number): number[] {
  const due: Array<[at: number, read: number, item: number]> = [];
  for (let item = 0; item < length; item++) for (let read = 0; read < repeat; read++) due.push([item + read * apart, read, item]);
  due.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return due.map(([, , item]) => item);
}
