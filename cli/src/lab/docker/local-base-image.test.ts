import { describe, expect, it } from 'vitest';
import { packageCounter } from './local-base-image.js';

describe("the first image build's progress", () => {
  it("counts debootstrap's package lines per phase and says every Nth, with the time taken", () => {
    const said: string[] = [];
    let t = 0;
    const take = packageCounter((l) => said.push(l), 2, () => t);
    expect(take('I: Retrieving InRelease')).toBe(false);
    t = 5000;
    for (const name of ['adduser', 'apt', 'base-files']) expect(take(`I: Retrieving ${name} 3.134`)).toBe(true);
    expect(take('I: Extracting adduser...')).toBe(true);
    expect(take('I: Base system installed successfully.')).toBe(false);
    expect(said).toEqual(['debootstrap: retrieving package 2 (5 s)']);
  });
});
